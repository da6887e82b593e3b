"""The limit of `wireroom bench stream`: a bare server that writes the wire's bytes to every connection.

`python -m wireroom.bench.stream_bare PORT FRAME` listens on loopback and answers every request with an SSE
stream (chunked, as uvicorn sends it) that opens with the wire's preamble. Each line `ID TIME` on stdin schedules
an event: at Unix time TIME it writes FRAME (one event as the wire sent it, its `id:` line set to ID) to every
open connection. It does nothing else (no request parsing beyond the end of the headers, no database, no
queues), so the latencies the load generator measures against it are what the generator and the machine allow:
the figure any server could reach on this machine with this generator.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path
from typing import cast

from wireroom.bench.stream_clients import run

HEAD = (b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
        b"transfer-encoding: chunked\r\n\r\n")
PREAMBLE = b"retry: 2000\n: wireroom stream\n\n"


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class Connection(asyncio.Protocol):
    def __init__(self, open_connections: set[asyncio.Transport]) -> None:
        self.open_connections = open_connections
        self.transport: asyncio.Transport | None = None
        self.head = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not asyncio.Transport subclasses

    def data_received(self, data: bytes) -> None:
        if self.transport is None or self.transport in self.open_connections:
            return
        self.head += data
        if b"\r\n\r\n" in self.head:
            self.transport.write(HEAD + chunk(PREAMBLE))
            self.open_connections.add(self.transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.open_connections.discard(self.transport)


async def _main(port: int, frame: bytes) -> None:
    loop = asyncio.get_running_loop()
    open_connections: set[asyncio.Transport] = set()
    server = await loop.create_server(lambda: Connection(open_connections), "127.0.0.1", port, backlog=4096)
    print("listening", flush=True)
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    while line := await stdin.readline():
        event_id, at = line.split()
        await asyncio.sleep(max(0.0, float(at) - time.time()))
        data = chunk(re.sub(rb"^id: \d+", b"id: " + event_id, frame, count=1))
        for transport in list(open_connections):
            transport.write(data)
    server.close()


if __name__ == "__main__":
    run(_main(int(sys.argv[1]), Path(sys.argv[2]).read_bytes()))
