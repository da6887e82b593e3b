"""The one registry of delivery channels. Each channel package registers itself on import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wireroom.distribution.channels.base import Channel

if TYPE_CHECKING:
    from wireroom.distribution.renderings import Renderings
    from wireroom.releases.fanout import Upcoming
    from wireroom.releases.models import Release


@dataclass(frozen=True)
class Recipients:
    """What a channel's rendering depends on in a version's recipients: their languages (`*` for every
    language) and the formats their endpoints take."""

    languages: frozenset[str] = field(default_factory=frozenset)
    formats: frozenset[str] = field(default_factory=frozenset)


# keys(recipients): the renderings those recipients need, named as `render` takes them (e-mail: languages;
# webhooks: formats).
Keys = Callable[[Recipients], frozenset[str]]
# render(release, upcoming, keys): those renderings, made before the staging transaction opens; it reads the
# release and writes nothing. Staging stores the result as RenderedItem rows, one per (format, language).
Render = Callable[["Release", "Upcoming", frozenset[str]], "Renderings"]


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    factory: Callable[[], Channel]
    keys: Keys
    render: Render


_CHANNELS: dict[str, ChannelSpec] = {}


def register(spec: ChannelSpec) -> ChannelSpec:
    if spec.name in _CHANNELS:
        raise ValueError(f"channel {spec.name!r} is registered twice")
    _CHANNELS[spec.name] = spec
    return spec


def get(name: str) -> ChannelSpec:
    try:
        return _CHANNELS[name]
    except KeyError:
        raise LookupError(f"no channel named {name!r}; known: {', '.join(sorted(_CHANNELS))}") from None


def channel_names() -> list[str]:
    return sorted(_CHANNELS)
