"""The one registry of translation engines. Each engine package registers itself on import.

`WIREROOM_TRANSLATION_ENGINES` names the engines in use, in order of preference: the first that has a
pair translates it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from wireroom.translation.engines.base import Engine


@dataclass(frozen=True)
class EngineSpec:
    name: str
    factory: Callable[[], Engine]


_ENGINES: dict[str, EngineSpec] = {}


def register(spec: EngineSpec) -> EngineSpec:
    if spec.name in _ENGINES:
        raise ValueError(f"translation engine {spec.name!r} is registered twice")
    _ENGINES[spec.name] = spec
    return spec


def get(name: str) -> EngineSpec:
    try:
        return _ENGINES[name]
    except KeyError:
        raise LookupError(f"no translation engine named {name!r}; known: {', '.join(sorted(_ENGINES))}") from None


def engine_names() -> list[str]:
    return sorted(_ENGINES)


def configured_engines() -> list[Engine]:
    """The engines the settings turn on, each made once per call (they read their settings when made)."""
    names: list[str] = settings.ENV["WIREROOM_TRANSLATION_ENGINES"]
    return [get(name).factory() for name in names]
