"""The one registry of output formats: every item the wire serves or pushes is rendered through it.

A format is a module under `wireroom/formats/` that registers a `Format` when it is imported (`FormatsConfig`
imports them). Callers ask for a format by name (`get_format("newsml-g2")`) or let the client's `Accept` header
choose (`negotiate`), then call `render(release=…, version=…, language=…, action=…)`, which returns the bytes
to store or send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from wireroom.lib.registry import Registry

if TYPE_CHECKING:
    from wireroom.releases.fanout import Upcoming
    from wireroom.releases.models import Release

DEFAULT = "ninjs"


class Renderer(Protocol):
    def __call__(self, *, release: Release, version: int | None, language: str | None,
                 action: str | None, upcoming: Upcoming | None = None) -> bytes: ...


@dataclass(frozen=True)
class Format:
    """An output format.

    `render` takes the release; the version to describe (None: the latest); the language of the item (None:
    the original language, with the translations wherever the format can carry them); and the action that
    made the version (`publish`, `correct`, `withdraw`; None: describe the release as it stands, in any state).
    `upcoming` describes a version about to be made, whose row does not exist yet (staging renders it before
    the transaction that writes it).
    """

    name: str
    standard: str
    version: str
    media_type: str
    extension: str
    render: Renderer
    # The media types a client may ask for in `Accept`, most specific first; the first is the Content-Type.
    accept: tuple[str, ...]

    @property
    def content_type(self) -> str:
        return self.accept[0]

    @property
    def is_json(self) -> bool:
        return self.media_type.endswith("+json") or self.media_type == "application/json"


class UnknownFormat(LookupError):
    pass


_FORMATS: Registry[Format] = Registry("format", missing=UnknownFormat)
register = _FORMATS.register
get_format = _FORMATS.get


def format_names() -> list[str]:
    """The registered names, the default first."""
    return sorted(_FORMATS.names(), key=lambda name: (name != DEFAULT, name))


def offered_media_types() -> list[tuple[str, Format]]:
    """Every media type a client may ask for, in the order of preference when it accepts several equally."""
    offers = [(media_type, fmt) for fmt in map(get_format, format_names()) for media_type in fmt.accept]
    # Plain JSON is the default format's, after every specific type.
    return [*offers, ("application/json", get_format(DEFAULT))] if DEFAULT in _FORMATS else offers


class Chooser(Protocol):
    def __call__(self, media_types: list[str]) -> str | None: ...


def negotiate(choose: Chooser) -> Format | None:
    """The format the client prefers, or None if it accepts none of the offered media types.

    `choose` is the request's `get_preferred_type`, so Django's own reading of `Accept` (quality, specificity,
    parameters such as `version=2.2`) decides; among equally acceptable types the default format wins.
    """
    offers = offered_media_types()
    chosen = choose([media_type for media_type, _fmt in offers])
    return next((fmt for media_type, fmt in offers if media_type == chosen), None)
