"""The stream's one listener per process: it reads the event log once for every connected client and hands each
new event to all of them, so a thousand clients cost one database read per event, not a thousand.

On PostgreSQL it waits for `NOTIFY wireroom_events` (sent by `_append_event`, delivered at commit) on a psycopg
async connection of its own, and reads anyway every 100 poll periods in case a notification was lost (a dropped
connection). On SQLite, which has no notifications, it reads every `WIREROOM_STREAM_POLL_SECONDS`.

All database work of the stream (the listener's reads, the clients' replays, the renderings) runs on a small
thread pool of this module, so the event loop never blocks and a process holds a handful of connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from wireroom.api import grip
from wireroom.distribution.channels.webhook.payload import LANGUAGE, body_bytes, envelope_key, event_key, render
from wireroom.distribution.models import RenderedItem
from wireroom.distribution.prepositioning import key_bodies, kill_bodies
from wireroom.lib import metrics
from wireroom.lib.connections import refresh_connection
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import EVENT_CHANNEL, PREPOSITIONING_EVENTS, EventAction, WireEvent
from wireroom.releases.selectors import EventFilters, EventPage, events_after, events_head
from wireroom.trust import wirekeys
from wireroom.web.asgi import BodyWriter

log = logging.getLogger(__name__)

T = TypeVar("T")
QUEUE_LIMIT = 1000  # events a client may fall behind by before it is cut off (it resumes with Last-Event-ID)
PAGE = 500
HEARTBEAT = b": heartbeat\n\n"
RENDERINGS_KEPT = 2000
PUBLISHER_LOCK = 0x57495245  # the advisory lock of the one process that publishes to Pushpin
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="stream-db")


def _with_connection(function: Callable[..., T], *args: Any) -> T:
    # These threads keep their connection from one job to the next: opening one cost more than the reads
    # themselves, and 10,000 clients' replays made 10,000 of them.
    refresh_connection()
    try:
        return function(*args)
    except Exception:
        connection.close()  # a broken connection is not kept for the next job of this thread
        raise


async def in_db_thread(function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(_executor, functools.partial(_with_connection,
                                                                                         function, *args))


def _sealed_payload(event_row: WireEvent, format_name: str) -> bytes | None:
    """A pre-positioning event's body, the same bytes as the webhooks' (docs/trust.md): the envelope of the key
    the event names, the key once released, or the kill notice. None when there is none to send: an envelope
    superseded by a later scheduling, or of a format nobody took when it was sealed."""
    release_id, version, key_id = event_row.release_id, event_row.version, event_row.key_id
    if event_row.action == EventAction.KEY:
        return key_bodies({(release_id, version)}).get((release_id, version, key_id))
    if event_row.action == EventAction.KILL:
        return kill_bodies({(release_id, version, key_id)}).get((release_id, version, key_id))
    stored = RenderedItem.objects.filter(release_id=release_id, version=version, format=envelope_key(format_name),
                                         language=LANGUAGE).values_list("payload", flat=True).first()
    if stored is None or stored["data"].get("key_id") != key_id:
        return None
    return body_bytes(stored)


def _payload(event_row: WireEvent, format_name: str) -> str | None:
    """The event as the webhooks carry it (`{"type", "timestamp", "data"}`, an XML format wrapped in JSON), stored
    once per version and format under the webhooks' key, so both channels send the same bytes; the stream adds
    the wire's signature over those bytes as a last member (`wirekeys.sign_event`)."""
    if event_row.action in PREPOSITIONING_EVENTS:
        sealed = _sealed_payload(event_row, format_name)
        return None if sealed is None else wirekeys.sign_event(sealed).decode()
    release, version, action = event_row.release, event_row.version, event_row.action
    key = event_key(format_name)
    row = RenderedItem.objects.filter(release=release, version=version, format=key, language=LANGUAGE).first()
    if row is None:
        # The version's own row says what the webhooks said of it: its time and note.
        made = release.versions.filter(number=version).first()
        upcoming = Upcoming(number=version, action=action, at=made.created_at if made else event_row.created_at,
                            note=made.note if made else "")
        payload = render(release, upcoming, frozenset({format_name}))[(key, LANGUAGE)]
        try:
            with transaction.atomic():
                RenderedItem.objects.create(release=release, version=version, format=key, language=LANGUAGE,
                                            payload=payload)
        except IntegrityError:  # another process stored it first: send what it stored
            row = RenderedItem.objects.get(release=release, version=version, format=key, language=LANGUAGE)
    return wirekeys.sign_event(body_bytes(payload if row is None else row.payload)).decode()


def sse_message(*, event_id: int, name: str, data: str) -> bytes:
    # Compact JSON has no line breaks, so the data is one `data:` line.
    return f"id: {event_id}\nevent: {name}\ndata: {data}\n\n".encode()


def sse_event(event_row: WireEvent, format_name: str) -> str:
    """The event as one SSE message, as Pushpin's clients get it."""
    data = _payload(event_row, format_name)
    # Pushpin's channels never carry pre-positioning's events (`events_after` leaves them out), and every other
    # event has a payload.
    assert data is not None, f"no payload for event {event_row.seq}"
    return sse_message(event_id=event_row.seq, name=event_row.action, data=data).decode()


def _message(event_row: WireEvent, format_name: str) -> bytes:
    data = _payload(event_row, format_name)
    if data is None:
        # A pre-positioning event with nothing to send (an envelope superseded since): a comment, so the client
        # still sees the stream move.
        return f": nothing to send for event {event_row.seq}\n\n".encode()
    return sse_message(event_id=event_row.seq, name=event_row.action, data=data)


class Subscriber:
    """One client of the hub. While it replays what it missed, the hub holds its new events in `pending`; once it
    is live (`go_live`), the hub writes each event it may have straight to its connection (`writer`). `sent` is
    the newest event it was given, so nothing reaches it twice; `ended` resolves when the hub lets it go."""

    def __init__(self, *, format_name: str, filters: EventFilters, prepositioned: bool, sent: int) -> None:
        self.format_name = format_name
        self.filters = filters
        self.prepositioned = prepositioned
        self.sent = sent
        self.pending: list[tuple[int, bytes]] = []
        self.writer: BodyWriter | None = None
        self.last_write = 0.0
        self.ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def offer(self, seq: int, body: bytes, now: float) -> None:
        if self.ended.done():
            # Let go (an event it could not be given, or too far behind): anything after that event would leave
            # a gap its Last-Event-ID cannot show.
            return
        if self.writer is None:
            if len(self.pending) >= QUEUE_LIMIT:
                self.end()
            else:
                self.pending.append((seq, body))
            return
        if seq > self.sent:
            self.sent, self.last_write = seq, now
            self.writer.write(body)

    def go_live(self, writer: BodyWriter) -> None:
        """Writes what came during the replay and was not in it, then takes events as they come."""
        self.writer = writer
        writer.gave_up.add_done_callback(lambda _: self.end())
        pending, self.pending = self.pending, []
        now = asyncio.get_running_loop().time()
        for seq, body in pending:
            self.offer(seq, body, now)
        self.last_write = now

    def end(self) -> None:
        if not self.ended.done():
            self.ended.set_result(None)


class Hub:
    def __init__(self) -> None:
        self.head = 0
        self._subscribers: set[Subscriber] = set()
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._messages: OrderedDict[tuple[int, str], asyncio.Future[bytes]] = OrderedDict()
        # Behind Pushpin one process publishes: on PostgreSQL the one holding the advisory lock (see `_listen`).
        self._publisher = connection.vendor != "postgresql"
        self._grip: grip.Publisher | None = None

    async def start(self) -> None:
        """Starts the listener without a client: behind Pushpin it publishes whether or not anyone connected here."""
        await self._start()

    async def _start(self) -> None:
        if self._task is None or self._task.done():
            self._ready = asyncio.Event()
            # In a context of its own, not the first client's request's, which ends before the listener does.
            self._task = asyncio.get_running_loop().create_task(self._run(), name="wireroom-stream-hub",
                                                                context=contextvars.Context())
        assert self._ready is not None
        await self._ready.wait()

    @contextlib.asynccontextmanager
    async def subscribe(self, *, format_name: str, filters: EventFilters, prepositioned: bool,
                        cursor: int | None) -> AsyncIterator[Subscriber]:
        """Registers a client that takes `format_name` and the events `filters` let through (pre-positioning's
        only if `prepositioned`). Every such event the hub reads from now on is held for it; without a `cursor`
        it starts at `head`, the newest event the hub has read."""
        await self._start()
        subscriber = Subscriber(format_name=format_name, filters=filters, prepositioned=prepositioned,
                                sent=self.head if cursor is None else cursor)
        self._subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)
            subscriber.end()

    async def replay(self, *, cursor: int, filters: EventFilters, prepositioned: bool = False) -> EventPage:
        return await in_db_thread(functools.partial(events_after, cursor=cursor, filters=filters, limit=PAGE,
                                                    prepositioned=prepositioned))

    async def message(self, event_row: WireEvent, format_name: str) -> bytes:
        """The event's SSE message in this format, rendered once per process for all clients that take it (and
        stored for every process). Once rendered, every other client gets the same bytes without a wait."""
        key = (event_row.seq, format_name)
        future = self._messages.get(key)
        if future is None:
            future = asyncio.ensure_future(in_db_thread(_message, event_row, format_name))
            self._messages[key] = future
            while len(self._messages) > RENDERINGS_KEPT:
                self._messages.popitem(last=False)
        elif future.done() and future.exception() is None:
            return future.result()
        try:
            return await asyncio.shield(future)
        except Exception:
            self._messages.pop(key, None)  # not kept: the client's reconnection tries again
            raise

    async def _run(self) -> None:
        assert self._ready is not None
        while True:
            try:
                self.head = await in_db_thread(events_head)
                self._ready.set()
                if self._heartbeat is None or self._heartbeat.done():
                    self._heartbeat = asyncio.get_running_loop().create_task(self._beat(), name="wireroom-heartbeat")
                if connection.vendor == "postgresql":
                    await self._listen()
                else:
                    while True:
                        await self._read()
                        await asyncio.sleep(settings.STREAM_POLL_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A lost database must not end every client's stream: they wait, and get what they missed.
                log.exception("the stream's listener failed; it starts again in a second")
                await asyncio.sleep(1)

    async def _listen(self) -> None:
        db = connection.settings_dict
        params = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"],
                  "port": db["PORT"]}
        async with await psycopg.AsyncConnection.connect(
                autocommit=True, **{name: value for name, value in params.items() if value}) as listener:
            await listener.execute(f"LISTEN {EVENT_CHANNEL}")
            self._publisher = False  # a new session holds no lock yet
            while True:
                if grip.enabled() and not self._publisher:
                    # Held by this connection's session: another process takes over when this one goes.
                    cursor = await listener.execute("SELECT pg_try_advisory_lock(%s)", (PUBLISHER_LOCK,))
                    row = await cursor.fetchone()
                    self._publisher = bool(row and row[0])
                await self._read()  # also what committed before LISTEN took effect
                async for _notify in listener.notifies(timeout=settings.STREAM_POLL_SECONDS * 100, stop_after=1):
                    pass

    async def _read(self) -> None:
        await self._fan_out()
        if grip.enabled() and self._publisher:
            if self._grip is None:
                self._grip = grip.Publisher(settings.STREAM_GRIP_URL)
            try:
                await in_db_thread(functools.partial(grip.publish_pending, head=self.head, render=sse_event,
                                                     publisher=self._grip))
            except grip.PublishFailed as exc:
                # Pushpin restarting or down: the embedded clients go on, Pushpin's get what they missed later.
                log.warning("could not publish to Pushpin (%s); trying again at the next read", exc)

    async def _fan_out(self) -> None:
        while (newest := await in_db_thread(events_head)) > self.head:
            # Every event, pre-positioning's too: `_offer` gives each client what it may have.
            page = await in_db_thread(functools.partial(events_after, cursor=self.head, limit=PAGE,
                                                        prepositioned=True))
            if not page.events:
                # Only events left out (of releases withdrawn since); everything up to `newest` has committed,
                # since appends are serialized, so none can still turn up below it.
                self.head = newest
                return
            for event_row in page.events:
                bodies = await self._render(event_row)
                self.head = event_row.seq
                self._offer(event_row, bodies)

    async def _render(self, event_row: WireEvent) -> dict[str, bytes]:
        """Renders the event in its clients' formats before any of them gets it, so that none of them waits.
        Until every format is there: a client that subscribed during a rendering may want one more."""
        bodies: dict[str, bytes] = {}
        failed: set[str] = set()
        while missing := {subscriber.format_name for subscriber in self._subscribers} - bodies.keys() - failed:
            for format_name in missing:
                try:
                    bodies[format_name] = await self.message(event_row, format_name)
                except Exception:
                    # Its clients are let go in `_offer`; each reconnects, and its replay tries again.
                    log.exception("could not render event %s as %s", event_row.seq, format_name)
                    failed.add(format_name)
        return bodies

    def _offer(self, event_row: WireEvent, bodies: Mapping[str, bytes]) -> None:
        """Gives the event to every client that may have it, in one pass and without a task switch: ten thousand
        clients cost ten thousand writes, and clients with the same filters one check."""
        now = asyncio.get_running_loop().time()
        sealed = event_row.action in PREPOSITIONING_EVENTS
        verdicts: dict[EventFilters, bool] = {}
        for subscriber in list(self._subscribers):
            if event_row.seq <= subscriber.sent or (sealed and not subscriber.prepositioned):
                continue
            try:
                verdict = verdicts.get(subscriber.filters)
                if verdict is None:
                    verdict = verdicts[subscriber.filters] = subscriber.filters.matches(event_row.release)
                if not verdict:
                    continue
                body = bodies.get(subscriber.format_name)
                if body is None:
                    subscriber.end()
                else:
                    subscriber.offer(event_row.seq, body, now)
            except Exception:
                # One client's failure ends that client, never the others' fan-out.
                log.exception("could not give event %s to a stream client", event_row.seq)
                subscriber.end()

    async def _beat(self) -> None:
        """A comment to every live client that got nothing for `WIREROOM_STREAM_HEARTBEAT_SECONDS`, so that
        proxies keep idle connections open."""
        interval = settings.STREAM_HEARTBEAT_SECONDS
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval / 4)
            now = loop.time()
            for subscriber in list(self._subscribers):
                if subscriber.writer is not None and now - subscriber.last_write >= interval:
                    subscriber.last_write = now
                    subscriber.writer.write(HEARTBEAT)


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def hub() -> Hub:
    """The hub of the running event loop (one per process under uvicorn; tests may run several loops)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs.clear()  # a closed loop's hub goes with it
        _hubs[loop] = current = Hub()
        metrics.STREAM_CLIENTS.set_function(lambda: len(current._subscribers))
        metrics.STREAM_HEAD.set_function(lambda: current.head)
    return _hubs[loop]


async def start_publisher() -> None:
    """At the web server's start: behind Pushpin the events go out even before (or without) a client here."""
    if grip.enabled():
        await hub().start()
