"""The one registry of delivery channels. Each channel package registers itself on import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wireroom.distribution.channels.base import Channel

if TYPE_CHECKING:
    from wireroom.releases.models import Release

# prepare(release, version, action, languages): render what the fan-out needs, once, before it starts;
# it runs in the staging transaction and stores RenderedItem rows.
Prepare = Callable[["Release", int, str, list[str]], None]


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    factory: Callable[[], Channel]
    prepare: Prepare


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
