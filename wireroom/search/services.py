"""Writes to the search index: the lifecycle's indexer (registered on `releases.indexing`) and the rebuild.

Only public releases are indexed (published or corrected); the selector checks the embargo second and the
state again when it reads, so an entry never shows a release that is not public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from wireroom.lib.html import html_to_text
from wireroom.releases.models import PUBLIC_STATES, Release
from wireroom.search.analysis import terms
from wireroom.search.backends.base import Backend, Document
from wireroom.search.backends.registry import configured_backend
from wireroom.search.models import SearchEntry

# A body is indexed up to here: PostgreSQL's tsvector holds at most 1 MB, and the opening of a release is what
# readers search for.
MAX_BODY_CHARS = 100_000
# PostgreSQL keeps term positions up to 16,383.
MAX_TERMS = 16_000
REBUILD_BATCH = 200


def _drop(backend: Backend, release_ids: list[object]) -> None:
    old = list(SearchEntry.objects.filter(release_id__in=release_ids).values_list("pk", flat=True))
    if old:
        backend.drop(old)
        SearchEntry.objects.filter(pk__in=old).delete()


@dataclass(frozen=True)
class Terms:
    """A localization's terms, field by field."""

    language: str
    headline: list[str]
    summary: list[str]
    body: list[str]


def prepare(*, release: Release) -> list[Terms]:
    """The terms of the release's localizations as `release` holds them (in memory, maybe); writes nothing."""
    prepared = []
    for localization in release.localizations.all():
        language = localization.language_id
        headline, summary = terms(localization.headline, language), terms(localization.summary, language)
        # Positions beyond PostgreSQL's last one would all count as that one: stop before it on both backends.
        room = max(0, MAX_TERMS - len(headline) - len(summary) - 2)
        body = terms(html_to_text(localization.body_html)[:MAX_BODY_CHARS], language)[:room]
        prepared.append(Terms(language=language, headline=headline, summary=summary, body=body))
    return prepared


def _store(backend: Backend, indexed: list[tuple[Release, list[Terms]]]) -> int:
    pending = [(SearchEntry(release_id=release.pk, language_id=item.language), item)
               for release, items in indexed if release.state in PUBLIC_STATES for item in items]
    entries = SearchEntry.objects.bulk_create([entry for entry, _ in pending])
    backend.store([Document(entry_id=entry.pk, headline=item.headline, summary=item.summary, body=item.body)
                   for entry, (_, item) in zip(entries, pending, strict=True)])
    return len(entries)


def index_release(*, release: Release, prepared: object | None = None) -> int:
    """Replace the release's entries with its localizations (none unless it is public), from the terms `prepare`
    made (None: make them now); called by the lifecycle inside the transaction that publishes or corrects it.
    Returns how many were indexed."""
    backend = configured_backend()
    items = prepared if isinstance(prepared, list) else prepare(release=release)
    with transaction.atomic():
        _drop(backend, [release.pk])
        return _store(backend, [(release, items)])


def unindex_release(*, release: Release) -> int:
    """Take the release out of the index; called inside the transaction that withdraws it."""
    backend = configured_backend()
    with transaction.atomic():
        old = SearchEntry.objects.filter(release_id=release.pk).count()
        _drop(backend, [release.pk])
    return old


def _terms_of(release: Release, read: tuple[object, list[Terms]] | None) -> list[Terms]:
    """The terms made before the transaction, if the release has not changed since; else made afresh."""
    if read is not None and read[0] == release.updated_at:
        return read[1]
    return prepare(release=release)


def search_rebuild(*, progress: Callable[[int, int], object] | None = None) -> int:
    """Index every public release afresh, in batches of `REBUILD_BATCH`. A batch's terms are made outside any
    transaction and written in one of its own, so the lifecycle's writers wait for one batch's writes, never for
    its analysis or the whole rebuild. `progress(done, total)` is told after each batch. Returns how many
    localizations were indexed."""
    backend = configured_backend()
    with transaction.atomic():
        backend.clear()
        SearchEntry.objects.all().delete()
    ids = list(Release.objects.filter(state__in=PUBLIC_STATES).order_by("pk").values_list("pk", flat=True))
    indexed = 0
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start:start + REBUILD_BATCH]
        read = {release.pk: (release.updated_at, prepare(release=release))
                for release in Release.objects.filter(pk__in=batch).prefetch_related("localizations")}
        with transaction.atomic():
            # Read again in the batch's transaction: a release withdrawn meanwhile is no longer public here, and
            # one corrected meanwhile (its row saved: a later `updated_at`) has its terms made again.
            current = list(Release.objects.filter(pk__in=batch, state__in=PUBLIC_STATES))
            _drop(backend, list(batch))
            indexed += _store(backend, [(release, _terms_of(release, read.get(release.pk))) for release in current])
        if progress is not None:
            progress(min(start + REBUILD_BATCH, len(ids)), len(ids))
    return indexed
