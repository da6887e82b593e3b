"""Writes to the search index: the lifecycle's indexer (registered on `releases.indexing`) and the rebuild.

Only public releases are indexed (published or corrected); the selector checks the embargo second and the
state again when it reads, so an entry never shows a release that is not public.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

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
REBUILD_BATCH = 500


def _drop(backend: Backend, release_ids: list[object]) -> None:
    old = list(SearchEntry.objects.filter(release_id__in=release_ids).values_list("pk", flat=True))
    if old:
        backend.drop(old)
        SearchEntry.objects.filter(pk__in=old).delete()


def _store(backend: Backend, releases: Iterable[Release]) -> int:
    pending = []
    for release in releases:
        if release.state not in PUBLIC_STATES:
            continue
        for localization in release.localizations.all():
            language = localization.language_id
            body = html_to_text(localization.body_html)[:MAX_BODY_CHARS]
            pending.append((SearchEntry(release_id=release.pk, language_id=language),
                            (terms(localization.headline, language), terms(localization.summary, language),
                             terms(body, language))))
    entries = SearchEntry.objects.bulk_create([entry for entry, _ in pending])
    backend.store([Document(entry_id=entry.pk, headline=headline, summary=summary, body=body)
                   for entry, (_, (headline, summary, body)) in zip(entries, pending, strict=True)])
    return len(entries)


def index_release(*, release: Release) -> int:
    """Replace the release's entries with its localizations as they stand (none unless it is public); called
    by the lifecycle inside the transaction that publishes or corrects it. Returns how many were indexed."""
    backend = configured_backend()
    with transaction.atomic():
        _drop(backend, [release.pk])
        return _store(backend, [release])


def unindex_release(*, release: Release) -> int:
    """Take the release out of the index; called inside the transaction that withdraws it."""
    backend = configured_backend()
    with transaction.atomic():
        old = SearchEntry.objects.filter(release_id=release.pk).count()
        _drop(backend, [release.pk])
    return old


def search_rebuild(*, progress: Callable[[int, int], object] | None = None) -> int:
    """Index every public release afresh, in batches of `REBUILD_BATCH`, each in a transaction of its own (so
    the lifecycle's writers wait for one batch, not the whole rebuild). `progress(done, total)` is told after
    each batch. Returns how many localizations were indexed."""
    backend = configured_backend()
    with transaction.atomic():
        backend.clear()
        SearchEntry.objects.all().delete()
    ids = list(Release.objects.filter(state__in=PUBLIC_STATES).order_by("pk").values_list("pk", flat=True))
    indexed = 0
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start:start + REBUILD_BATCH]
        with transaction.atomic():
            # Read in the batch's transaction: a release withdrawn meanwhile is no longer public here.
            releases = Release.objects.filter(pk__in=batch).prefetch_related("localizations")
            _drop(backend, list(batch))
            indexed += _store(backend, releases)
        if progress is not None:
            progress(min(start + REBUILD_BATCH, len(ids)), len(ids))
    return indexed
