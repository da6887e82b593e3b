"""What a worker remembers about each endpoint of a channel between batches: its concurrency, slow-downs and circuit
breaker. Shared by the channels that deliver to endpoints (webhooks, SFTP, WebSub)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Literal

from django.conf import settings

# What an attempt told us about the endpoint.
Signal = Literal["ok", "throttled", "failure"]

# Defaults of WIREROOM_WEBHOOK_BREAKER_FAILURES and WIREROOM_WEBHOOK_BREAKER_SECONDS.
BREAKER_THRESHOLD = 5  # consecutive failures that open the circuit
BREAKER_COOLDOWN = 60.0  # seconds before the first probe; doubles with each failed probe
BREAKER_MAX_COOLDOWN = 15 * 60.0
PROBE_WAIT = 5.0  # what the others wait while the probe is out
SLOWDOWN_SECONDS = 60.0


class EndpointHealth:
    def __init__(self, max_concurrency: int, clock: Callable[[], float]) -> None:
        self.max_concurrency = max(1, max_concurrency)
        self.clock = clock
        self.failures = 0  # consecutive
        self.open_until = 0.0
        self.threshold: int = settings.WEBHOOK_BREAKER_FAILURES
        self.base_cooldown: float = settings.WEBHOOK_BREAKER_SECONDS
        self.cooldown = self.base_cooldown
        self.probing = False
        self.slow_limit = self.max_concurrency
        self.slow_until = 0.0
        self.disabled = ""  # why, once the endpoint is disabled
        self._active = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None

    # Concurrency: like a semaphore whose size can shrink under a slow-down and grow back after it.

    def limit(self) -> int:
        if self.clock() < self.slow_until:
            return self.slow_limit
        return self.max_concurrency

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Waits for a free slot, first come first served. A free slot costs no lock and no future: thousands of
        copies a second pass through here, and a condition taken twice per copy was 6 % of a webhook worker's GIL
        time in a profile (docs/benchmarks.md)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # Futures belong to one event loop; a new loop means nothing from the old one is in flight.
            self._loop, self._active, self._waiters = loop, 0, deque()
        if self._waiters or self._active >= self.limit():
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                await waiter  # the slot is counted as ours by whoever wakes us
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release()  # woken and cancelled at once: pass the slot on
                elif waiter in self._waiters:
                    # Not there when a release came between the cancellation and this line: it dropped the
                    # cancelled future already.
                    self._waiters.remove(waiter)
                raise
        else:
            self._active += 1
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        self._active -= 1
        # Wakes as many as the limit allows, which grows back after a slow-down.
        while self._waiters and self._active < self.limit():
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._active += 1
                waiter.set_result(None)

    def slow_down(self, for_seconds: float | None) -> None:
        current = self.limit()
        self.slow_limit = max(1, current // 2)
        self.slow_until = self.clock() + max(SLOWDOWN_SECONDS, for_seconds or 0.0)

    # Circuit breaker.

    def admit(self) -> tuple[float | None, bool]:
        """(None, is_probe) when an attempt may go now; (seconds to hold off, False) when the circuit is open."""
        if self.failures < self.threshold:
            return None, False
        remaining = self.open_until - self.clock()
        if remaining > 0:
            return remaining, False
        if self.probing:
            return PROBE_WAIT, False
        self.probing = True
        return None, True

    def record(self, signal: Signal | None, *, probe: bool) -> None:
        """`signal` None means the attempt ended without telling us anything (it was cancelled)."""
        if probe:
            self.probing = False
        if signal is None:
            return
        if signal != "failure":
            # A 429 comes from a live endpoint: Retry-After and the slow-down pace it, not the breaker.
            self.failures, self.cooldown, self.open_until = 0, self.base_cooldown, 0.0
            return
        self.failures += 1
        if probe:
            self.cooldown = min(self.cooldown * 2, BREAKER_MAX_COOLDOWN)
            self.open_until = self.clock() + self.cooldown
        elif self.failures == self.threshold:
            self.open_until = self.clock() + self.cooldown
