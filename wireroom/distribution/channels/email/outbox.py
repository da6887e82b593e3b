"""The local outbox: with no WIREROOM_SMTP_URL, every message is written as an `.eml` file under OUTBOX_DIR.

One file per delivery (`delivery-<id>.eml`, so a retry replaces it), written atomically (a temporary file,
then a rename). The envelope sender is kept as a Return-Path header, the way a delivery agent stores mail.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings

from wireroom.distribution.channels.email.message import OutgoingMessage

_NAME = re.compile(r"^delivery-\d{1,20}\.eml$")
_HEADER_BYTES = 64 * 1024


def file_name(delivery_id: int) -> str:
    return f"delivery-{delivery_id}.eml"


def is_message_name(name: str) -> bool:
    return bool(_NAME.match(name))


class Outbox:
    def __init__(self, directory: Path, keep: int | None = None) -> None:
        self.directory = directory
        self.keep: int = keep if keep is not None else settings.OUTBOX_KEEP

    def write(self, message: OutgoingMessage) -> str:
        """Writes one message and returns its receiver reference, `outbox:<file name>`."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = file_name(message.delivery_id)
        temporary = self.directory / f".{name}.{os.getpid()}.tmp"
        data = f"Return-Path: <{message.envelope_from}>\r\n".encode("ascii") + message.as_bytes()
        with temporary.open("wb") as handle:
            handle.write(data)
        os.replace(temporary, self.directory / name)
        return f"outbox:{name}"

    def prune(self) -> int:
        """Keeps the newest OUTBOX_KEEP messages: the outbox is for looking at, not an archive of every copy."""
        names = [entry.name for entry in os.scandir(self.directory) if is_message_name(entry.name)]
        if len(names) <= self.keep:
            return 0
        # Delivery ids only grow, so the smallest ids are the oldest messages.
        names.sort(key=lambda name: int(name[len("delivery-"):-len(".eml")]))
        for name in names[: len(names) - self.keep]:
            (self.directory / name).unlink(missing_ok=True)
        return len(names) - self.keep


@dataclass(frozen=True)
class OutboxEntry:
    name: str
    subject: str
    to: str
    date: str
    written_at: datetime
    size: int


def _headers_of(path: Path) -> email.message.Message:
    with path.open("rb") as handle:
        head = handle.read(_HEADER_BYTES)
    end = head.find(b"\r\n\r\n")
    return email.message_from_bytes(head[: end + 4] if end >= 0 else head, policy=email.policy.default)


def list_messages(directory: Path, *, offset: int = 0, limit: int = 50) -> tuple[list[OutboxEntry], int]:
    """Newest first; returns one page of entries and how many messages the outbox holds."""
    if not directory.is_dir():
        return [], 0
    found: list[tuple[float, str, int]] = []
    with os.scandir(directory) as scan:
        for entry in scan:
            if is_message_name(entry.name):
                stat = entry.stat()
                found.append((stat.st_mtime, entry.name, stat.st_size))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    page = []
    for mtime, name, size in found[offset: offset + limit]:
        try:
            headers = _headers_of(directory / name)
        except OSError:
            continue  # removed meanwhile
        page.append(OutboxEntry(
            name=name, subject=str(headers.get("Subject", "")), to=str(headers.get("To", "")),
            date=str(headers.get("Date", "")), written_at=datetime.fromtimestamp(mtime, tz=UTC), size=size,
        ))
    return page, len(found)


def read_raw(directory: Path, name: str) -> bytes | None:
    if not is_message_name(name):
        return None
    try:
        return (directory / name).read_bytes()
    except OSError:
        return None


def read_message(directory: Path, name: str) -> EmailMessage | None:
    raw = read_raw(directory, name)
    if raw is None:
        return None
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message
