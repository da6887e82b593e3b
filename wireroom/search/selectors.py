"""The search's reads: what the newsroom's search page, the API's `?q=` and the feeds' `q` call."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString

from wireroom.lib.errors import InvalidInput
from wireroom.lib.html import html_to_text
from wireroom.lib.text import control_character
from wireroom.releases.models import Localization, Release
from wireroom.releases.selectors import ArchiveFilters, public_releases
from wireroom.search.analysis import query_parts
from wireroom.search.backends.base import Query
from wireroom.search.backends.registry import configured_backend
from wireroom.search.snippets import highlight, snippet

MAX_QUERY = 500
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchHit:
    """A release that matched, shown in the language it matched in (`language`).

    `release` carries its issuer, languages, sectors, countries, regions and localizations (prefetched), or with
    `relations=False` its issuer only (what a results page shows); `headline` and `snippet` are that
    localization's headline and an extract of its summary or body, escaped, with the matched words in `<mark>`.
    """

    release: Release
    language: str
    headline: SafeString
    snippet: SafeString
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    # Releases matched in all (each counted once, whatever the number of its languages that matched); when
    # `more`, the count of the best 1,000 matching texts only, and more matched: show it as "1,000+".
    total: int
    page: int
    per_page: int
    more: bool = False

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_releases(*, query: str, filters: ArchiveFilters | None = None, prefer_language: str | None = None,
                    page: int = 1, per_page: int = 20, now: dt.datetime | None = None,
                    relations: bool = True) -> SearchResults:
    """Public releases whose text in any language (or in `filters.language` only) matches every word of `query`,
    best first (relevance, discounted by age); each release once, in `prefer_language` if it matched there.

    `filters` narrows by sector, country, region, issuer (slug), kind and publication time as the archive's
    filters do; its `language` picks the localizations searched. Only public releases are found (published or
    corrected, past their embargo second, never withdrawn), whoever asks. A query with nothing to search for
    (only spaces or punctuation) finds nothing. Refuses (InvalidInput) a query over 500 characters, control
    characters, a page below 1 and a page size outside 1–100. `relations=False` reads each hit's release with its
    issuer alone, and only the matched localizations: two queries instead of six, the same hits.
    """
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"The search query is longer than {MAX_QUERY} characters.", details={"parameter": "q"})
    if control_character(query) is not None:
        raise InvalidInput("The search query holds a control character.", details={"parameter": "q"})
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"Pages start at 1 and hold 1 to {MAX_PER_PAGE} results.", details={"parameter": "page"})
    filters = filters or ArchiveFilters()
    parts = query_parts(query, filters.language)
    if not parts:
        return SearchResults(query=query, hits=[], total=0, page=page, per_page=per_page)
    moment = now or timezone.now()
    narrowing = dataclasses.replace(filters, language=None)
    filter_sql, filter_params = "", ()
    if narrowing != ArchiveFilters():
        narrowed = Release.objects.filter(narrowing.q()).order_by().values("pk")
        filter_sql, filter_params = narrowed.query.sql_with_params()
    backend = configured_backend()
    search = Query(
        parts=parts, filter_sql=filter_sql, filter_params=tuple(filter_params), language=filters.language,
        prefer_language=prefer_language, now=connection.ops.adapt_datetimefield_value(moment),
        limit=per_page, offset=(page - 1) * per_page)
    matches, total, capped = backend.search(search)
    if not matches and page > 1:
        # A page past the last counts nothing itself: the total comes from the first.
        _, total, capped = backend.search(dataclasses.replace(search, limit=1, offset=0))
    # The releases read through the public selector once more: with all their relations, or with their issuer
    # and the matched localizations alone.
    releases = public_releases(now=moment).filter(pk__in=[uuid.UUID(match.release_id) for match in matches])
    if relations:
        found = {release.pk: release for release in releases}
        localizations = [loc for release in found.values() for loc in release.localizations.all()]
    else:
        found = {release.pk: release for release in releases.prefetch_related(None)}
        wanted = functools.reduce(operator.or_, (
            Q(release_id=uuid.UUID(match.release_id), language_id=match.language) for match in matches), Q(pk__in=[]))
        localizations = list(Localization.objects.filter(wanted)) if matches else []
    texts = {(loc.release_id, loc.language_id): loc for loc in localizations}
    hits = []
    for match in matches:
        release = found.get(uuid.UUID(match.release_id))
        if release is None:
            continue
        localization = texts[(release.pk, match.language)]
        hits.append(SearchHit(
            release=release, language=match.language, score=match.score,
            headline=highlight(localization.headline, parts, match.language),
            snippet=snippet([localization.summary, html_to_text(localization.body_html)], parts, match.language)))
    return SearchResults(query=query, hits=hits, total=total, page=page, per_page=per_page, more=capped)


def search_matching(*, query: str, language: str | None = None) -> Q:
    """A filter of releases to those with text (in `language`, if given) matching every word of `query`, for a
    list that keeps its own order (a feed's newest first). It does not decide what is public: apply it to
    `public_releases`. Nothing matches a query with nothing to search for."""
    parts = query_parts(query, language)
    if not parts:
        return Q(pk__in=[])
    sql, params = configured_backend().matching(parts, language)
    return Q(pk__in=RawSQL(sql, params))
