"""The interface every translation engine offers."""

from __future__ import annotations

from typing import Literal, Protocol

Markup = Literal["html", "text"]


class EngineError(Exception):
    """The engine could not translate now (a process failed, a server refused); the job is retried."""


class Engine(Protocol):
    name: str

    def version(self, *, source: str, target: str) -> str:
        """What produced a pair's text, recorded on every localization: the engine's and its data's versions."""
        ...

    def pairs(self) -> set[tuple[str, str]]:
        """(source, target) BCP 47 tags this engine translates directly, as installed and configured."""
        ...

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        """Translate a batch: one output per segment, in order, with the markup (and any ⟦n⟧ tokens) kept."""
        ...
