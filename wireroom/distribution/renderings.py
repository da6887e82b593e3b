"""Renderings of a version, made once per (format, language) and stored, so every channel sends the same bytes.

A row's payload is `{"mediaType": …, "value": <the rendered document as text>}`; language `*` is the release in
its original language with the translations wherever the format carries them (ninjs associations).
"""

from __future__ import annotations

from dataclasses import dataclass

from wireroom.distribution.models import RenderedItem
from wireroom.formats.registry import get_format
from wireroom.releases.models import Release

ALL_LANGUAGES = "*"


@dataclass(frozen=True)
class Rendering:
    format: str
    language: str
    media_type: str
    value: str


def rendering(*, release: Release, version: int, action: str, format_name: str, language: str | None) -> Rendering:
    """The stored rendering, made now if there is none yet (a retry or another channel must get the same bytes)."""
    fmt = get_format(format_name)
    key = language or ALL_LANGUAGES
    row = RenderedItem.objects.filter(release=release, version=version, format=fmt.name, language=key).first()
    if row is None:
        value = fmt.render(release=release, version=version, language=language, action=action).decode()
        row = RenderedItem.objects.create(release=release, version=version, format=fmt.name, language=key,
                                          payload={"mediaType": fmt.content_type, "value": value})
    return Rendering(format=fmt.name, language=key, media_type=str(row.payload["mediaType"]),
                     value=str(row.payload["value"]))
