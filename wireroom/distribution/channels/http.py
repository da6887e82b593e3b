"""What the channels that POST to receivers share: the retry schedule and reading `Retry-After`."""

from __future__ import annotations

import datetime as dt
import email.utils

# Standard Webhooks' suggested schedule: after the first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
THROTTLE_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 24 * 3600.0


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` attempts, before jitter."""
    return SCHEDULE[min(max(attempts, 1), len(SCHEDULE)) - 1]


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
