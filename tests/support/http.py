"""An HTTP receiver on loopback for the webhook and outbound tests: it records requests and answers from a script."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType

from aiohttp import web


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = "ok"


class Sink:
    """An HTTP receiver on loopback that records every request and answers from a script per path."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: dict[str, list[Answer]] = {}
        self.in_flight = 0
        self.most_in_flight = 0
        self.pause = 0.0  # seconds each answer waits, so that requests overlap
        # Until `gather` requests have been in flight together, or `gather_seconds` have passed, each request
        # waits: requests a sender lets overlap are then sure to overlap, however fast the machine.
        self.gather = 0
        self.gather_seconds = 1.0
        self._gathering_until: float | None = None
        self.port = 0
        # True: a GET carrying `hub.challenge` is answered with it, as a WebSub subscriber confirms its intent.
        self.confirms_intent = False
        self._runner: web.AppRunner | None = None

    def answer(self, path: str, *answers: Answer) -> None:
        """Answer requests to `path` with these in turn, then keep giving the last one."""
        self.script[path] = list(answers)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path == path]

    async def _handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.path, dict(request.headers), await request.read(),
                                      method=request.method, query=dict(request.query)))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self._gather()
            if self.pause:
                await asyncio.sleep(self.pause)
        finally:
            self.in_flight -= 1
        if self.confirms_intent and request.method == "GET" and "hub.challenge" in request.query:
            return web.Response(text=request.query["hub.challenge"])
        queue = self.script.get(request.path) or [Answer()]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return web.Response(status=answer.status, headers=answer.headers, text=answer.body)

    async def _gather(self) -> None:
        if not self.gather:
            return
        loop = asyncio.get_running_loop()
        if self._gathering_until is None:
            self._gathering_until = loop.time() + self.gather_seconds
        while self.most_in_flight < self.gather and loop.time() < self._gathering_until:
            await asyncio.sleep(0.005)

    async def __aenter__(self) -> Sink:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Cancelling the handler when the client hangs up keeps a timed-out request from holding up cleanup.
        self._runner = web.AppRunner(app, handle_signals=False, handler_cancellation=True, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


@contextmanager
def sink_in_thread() -> Iterator[Sink]:
    """A Sink served from a thread of its own, so a test can set things up synchronously around it."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    sink = asyncio.run_coroutine_threadsafe(Sink().__aenter__(), loop).result(timeout=10)
    try:
        yield sink
    finally:
        asyncio.run_coroutine_threadsafe(sink.__aexit__(None, None, None), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
