"""The API-key rate limit: GCRA in a SQLite file shared by every process on the machine."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from wireroom.lib.ratelimit import RateLimiter

T0 = 1_800_000_000.0


def test_a_full_allowance_passes_at_once_then_the_next_request_waits_one_interval(tmp_path: Path) -> None:
    limiter = RateLimiter(tmp_path / "rate.sqlite3", limit=6, window=60)
    quotas = [limiter.take("key-a", now=T0) for _ in range(6)]
    assert all(quota.allowed for quota in quotas)
    assert [quota.remaining for quota in quotas] == [5, 4, 3, 2, 1, 0]
    refused = limiter.take("key-a", now=T0)
    assert not refused.allowed
    assert (refused.retry_after, refused.remaining, refused.reset) == (10, 0, 60)
    # One interval (60 s / 6) later one request passes again, and only one.
    assert limiter.take("key-a", now=T0 + 10).allowed
    assert not limiter.take("key-a", now=T0 + 10).allowed
    # After a whole window the allowance is whole again.
    assert limiter.take("key-a", now=T0 + 80).remaining == 5


def test_refused_requests_do_not_count_and_keys_are_counted_apart(tmp_path: Path) -> None:
    limiter = RateLimiter(tmp_path / "rate.sqlite3", limit=2, window=60)
    for _ in range(2):
        limiter.take("key-a", now=T0)
    for _ in range(50):
        assert not limiter.take("key-a", now=T0 + 1).allowed
    assert limiter.take("key-a", now=T0 + 30).allowed
    assert limiter.take("key-b", now=T0).remaining == 1


def _take_many(path: str, count: int, start: Any, results: Any) -> None:
    limiter = RateLimiter(Path(path), limit=100, window=3600)
    start.wait()
    try:
        results.put(sum(limiter.take("shared-key").allowed for _ in range(count)))
    except Exception as error:  # the parent reports what went wrong instead of waiting for a count
        results.put(repr(error))


@pytest.mark.slow
def test_processes_hitting_one_key_together_share_one_allowance_exactly(tmp_path: Path) -> None:
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(4), spawn.Queue()
    processes = [spawn.Process(target=_take_many, args=(str(tmp_path / "rate.sqlite3"), 60, start, results))
                 for _ in range(4)]
    for process in processes:
        process.start()
    # Generous bounds: they only keep a broken child from hanging the suite, on however busy a machine.
    allowed = [results.get(timeout=900) for _ in processes]
    for process in processes:
        process.join(timeout=120)
    assert all(isinstance(count, int) for count in allowed), allowed
    # 240 requests from four processes released together: exactly the one allowance of 100 passes (counted
    # per process, 240 would).
    assert sum(allowed) == 100
