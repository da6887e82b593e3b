"""The ASGI layer in front of Django: the lifespan protocol, the request body limit for bodies Django would
otherwise read whole before any middleware runs (chunked ones have no length to check), and one shared thread for
the synchronous work of long-lived requests (the stream)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext

from wireroom.web.middleware import TOO_LARGE

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
        async with ThreadSensitiveContext(executor=self.executor):
            await self.app(scope, receive, send)


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
