"""Renderings of a version, made once per (format, language) and stored, so every channel sends the same bytes.

A row's payload is `{"mediaType": …, "value": <the rendered document as text>}`; language `*` is the release in
its original language with the translations wherever the format carries them (ninjs associations).

Staging makes them before the transaction that writes the version (`staging.render`) and stores them in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wireroom.formats.registry import get_format
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Release

ALL_LANGUAGES = "*"
# (RenderedItem.format, RenderedItem.language) → payload: what a channel's render makes, for staging to store.
Renderings = dict[tuple[str, str], dict[str, Any]]


@dataclass(frozen=True)
class Rendering:
    format: str
    language: str
    media_type: str
    value: str

    def key(self) -> tuple[str, str]:
        return self.format, self.language

    def payload(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "value": self.value}


def rendering(*, release: Release, upcoming: Upcoming, format_name: str, language: str | None) -> Rendering:
    """One format's rendering of the upcoming version; reads the release, writes nothing."""
    fmt = get_format(format_name)
    value = fmt.render(release=release, version=upcoming.number, language=language, action=upcoming.action,
                       upcoming=upcoming).decode()
    return Rendering(format=fmt.name, language=language or ALL_LANGUAGES, media_type=fmt.content_type, value=value)
