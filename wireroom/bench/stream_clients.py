"""The load generator of `wireroom bench stream`, a process of its own: N concurrent SSE clients on one event loop.

`python -m wireroom.bench.stream_clients URL KEY CLIENTS EVENTS OUT` prints `ready` once every client has its
stream open, reads until each client has EVENTS events (or stdin closes), then writes to OUT, per client, the
event ids it got and when (Unix time, seconds), and how many connection attempts were refused and tried again.

A client refused with 502 or 503 tries again a second later, as a partner's client reconnects: Pushpin answers
502 at once when more new requests wait for the origin than its proxy queues (100 towards its HTTP client), which
a burst of a few hundred connections can reach. Anything else is a fault of the run.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

CONNECT_AT_ONCE = 200  # connections opened together, so the server's accept queue never overflows
RETRY_STATUSES = {502, 503}
RETRIES_MAX = 30
refused = [0]  # connection attempts answered 502 or 503 and tried again


async def _client(session: aiohttp.ClientSession, url: str, key: str, events: int, opened: asyncio.Event,
                  got: list[tuple[str, float]], done: asyncio.Event) -> None:
    headers = {"Authorization": f"Bearer {key}", "Accept": "text/event-stream"}
    for attempt in range(RETRIES_MAX + 1):
        async with session.get(url, headers=headers) as response:
            if response.status in RETRY_STATUSES and attempt < RETRIES_MAX:
                refused[0] += 1
                await asyncio.sleep(1)
                continue
            if response.status != 200:
                raise RuntimeError(f"the stream answered {response.status}: {await response.text()}")
            await _read(response, events, opened, got)
            break
    done.set()


async def _read(response: aiohttp.ClientResponse, events: int, opened: asyncio.Event,
                got: list[tuple[str, float]]) -> None:
    event_id, buffer = "", b""
    async for chunk in response.content.iter_any():
        now = time.time()
        buffer += chunk
        # The wire sends `\n` line ends and one `data:` line per event.
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.startswith(b": wireroom stream"):
                opened.set()
            elif line.startswith(b"id: "):
                event_id = line[4:].decode()
            elif line == b"" and event_id:
                got.append((event_id, now))
                event_id = ""
        if len(got) >= events:
            break


async def _main(url: str, key: str, clients: int, events: int, out: Path) -> None:
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=60, sock_read=None)
    received: list[list[tuple[str, float]]] = [[] for _ in range(clients)]
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        opened = [asyncio.Event() for _ in range(clients)]
        done = [asyncio.Event() for _ in range(clients)]
        tasks = []
        for start in range(0, clients, CONNECT_AT_ONCE):
            batch = range(start, min(clients, start + CONNECT_AT_ONCE))
            tasks += [asyncio.create_task(_client(session, url, key, events, opened[n], received[n], done[n]))
                      for n in batch]
            await asyncio.wait_for(asyncio.gather(*(opened[n].wait() for n in batch)), 120)
        print("ready", flush=True)
        # The bench closes stdin when the last event's time is long past: what has not come by then is lost.
        stdin = asyncio.StreamReader()
        await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
        waits: list[asyncio.Future[Any]] = [asyncio.create_task(stdin.read()),
                                            asyncio.gather(*(event.wait() for event in done))]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in [*tasks, *waits]:
            task.cancel()
    out.write_text(json.dumps({"received": received, "retries": refused[0]}))


if __name__ == "__main__":
    url_arg, key_arg, clients_arg, events_arg, out_arg = sys.argv[1:6]
    asyncio.run(_main(url_arg, key_arg, int(clients_arg), int(events_arg), Path(out_arg)))
