"""`BodyWriter`: the stream's hub writes each event to thousands of connections from one loop, through the
server's ASGI `send`. A server's `send` suspends while the client's socket is full (ASGI's back-pressure; uvicorn
waits for the transport to drain before writing); `Server` below does that on command, so each test decides
which write blocks. The whole path through uvicorn is tested in tests/api/test_stream.py."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from wireroom.web.asgi import BodyWriter


class Server:
    """An ASGI `send` that writes at once unless `full` is set, then waits until `drained()`, as uvicorn does."""

    def __init__(self, *, fails_on: bytes | None = None) -> None:
        self.written: list[bytes] = []
        self.writable = asyncio.Event()
        self.writable.set()
        self.fails_on = fails_on

    def full(self) -> None:
        self.writable.clear()

    def drained(self) -> None:
        self.writable.set()

    async def send(self, message: Mapping[str, Any]) -> None:
        if not self.writable.is_set():
            await self.writable.wait()
        if message["body"] == self.fails_on:
            raise RuntimeError("the response is already complete")
        self.written.append(message["body"])


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 10))


async def turns(count: int = 5) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


def test_writes_go_out_before_write_returns_when_the_client_keeps_up() -> None:
    async def test() -> None:
        server = Server()
        writer = BodyWriter(server.send, limit=10)
        for n in range(3):
            writer.write(b"event %d" % n)
            assert server.written[-1] == b"event %d" % n  # no task and no turn of the loop in between
        assert not writer.gave_up.done()

    run(test)


def test_a_client_that_falls_behind_gets_the_blocked_write_and_the_rest_in_order_once_it_reads() -> None:
    async def test() -> None:
        server = Server()
        writer = BodyWriter(server.send, limit=10)
        writer.write(b"1")
        server.full()
        for body in (b"2", b"3", b"4"):
            writer.write(body)
        await turns()
        assert server.written == [b"1"]
        server.drained()
        await turns()
        assert server.written == [b"1", b"2", b"3", b"4"]
        writer.write(b"5")  # caught up: written at once again
        assert server.written[-1] == b"5"
        assert not writer.gave_up.done()

    run(test)


def test_the_writer_gives_up_when_the_backlog_would_pass_its_limit_and_writes_nothing_more() -> None:
    async def test() -> None:
        server = Server()
        writer = BodyWriter(server.send, limit=2)
        server.full()
        for body in (b"blocked", b"kept 1", b"kept 2"):
            writer.write(body)
        assert not writer.gave_up.done()
        writer.write(b"one too many")
        assert writer.gave_up.done()
        server.drained()
        await turns()
        writer.write(b"after")
        await turns()
        # The blocked write was under way and finishes; the backlog is dropped: the client resumes from its
        # Last-Event-ID, so nothing is lost.
        assert server.written == [b"blocked"]

    run(test)


def test_closing_while_a_write_waits_leaves_that_chunk_unwritten() -> None:
    async def test() -> None:
        server = Server()
        writer = BodyWriter(server.send, limit=10)
        server.full()
        writer.write(b"waiting")
        writer.write(b"behind it")
        await writer.close()
        server.drained()
        await turns()
        assert server.written == []  # a response that ends here ends on a whole chunk

    run(test)


def test_a_write_the_server_refuses_makes_the_writer_give_up() -> None:
    async def test() -> None:
        server = Server(fails_on=b"refused")
        writer = BodyWriter(server.send, limit=10)
        writer.write(b"fine")
        writer.write(b"refused")
        assert writer.gave_up.done()
        writer.write(b"later")
        assert server.written == [b"fine"]

    run(test)


def test_a_write_refused_after_it_waited_makes_the_writer_give_up() -> None:
    async def test() -> None:
        server = Server(fails_on=b"refused")
        writer = BodyWriter(server.send, limit=10)
        server.full()
        writer.write(b"refused")
        writer.write(b"behind it")
        server.drained()
        await turns()
        assert writer.gave_up.done()
        assert server.written == []

    run(test)
