"""The ASGI layer in front of Django: the lifespan protocol, the request body limit for bodies Django would
otherwise read whole before any middleware runs (chunked ones have no length to check), one shared thread for
the synchronous work of long-lived requests (the stream), and a writer that lets one task write to thousands of
those requests' connections."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Generator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext

from wireroom.web.middleware import TOO_LARGE

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# A client that sends its whole body before reading the answer (most do, unless they ask with
# "Expect: 100-continue") would see the connection reset instead of the 413 if the server closed it on an
# unread body; so an oversized body is read and dropped up to this much, and only then answered.
DRAIN_BYTES = 64 * 1024 * 1024


class BodyLimit:
    def __init__(self, app: App, *, max_bytes: Callable[[], int],
                 on_startup: Callable[[], Awaitable[None]] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_startup = on_startup

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, self.on_startup)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes()
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            # Declared too large: Django answers 413 without reading; drain what a client may still send.
            asks_first = headers.get(b"expect", b"").lower() == b"100-continue"
            if not asks_first and declared <= DRAIN_BYTES:
                await _drain(receive, DRAIN_BYTES)
            await self.app({**scope, TOO_LARGE: True}, _refused_body(), send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                messages.append(message)  # a disconnect: Django sees it and stops
                break
            size += len(message.get("body", b""))
            if size > limit:
                await _drain(receive, DRAIN_BYTES - size)
                await self.app({**scope, TOO_LARGE: True}, _refused_body(), send)
                return
            messages.append(message)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(messages, receive), send)


# The server's own `send` of the long-lived request being handled (see `SharedThread`), for a `BodyWriter`.
response_send: contextvars.ContextVar[Send | None] = contextvars.ContextVar("response_send", default=None)


class SharedThread:
    """Runs the requests to `paths` in Django with one thread, shared by all of them, for their synchronous work.

    Django's ASGI handler gives every request a thread-sensitive context of its own: the synchronous parts of
    the request (the middleware's `process_request`/`process_response`, the view's `sync_to_async` calls, the
    signals) run on a thread created for that request, which lives until the response's last byte is sent. For a
    stream that is its whole life: 10,000 clients held 10,006 threads (1.3 GB) and took minutes to open. Entered
    here first, a context with this one-thread executor is the one Django's inner context defers to, so those
    requests keep Django's whole path (middleware, security headers, logging, rate limits) and share one
    thread, which they hold only while opening: a stream itself is a coroutine."""

    def __init__(self, app: App, *, paths: Collection[str]) -> None:
        self.app = app
        self.paths = frozenset(paths)
        # One worker: thread-sensitive code (a request's database connection) must always find the same thread.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shared-request")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        response_send.set(send)
        async with ThreadSensitiveContext(executor=self.executor):
            await self.app(scope, receive, send)


class BodyWriter:
    """Writes chunks of a streaming response through the server's ASGI `send` from plain, synchronous code, so
    that one task can write an event to ten thousand connections in a loop.

    Each client waiting for its next event in a task of its own cost a wake-up per client and event: at 10,000
    clients, 10,000 task steps and as many scheduled callbacks per event, half of the time spent in the garbage
    collector that those short-lived objects kept waking. uvicorn's `send` only suspends while the client's
    socket is full, so `write` runs it to its end right away; the rare write that does suspend is finished by a
    task, which then sends what came meanwhile (`backlog`, up to `limit` chunks), in order. `gave_up` resolves
    when the writer stops: the backlog overflowed, or the server refused a write."""

    def __init__(self, send: Send, *, limit: int) -> None:
        self._send = send
        self._limit = limit
        self._backlog: deque[bytes] = deque()
        self._task: asyncio.Task[None] | None = None
        self.gave_up: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def write(self, body: bytes) -> None:
        if self.gave_up.done():
            return
        if self._task is not None:
            if len(self._backlog) >= self._limit:
                self._give_up()
            else:
                self._backlog.append(body)
            return
        step = self._send({"type": "http.response.body", "body": body, "more_body": True}).__await__()
        try:
            blocker = step.send(None)
        except StopIteration:
            return
        except Exception:
            self._refused()
            return
        self._task = asyncio.get_running_loop().create_task(self._finish(step, blocker))

    async def close(self) -> None:
        """Stops a write still waiting for the client (its chunk was not written), before the response ends."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _finish(self, step: Generator[Any, None, None], blocker: Any) -> None:
        try:
            await _resume(step, blocker)
            while self._backlog:
                await self._send({"type": "http.response.body", "body": self._backlog.popleft(), "more_body": True})
        except Exception:
            self._refused()
        self._task = None

    def _refused(self) -> None:
        log.exception("the server refused a write of a streaming response")
        self._give_up()

    def _give_up(self) -> None:
        self._backlog.clear()
        if not self.gave_up.done():
            self.gave_up.set_result(None)


async def _resume(step: Generator[Any, None, None], blocker: Any) -> None:
    """Runs `step`, an awaitable's iterator started by hand that suspended on `blocker`, to its end as a task
    would: waits for each future it yields, then resumes it (the future's own `__await__` then returns its
    result or raises). Cancelled, it cancels what the step waits for and throws the cancellation into it."""
    while True:
        try:
            if asyncio.isfuture(blocker):
                blocker._asyncio_future_blocking = False
                await asyncio.wait((blocker,))
            elif blocker is None:
                await asyncio.sleep(0)  # a bare `yield`: give the loop one turn
            else:
                raise RuntimeError(f"a send yielded {blocker!r}, which is not a future")
        except asyncio.CancelledError:
            if asyncio.isfuture(blocker):
                blocker.cancel()
            try:
                step.throw(asyncio.CancelledError())
            except (asyncio.CancelledError, StopIteration):
                pass  # it unwound: its chunk was not written
            else:
                step.close()  # it went on waiting despite the cancellation
            raise
        try:
            blocker = step.send(None)
        except StopIteration:
            return


async def _drain(receive: Receive, budget: int) -> None:
    while budget > 0:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        budget -= len(message.get("body", b""))


def _refused_body() -> Receive:
    """What Django reads of a refused body: nothing, and after it no disconnect either. Django answers at
    once; asking the server for more would make it invite the client to send the body ("100 Continue")."""
    pending = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()  # until Django, having answered, stops listening
        raise AssertionError("unreachable")

    return receive


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """Gives the body as it was read, then what the server says after it (a disconnect)."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _lifespan(receive: Receive, send: Send, on_startup: Callable[[], Awaitable[None]] | None) -> None:
    # Answering keeps uvicorn from warning that the protocol is unsupported.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if on_startup is not None:
                await on_startup()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
