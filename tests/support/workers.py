"""Real `wireroom worker` processes against the test database, for fault tests, and the embargo clock run in a
thread of the test process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from wireroom.releases import embargo


def child_database_url() -> str:
    """The URL of the database this test run uses, so a child process sees the same rows."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(data_dir: Path, *, smtp_url: str = "", lease_seconds: int = 2, batch_size: int = 200,
                 extra: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {
        "WIREROOM_DATA_DIR": str(data_dir),
        "WIREROOM_DATABASE_URL": child_database_url(),
        "WIREROOM_WORKER_LEASE_SECONDS": str(lease_seconds),
        "WIREROOM_WORKER_BATCH_SIZE": str(batch_size),
        "WIREROOM_WORKER_POLL_SECONDS": "0.2",
        "WIREROOM_OUTBOUND_ALLOW_PRIVATE": "1",
        "WIREROOM_SMTP_URL": smtp_url,
        **(extra or {}),
    }
    log = open(data_dir / f"worker-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115 -- lives as long as the child
    return subprocess.Popen([sys.executable, "-m", "wireroom", "worker"], env=env, stdout=log, stderr=log)


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@contextmanager
def embargo_clock(*, tick_seconds: float = 0.05) -> Iterator[threading.Thread]:
    """The embargo clock (`wireroom.releases.embargo.run`, what `wireroom worker` runs) ticking in a thread of
    this process for the duration of the block; it is stopped and joined when the block ends, however it ends.
    For transactional tests: the thread has a database connection of its own, closed when it stops."""
    stop = threading.Event()

    def tick() -> None:
        try:
            embargo.run(stop, tick_seconds)
        finally:
            connection.close()

    clock = threading.Thread(target=tick, daemon=True, name="embargo-clock")
    clock.start()
    try:
        yield clock
    finally:
        stop.set()
        clock.join(30)
