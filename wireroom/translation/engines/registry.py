"""The one registry of translation engines. Each engine package registers itself on import.

`WIREROOM_TRANSLATION_ENGINES` names the engines in use, in order of preference: the first that has a
pair translates it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from wireroom.lib.registry import Registry
from wireroom.translation.engines.base import Engine


@dataclass(frozen=True)
class EngineSpec:
    name: str
    factory: Callable[[], Engine]


_ENGINES: Registry[EngineSpec] = Registry("translation engine")
register = _ENGINES.register
get = _ENGINES.get
engine_names = _ENGINES.names


def configured_engines() -> list[Engine]:
    """The engines the settings turn on, each made once per call (they read their settings when made)."""
    names: list[str] = settings.ENV["WIREROOM_TRANSLATION_ENGINES"]
    return [get(name).factory() for name in names]
