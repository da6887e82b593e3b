"""Log formats: one line per event, readable text by default or JSON for a log collector.

Events about a release or a delivery pass their ids as `extra` (see EVENT_FIELDS), so both formats carry them as
fields a collector can filter on: `release=<uuid> version=2 channel=email delivery=1234` in text, keys in JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

EVENT_FIELDS = ("release", "version", "channel", "delivery", "state", "worker")


def event_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in EVENT_FIELDS if getattr(record, name, None) is not None}


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        fields = event_fields(record)
        return line + "".join(f" {name}={value}" for name, value in fields.items()) if fields else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a traceback goes in `exception` (its newlines escaped), never on lines of its own."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **event_fields(record),
        }
        if (status := getattr(record, "status_code", None)) is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
