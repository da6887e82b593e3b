"""A Server-Sent Events reader that follows the specification's parsing rules (HTML Living Standard, 9.2.6), for
tests that read `/api/v1/stream` as a partner's client would."""

from __future__ import annotations

import codecs
import re
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
