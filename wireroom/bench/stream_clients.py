"""The load generator of `wireroom bench stream`, a process of its own: N concurrent SSE clients on one event loop.

`python -m wireroom.bench.stream_clients URL KEY CLIENTS EVENTS OUT` prints `ready` once every client has its
stream open, reads until each client has EVENTS events (or stdin closes), then writes to OUT, per client, the
event ids it got and when (Unix time, seconds), and how many connection attempts were refused and tried again.

Each client is a bare asyncio protocol that speaks just the HTTP/1.1 it needs (a GET, a status line, headers, a
chunked or unframed body) and finds the events' `id:` lines and ends: on two cores the generator shares the
machine with the server it measures, so what it spends per event is taken from the server. (With aiohttp's
client, parsing and buffering cost several times more.) `uvloop` runs the loop when it is installed.

A client refused with 502 or 503 tries again a second later, as a partner's client reconnects: Pushpin answers
502 at once when more new requests wait for the origin than its proxy queues (100 towards its HTTP client), which
a burst of a few hundred connections can reach, and 500 or 503 "Accept service unavailable" when its handler
falls behind taking the holds (seen at 10,000 clients on a saturated machine); a request with no answer in
OPEN_TIMEOUT seconds is made again. Anything else is a fault of the run.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

CONNECT_AT_ONCE = 200  # connections opened together, so the server's accept queue never overflows
RETRY_STATUSES = {502, 503}
# Pushpin's handler, overloaded while thousands of holds arrive, refuses a request with this 500 (or 503).
ACCEPT_UNAVAILABLE = b"Accept service unavailable"
RETRIES_MAX = 30
# A request that has no answer by then is given up and made again, as a partner's client would: Pushpin's handler,
# overloaded, drops some ("received message out of sequence, canceling") without answering.
OPEN_TIMEOUT = 30
refused = [0]  # connection attempts refused for a moment (see above) and tried again


class Refused(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"the stream answered {status}: {body[:500]!r}")
        self.status = status
        self.retry = status in RETRY_STATUSES or (status == 500 and body.startswith(ACCEPT_UNAVAILABLE))


class SseClient(asyncio.Protocol):
    """One stream: `opened` when the server's preamble (`: wireroom stream`) arrives (or fails with the answer
    that refused it), `done` with EVENTS events or when the connection ends."""

    def __init__(self, request: bytes, events: int, got: list[tuple[str, float]]) -> None:
        self.request = request
        self.events = events
        self.got = got
        self.opened = asyncio.get_running_loop().create_future()
        self.done = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self._head = b""
        self._status = 0
        self._chunked = False
        self._raw = bytearray()  # the body as received (chunked framing included)
        self._body = bytearray()  # the body, unframed
        self._chunk_left = 0  # bytes of the current chunk still to come
        self._event_id = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not asyncio.Transport subclasses
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.time()
        if not self._status:
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, data = self._head[:end], self._head[end + 4:]
            lines = head.split(b"\r\n")
            self._status = int(lines[0].split(b" ", 2)[1])
            self._chunked = any(line.lower().replace(b" ", b"") == b"transfer-encoding:chunked" for line in lines)
            if self._status != 200:
                self._finish(Refused(self._status, data))
                return
        if self._chunked:
            self._raw += data
            self._unchunk()
        else:
            self._body += data
        self._events(now)

    def _unchunk(self) -> None:
        raw, position = self._raw, 0
        while position < len(raw):
            if self._chunk_left:
                take = min(self._chunk_left, len(raw) - position)
                self._body += raw[position:position + take]
                position += take
                self._chunk_left -= take
                continue
            line_end = raw.find(b"\r\n", position)
            if line_end < 0:
                break
            size_text = bytes(raw[position:line_end]).split(b";")[0].strip()
            if not size_text:  # the CRLF after a chunk's data
                position = line_end + 2
                continue
            self._chunk_left = int(size_text, 16)
            position = line_end + 2
            if self._chunk_left == 0:
                self._finish(None)
                break
        del raw[:position]

    def _events(self, now: float) -> None:
        body = self._body
        # The wire sends `\n` line ends and one `data:` line per event; an event ends with an empty line.
        while (end := body.find(b"\n\n")) >= 0:
            for line in bytes(body[:end]).split(b"\n"):
                if line.startswith(b"id: "):
                    self._event_id = line[4:]
                elif line.startswith(b": wireroom stream") and not self.opened.done():
                    self.opened.set_result(None)
            del body[:end + 2]
            if self._event_id:
                self.got.append((self._event_id.decode(), now))
                self._event_id = b""
        if len(self.got) >= self.events:
            self._finish(None)

    def _finish(self, error: Exception | None) -> None:
        # An error before the stream opened is the answer to the open; after it, what the client missed counts
        # as lost.
        if not self.opened.done():
            if error is None:
                self.opened.set_result(None)
            else:
                self.opened.set_exception(error)
        if not self.done.done():
            self.done.set_result(None)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish(exc if exc is not None or self.opened.done() else ConnectionError("closed before the preamble"))


async def _client(target: tuple[str, int], request: bytes, events: int, opened: asyncio.Event,
                  got: list[tuple[str, float]], done: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    try:
        for attempt in range(RETRIES_MAX + 1):
            transport, client = await asyncio.wait_for(
                loop.create_connection(lambda: SseClient(request, events, got), *target), 60)
            try:
                await asyncio.wait_for(asyncio.shield(client.opened), OPEN_TIMEOUT)
            except (Refused, TimeoutError) as exc:
                if (isinstance(exc, TimeoutError) or exc.retry) and attempt < RETRIES_MAX:
                    transport.close()
                    refused[0] += 1
                    await asyncio.sleep(1)
                    continue
                raise
            opened.set()
            await client.done
            break
    finally:
        done.set()


async def _main(url: str, key: str, clients: int, events: int, out: Path) -> None:
    parts = urlsplit(url)
    target = (parts.hostname or "127.0.0.1", parts.port or 80)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {key}\r\n"
               f"Accept: text/event-stream\r\n\r\n").encode()
    received: list[list[tuple[str, float]]] = [[] for _ in range(clients)]
    opened = [asyncio.Event() for _ in range(clients)]
    done = [asyncio.Event() for _ in range(clients)]
    tasks = []
    for start in range(0, clients, CONNECT_AT_ONCE):
        batch = range(start, min(clients, start + CONNECT_AT_ONCE))
        tasks += [asyncio.create_task(_client(target, request, events, opened[n], received[n], done[n]))
                  for n in batch]
        waiting: asyncio.Future[Any] = asyncio.ensure_future(asyncio.gather(*(opened[n].wait() for n in batch)))
        await asyncio.wait([waiting, *tasks[start:]], timeout=120, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks[start:]:
            if task.done() and (error := task.exception()) is not None:
                raise error  # a client that could not open its stream: a fault of the run
        if not waiting.done():
            raise TimeoutError(f"clients {start} to {batch[-1]} did not open their streams in 120 s")
    print("ready", flush=True)
    # The bench closes stdin when the last event's time is long past: what has not come by then is lost.
    stdin = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    waits: list[asyncio.Future[Any]] = [asyncio.create_task(stdin.read()),
                                        asyncio.gather(*(event.wait() for event in done))]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for pending in [*tasks, *waits]:
        pending.cancel()
    await asyncio.gather(*tasks, *waits, return_exceptions=True)
    out.write_text(json.dumps({"received": received, "retries": refused[0]}))


def run(coroutine: Any) -> None:
    try:
        import uvloop
    except ImportError:
        asyncio.run(coroutine)
    else:
        uvloop.run(coroutine)


if __name__ == "__main__":
    url_arg, key_arg, clients_arg, events_arg, out_arg = sys.argv[1:6]
    run(_main(url_arg, key_arg, int(clients_arg), int(events_arg), Path(out_arg)))
