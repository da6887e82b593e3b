"""A rate limit shared by every process on the machine: the generic cell rate algorithm (GCRA), one row per
client in a small SQLite file of its own.

Django's default cache lives in each process, so `wireroom serve` with several web processes would count each
key once per process; Django's database and file caches are shared but increment with a read and a write, so
concurrent requests lose counts. One short `BEGIN IMMEDIATE` transaction in a separate file counts exactly
across processes and never waits for the main database's writer (SQLite or PostgreSQL).
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wireroom.lib.errors import RateLimited

_local = threading.local()


@dataclass(frozen=True)
class Quota:
    """What is left of one client's allowance, as the RateLimit header fields of the IETF draft report it."""

    limit: int  # requests per window
    window: int  # seconds
    remaining: int
    reset: int  # seconds until the whole allowance is back
    retry_after: int  # seconds until the next request is allowed; 0 when it is allowed now

    @property
    def allowed(self) -> bool:
        return self.retry_after == 0


# Processes that open a new file at the same moment race to switch it to WAL and create the table; SQLite
# answers some of those races "database is locked" at once, without waiting out the busy timeout.
SETUP_ATTEMPTS = 40


def _prepare(connection: sqlite3.Connection) -> None:
    for attempt in range(SETUP_ATTEMPTS):
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            # Counts need not survive a power cut; they must not cost an fsync per request.
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute("CREATE TABLE IF NOT EXISTS bucket (client TEXT PRIMARY KEY, tat REAL NOT NULL)")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == SETUP_ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


class RateLimiter:
    def __init__(self, path: Path, *, limit: int, window: int = 60) -> None:
        self.path = path
        self.limit = limit
        self.window = window

    def _connection(self) -> sqlite3.Connection:
        connections: dict[Path, sqlite3.Connection] = _local.__dict__.setdefault("connections", {})
        connection = connections.get(self.path)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            _prepare(connection)
            connections[self.path] = connection
        return connection

    def take(self, client: str, *, now: float | None = None) -> Quota:
        """Counts one request of `client` if its allowance has room; the quota says whether it had."""
        interval = self.window / self.limit
        now = time.time() if now is None else now
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            row = connection.execute("SELECT tat FROM bucket WHERE client = ?", (client,)).fetchone()
            # The theoretical arrival time: when the client's allowance would be whole again.
            tat = max(row[0] if row else now, now)
            allowed_at = tat + interval - self.window
            if now < allowed_at:
                connection.execute("COMMIT")
                return self._quota(tat - now, interval, retry_after=max(allowed_at - now, 1e-3))
            tat += interval
            connection.execute("INSERT INTO bucket (client, tat) VALUES (?, ?) "
                               "ON CONFLICT (client) DO UPDATE SET tat = excluded.tat", (client, tat))
            connection.execute("DELETE FROM bucket WHERE tat < ?", (now,))
            connection.execute("COMMIT")
        except sqlite3.Error:
            connection.execute("ROLLBACK")
            raise
        return self._quota(tat - now, interval, retry_after=0)

    def _quota(self, backlog: float, interval: float, *, retry_after: float) -> Quota:
        return Quota(limit=self.limit, window=self.window,
                     remaining=max(0, min(self.limit, math.floor((self.window - backlog) / interval + 1e-9))),
                     reset=math.ceil(backlog), retry_after=math.ceil(retry_after))


def throttle(request: Any, limiter: RateLimiter, client: str) -> None:
    """Counts the request; over the limit, raises RateLimited. The quota is left on the request, where the
    web layer turns it into RateLimit headers (and Retry-After)."""
    quota = limiter.take(client)
    request.rate_limit = quota
    if not quota.allowed:
        raise RateLimited(
            f"Too many requests with this API key: at most {quota.limit} in {quota.window} s. "
            f"Try again in {quota.retry_after} s.",
            details={"limit": quota.limit, "window_seconds": quota.window, "retry_after_seconds": quota.retry_after},
        )
