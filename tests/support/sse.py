"""A Server-Sent Events reader that follows the specification's parsing rules (HTML Living Standard, 9.2.6), for
tests that read `/api/v1/stream` as a partner's client would."""

from __future__ import annotations

import asyncio
import codecs
import re
import ssl
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SseEvent:
    id: str
    event: str
    data: str


async def sse_events(response: aiohttp.ClientResponse) -> AsyncIterator[SseEvent]:
    """Dispatches an event at each blank line; comments (`:`) are skipped; `id` persists as the last event id."""
    last_id, name, buffer = "", "", ""
    data: list[str] = []
    decoder = codecs.getincrementaldecoder("utf-8")()  # a character may be split between chunks
    async for chunk in response.content.iter_any():
        buffer += decoder.decode(chunk)
        # A \r at the end waits for the next chunk: it may be the first half of \r\n.
        end = len(buffer) - 1 if buffer.endswith("\r") else len(buffer)
        lines = _LINE_END.split(buffer[:end])
        buffer = lines.pop() + buffer[end:]
        for line in lines:
            if line == "":
                if data:
                    yield SseEvent(id=last_id, event=name or "message", data="\n".join(data))
                name, data = "", []
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
            elif field == "id" and "\0" not in value:
                last_id = value


class Reader(threading.Thread):
    """An SSE client in a thread of its own: reads `url` until `want` events came, dropping the connection once
    after `drop_after` events and coming back with Last-Event-ID, as a partner's client would."""

    def __init__(self, url: str, key: str, *, want: int, drop_after: int | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        super().__init__(daemon=True)
        self.url, self.key, self.want, self.drop_after = url, key, want, drop_after
        self.tls: ssl.SSLContext | bool = tls if tls is not None else True  # True: aiohttp's default checks
        self.events: list[SseEvent] = []
        self.connected, self.dropped = threading.Event(), threading.Event()
        self.heartbeats = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(asyncio.wait_for(self._read(), 120))
        except BaseException as exc:  # reported by the test
            self.error = exc

    async def _read(self) -> None:
        async with aiohttp.ClientSession() as session:
            while len(self.events) < self.want:
                headers = {"Authorization": f"Bearer {self.key}", "Accept": "text/event-stream"}
                if self.events:
                    headers["Last-Event-ID"] = self.events[-1].id
                async with session.get(self.url, headers=headers, ssl=self.tls) as response:
                    assert response.status == 200, await response.text()
                    assert response.content_type == "text/event-stream"
                    self.connected.set()
                    async for event in sse_events(response):
                        self.events.append(event)
                        if len(self.events) == self.drop_after and not self.dropped.is_set():
                            self.dropped.set()
                            break  # leaving the block closes the connection mid-burst
                        if len(self.events) >= self.want:
                            return
