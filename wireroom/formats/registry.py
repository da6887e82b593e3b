"""The one registry of output formats. A channel asks for a format by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wireroom.releases.models import Release


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    render: Callable[[Release], Any]


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    if fmt.name in _FORMATS:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    _FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> Format:
    try:
        return _FORMATS[name]
    except KeyError:
        raise LookupError(f"no format named {name!r}; known: {', '.join(sorted(_FORMATS))}") from None

