"""The asyncio dispatcher: lease due deliveries, hand each batch to its channel, record the results.

Each channel's leasing, acknowledging and loading run in a database thread of its own (`sync_to_async`),
while channels send concurrently. Several batches are in flight at once so the network never waits for the database.
While a batch is being sent its leases are renewed; on stop the dispatcher lets the batches in flight finish
and gives back any lease it still holds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.db import DatabaseError, connection
from django.utils import timezone

from wireroom.distribution import ledger
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.base import Channel, Job, Prepares, Result
from wireroom.distribution.prepositioning import ENVELOPE
from wireroom.lib import metrics
from wireroom.lib.connections import refresh_connection

log = logging.getLogger(__name__)
FIRST_BATCH = 20
LEASE_AHEAD_SECONDS = 0.3
FIRST_BATCH_HEAD_START = 0.1  # seconds at most
RENEWALS = 10  # leases a batch may be renewed for: ten minutes at the default lease


def _close_connection() -> None:
    connection.close()  # the calling thread's own: looked up here, in it


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Dispatcher:
    def __init__(self, *, batch_size: int, lease_seconds: float, poll_seconds: float, max_in_flight: int = 4,
                 channels: dict[str, Channel] | None = None, name: str | None = None,
                 machines_first_seconds: float = 0.0) -> None:
        self.name = name or worker_name()
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.max_in_flight = max_in_flight
        self.channels = channels if channels is not None else {
            channel: registry.get(channel).factory() for channel in registry.channel_names()}
        self.sent = 0
        self.machines_first_seconds = machines_first_seconds
        # The channels to machines whose last lease came back full (more of their rows are due), and how many
        # batches of first copies each has in flight: either holds the channels to people back.
        self._full: set[str] = set()
        self._sending: Counter[str] = Counter()
        self._machines_clear = asyncio.Event()
        self._machines_clear.set()

    async def run(self, stop: asyncio.Event) -> None:
        """One leasing loop per channel, so a slow channel never holds up another."""
        for channel in self.channels.values():
            await channel.start()
        # What the channels run beside their leasing loops (WebSub's verification of intent).
        background = [spec.background(stop) for name in self.channels if name in registry.channel_names()
                      if (spec := registry.get(name)).background is not None]
        try:
            await asyncio.gather(*(self._run_channel(name, stop) for name in self.channels), *background)
        finally:
            await sync_to_async(ledger.release_leases)(worker=self.name)
            for channel in self.channels.values():
                await channel.close()

    async def _run_channel(self, channel_name: str, stop: asyncio.Event) -> None:
        # A database thread (and connection) for each channel's leases and loads. In one shared thread the
        # e-mail loop's lease of a full batch, waiting for SQLite's write lock while the clock published the
        # release, held the webhooks' reads up behind it: the first webhook left 0.6 to 0.9 s after the embargo
        # second in two runs of five (docs/benchmarks.md).
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{channel_name}-db")
        try:
            async with ThreadSensitiveContext(executor=executor):
                try:
                    await self._lease_and_send(channel_name, stop)
                finally:
                    await sync_to_async(_close_connection)()
        finally:
            executor.shutdown(wait=False)

    def _note_backlog(self, channel_name: str, *, full: bool | None = None) -> None:
        """`full`: whether the channel's last lease came back full (None: unchanged)."""
        if full is not None:
            (self._full.add if full else self._full.discard)(channel_name)
        if self._full or any(self._sending.values()):
            self._machines_clear.clear()
        else:
            self._machines_clear.set()

    def _start(self, channel_name: str, jobs: list[Job], *, to_people: bool, opens: asyncio.Event | None = None,
               after: asyncio.Event | None = None) -> asyncio.Task[None]:
        """A batch's delivery as a task. A channel to machines counts its batches of first copies in flight until
        each is sent and recorded, for `machines_first_seconds` at most: the channels to people wait for them
        too, not only for full leases. A batch waiting on a slow endpoint or a stalled SFTP server holds nobody
        longer than that; envelopes (due when a release is scheduled, not at its second) hold nobody. The count
        is given back by a callback, which runs even for a task cancelled before it started, or by a timer,
        whichever comes first."""
        task = asyncio.create_task(self._deliver(channel_name, jobs, opens=opens, after=after))
        if to_people or not self.machines_first_seconds or not any(
                job.attempts == 1 and job.action != ENVELOPE for job in jobs):
            return task
        self._sending[channel_name] += 1
        self._note_backlog(channel_name)
        counted = True

        def done(_task: asyncio.Task[None] | None = None) -> None:
            nonlocal counted
            if counted:
                counted = False
                timer.cancel()
                self._sending[channel_name] -= 1
                self._note_backlog(channel_name)

        timer = asyncio.get_running_loop().call_later(self.machines_first_seconds, done)
        task.add_done_callback(done)
        return task

    async def _machines_first(self, stop: asyncio.Event) -> None:
        """Outlets' and partners' systems before people at the same second: a channel to people waits while a
        channel to machines has rows due or first copies in flight, for at most `machines_first_seconds` a batch,
        so that a long machine backlog slows the e-mail but never stops it. With 86,000 e-mails and 6,500
        webhooks due at once, the webhooks went out at about 1,500/s beside the e-mail and 2,200/s ahead of it
        (docs/benchmarks.md)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.machines_first_seconds
        # Until the marks are clear when looked at: marks cleared for a moment (a lease that was not full, then its
        # batch counted) wake the waiter though they are back at once. A stopping worker does not wait.
        while not self._machines_clear.is_set() and not stop.is_set() and (left := deadline - loop.time()) > 0:
            waits = [asyncio.create_task(self._machines_clear.wait()), asyncio.create_task(stop.wait())]
            try:
                await asyncio.wait(waits, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()

    async def _lease_and_send(self, channel_name: str, stop: asyncio.Event) -> None:
        in_flight: set[asyncio.Task[None]] = set()
        to_people = _to_people(channel_name)
        opening: asyncio.Event | None = None  # set once the first batch held for a second has been sent
        # After an idle spell the first batch is small, so the first copies leave within milliseconds of
        # the embargo while the full batches behind them are being leased.
        limit = FIRST_BATCH
        try:
            while not stop.is_set():
                if len(in_flight) >= self.max_in_flight:
                    _done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                    continue
                if to_people and limit != FIRST_BATCH:
                    # The first batch after an idle spell still goes at the second: people get the news then too.
                    await self._machines_first(stop)
                    if stop.is_set():
                        break
                jobs = await self._lease_batch(channel_name, limit, to_people=to_people)
                if jobs:
                    in_flight.add(self._start(channel_name, jobs, to_people=to_people))
                    limit = self.batch_size
                    continue
                try:
                    wait = None if jobs is None else await sync_to_async(self._idle_wait)(channel_name)
                except DatabaseError:
                    log.exception("reading the next due row failed")
                    wait = None
                if wait is None:
                    # A busy or unreachable database must not kill the worker; it tries again shortly.
                    with suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=self.poll_seconds)
                    continue
                if wait > LEASE_AHEAD_SECONDS or to_people:
                    # An idle spell: the next batch is small again. Inside the lease-ahead window a channel to
                    # machines leases full batches behind its first, prepared and held for the second beside it
                    # (small ones took all its batches in flight, and the full ones began a second late); a
                    # channel to people has only its first small batch ready then, and waits for the machines.
                    limit = FIRST_BATCH
                if LEASE_AHEAD_SECONDS < wait < self.poll_seconds:
                    # A row falls due before the next poll: wake inside the lease-ahead window, not at the second
                    # itself, where the lease would wait for the clock's own write (first copies 0.4 to 1.1 s late
                    # in three runs of five, docs/benchmarks.md).
                    wait -= LEASE_AHEAD_SECONDS / 2
                elif 0 < wait <= LEASE_AHEAD_SECONDS:
                    # An embargo is about to strike: lease its first rows now and hold them until the second,
                    # so the database work is done before it rather than after.
                    ahead = await self._lease_batch(channel_name, limit, to_people=to_people, ahead=wait)
                    if ahead:
                        if limit == FIRST_BATCH:
                            opening = asyncio.Event()
                            in_flight.add(self._start(channel_name, ahead, to_people=to_people, opens=opening))
                        else:
                            in_flight.add(self._start(channel_name, ahead, to_people=to_people, after=opening))
                        limit = self.batch_size
                        continue
                if in_flight:
                    _done, in_flight = await asyncio.wait(in_flight, timeout=wait)
                else:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=wait)
        finally:
            self._note_backlog(channel_name, full=False)
            if in_flight:
                await asyncio.wait(in_flight)

    async def _lease_batch(self, channel_name: str, limit: int, *, to_people: bool,
                           ahead: float = 0.0) -> list[Job] | None:
        """A lease from the channel's database thread, or None when the database did not answer (logged). A
        channel to machines is marked as having a backlog before it, so that the people's loops do not take the
        second first, and after it by whether the lease came back full."""
        if not to_people:
            self._note_backlog(channel_name, full=True)
        try:
            jobs = await sync_to_async(self._lease)(channel_name, limit, ahead)
        except DatabaseError:
            if not to_people:
                # Its backlog is unknown until the database answers again: the e-mail need not wait.
                self._note_backlog(channel_name, full=False)
            log.exception("leasing failed; retrying in %.1f s", self.poll_seconds)
            return None
        if not to_people:
            self._note_backlog(channel_name, full=len(jobs) >= min(limit, self.batch_size))
        return jobs

    def _lease(self, channel_name: str, limit: int, ahead: float = 0.0) -> list[Job]:
        refresh_connection()
        now = timezone.now() + dt.timedelta(seconds=ahead)
        return ledger.lease(worker=self.name, limit=min(limit, self.batch_size), lease_seconds=self.lease_seconds,
                            channel=channel_name, now=now)

    def _idle_wait(self, channel_name: str) -> float:
        return ledger.seconds_until_due(now=timezone.now(), ceiling=self.poll_seconds, channel=channel_name)

    async def _deliver(self, channel_name: str, jobs: list[Job], *, opens: asyncio.Event | None = None,
                       after: asyncio.Event | None = None) -> None:
        """Send a batch at its second and record the results. `opens`: set once this batch is sent; `after`: the
        first batch's, which this one gives a head start."""
        renewing = asyncio.create_task(self._keep_leased(jobs))
        try:
            await self._hold_and_deliver(channel_name, jobs, opens=opens, after=after)
        finally:
            # After the acknowledgement: a renewal still on its way finds the rows no longer leased and changes
            # nothing.
            renewing.cancel()
            if opens is not None:
                opens.set()  # whatever happened to the batch, the others do not wait for it any longer

    async def _keep_leased(self, jobs: list[Job]) -> None:
        """Renew a batch's leases every quarter of a lease, from its lease to its acknowledgement, for at most
        `RENEWALS` leases. Without it a batch slower than its lease fell due while still being sent and went out
        twice from live workers: a restore test with 2-second leases found recipients with three copies, where a
        dead worker's batch allows two. The cap lets a send that hangs go again rather than hold its rows for as
        long as the worker lives."""
        ids = [job.delivery_id for job in jobs]
        for _renewal in range(RENEWALS * 4):
            # A quarter, not a half: the lease ahead of a second takes expired rows up to LEASE_AHEAD_SECONDS
            # early, and a renewal may queue behind the channel's own loads on its database thread.
            await asyncio.sleep(self.lease_seconds / 4)
            try:
                await sync_to_async(ledger.renew_leases)(worker=self.name, ids=ids, lease_seconds=self.lease_seconds)
            except Exception:
                # The next renewal may get through before the lease runs out; if not, the rows go again.
                log.warning("renewing the leases of %d deliveries failed", len(ids), exc_info=True)
        log.warning("a batch of %d deliveries still unsent after %d leases: its rows will go again", len(ids),
                    RENEWALS)

    async def _hold_and_deliver(self, channel_name: str, jobs: list[Job], *, opens: asyncio.Event | None,
                                after: asyncio.Event | None) -> None:
        due = max(job.due_at for job in jobs)
        channel = self.channels.get(channel_name)
        if due > time.time() and isinstance(channel, Prepares):
            try:
                await channel.prepare(jobs)
            except Exception:
                # Only a head start: `send` does the work itself at the second.
                log.exception("channel %s could not prepare a batch of %d", channel_name, len(jobs))
        while (hold := due - time.time()) > 0:
            await asyncio.sleep(hold)
        if after is not None and not after.is_set():
            # The small first batch has the second to itself for a moment: a full batch started beside it, on two
            # cores, put its first copy 150 to 200 ms after the second (docs/benchmarks.md).
            with suppress(TimeoutError):
                await asyncio.wait_for(after.wait(), timeout=FIRST_BATCH_HEAD_START)
        results: list[Result]
        if channel is None:
            results = [Result(job.delivery_id, "failed", error=f"no channel {channel_name!r}") for job in jobs]
        else:
            started = time.perf_counter()
            try:
                results = await channel.send(jobs)
            except Exception as exc:
                # A channel bug must not lose the batch: every row is retried later.
                log.exception("channel %s failed on a batch of %d", channel_name, len(jobs),
                              extra={"channel": channel_name, "worker": self.name})
                results = [Result(job.delivery_id, "retry", error=f"channel error: {exc!r}"[:500]) for job in jobs]
            if opens is not None:
                opens.set()  # sent: the batches behind it need not wait for its acknowledgement
            per_message = (time.perf_counter() - started) / len(jobs)
            send_seconds = metrics.SEND_SECONDS.labels(channel_name)  # looked up once: it takes a lock
            for _job in jobs:
                send_seconds.observe(per_message)
        max_attempts = channel.max_attempts if channel else 1
        retry_delay = channel.retry_delay if channel else (lambda _attempts: 60.0)
        try:
            await sync_to_async(ledger.ack)(worker=self.name, jobs=jobs, results=results,
                                            max_attempts=max_attempts, retry_delay=retry_delay)
        except DatabaseError:
            # The rows stay leased; when the lease runs out they are sent again under the same ids.
            log.exception("recording %d results failed", len(results))
            return
        self.sent += sum(1 for result in results if result.outcome == "delivered")
        _count(channel_name, results)


def _to_people(channel_name: str) -> bool:
    """Whether the channel's recipients are people (e-mail) rather than machines (webhooks, SFTP, WebSub)."""
    if channel_name not in registry.channel_names():
        return False
    targeting = registry.get(channel_name).targeting
    return targeting is not None and targeting.person


def _count(channel_name: str, results: list[Result]) -> None:
    # Counted per batch: a labelled child is looked up under a lock, once per outcome rather than per copy.
    for outcome, count in Counter(result.outcome for result in results).items():
        metrics.DELIVERIES.labels(channel_name, outcome).inc(count)
    errors = Counter(metrics.error_class(channel_name, f"{result.receiver_ref} {result.error}")
                     for result in results if result.outcome in ("retry", "failed"))
    for error_class, count in errors.items():
        metrics.SEND_ERRORS.labels(channel_name, error_class).inc(count)
