"""What a search backend does: store a localization's terms, drop a release's, and find the best matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from wireroom.search.analysis import Part


@dataclass(frozen=True)
class Document:
    """A localization's terms, field by field, as `analysis.terms` made them."""

    entry_id: int
    headline: list[str]
    summary: list[str]
    body: list[str]


@dataclass(frozen=True)
class Match:
    """A release that matched, with the language of its best (or preferred) matching localization."""

    release_id: str
    language: str
    score: float


@dataclass(frozen=True)
class Query:
    """What to look for and where: the parts (all must match); the releases the filters leave, as SQL (a
    subquery of release ids and its parameters; empty for no filter); the language of the localizations to
    search (None: all); the language to show a release in when it matched in several; the moment that decides
    what is public; and the page."""

    parts: list[Part]
    filter_sql: str
    filter_params: tuple[object, ...]
    language: str | None
    prefer_language: str | None
    # The moment, as the database compares it with `published_at` (Django's adapted value).
    now: object
    limit: int
    offset: int


class Backend(Protocol):
    name: str
    vendor: str

    def store(self, documents: list[Document]) -> None:
        """Write the terms of new entries (their `SearchEntry` rows exist)."""

    def drop(self, entry_ids: list[int]) -> None:
        """Forget these entries' terms (their `SearchEntry` rows go next)."""

    def clear(self) -> None:
        """Forget every entry's terms."""

    def matching(self, parts: list[Part], language: str | None) -> tuple[str, list[Any]]:
        """SQL (and its parameters) selecting the ids of the releases with a localization (in `language`, if
        given) that matches every part; unranked, and not narrowed to public releases."""

    def search(self, query: Query) -> tuple[list[Match], int]:
        """The page of matches, best first, one per release, and how many releases matched in all."""
