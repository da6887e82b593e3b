"""The lifecycle's port to the search index.

`releases` sits below `search` and never imports it, yet a release must enter the index in the transaction that
publishes it (so it is found from its second), be indexed again in the one that corrects it, and leave it in the
one that withdraws it (so it is never found after). The services call the indexer registered here, and
`SearchConfig.ready()` registers `wireroom.search.services`. As with the stager, the slow part (cutting the
text into terms) is done before the transaction, from the release as the change will leave it.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.releases.models import Release


class Indexer(Protocol):
    def prepare(self, *, release: Release) -> object:
        """Make the search terms of the release's localizations as they stand in `release` (which may be held in
        memory, as a change will leave it); reads, writes nothing. Slow for long texts, so the services call it
        before their transaction. The result is opaque to the lifecycle: it is handed back to `index_release`."""

    def index_release(self, *, release: Release, prepared: object | None = None) -> object:
        """Put the release's localizations in the index, replacing what it held for them, with the terms
        `prepare` made (None: make them now); nothing unless the release is public."""

    def unindex_release(self, *, release: Release) -> object:
        """Take the release out of the index."""


_INDEXERS: list[Indexer] = []


def register(indexer: Indexer) -> Indexer:
    if _INDEXERS and _INDEXERS[0] is not indexer:
        raise ValueError("a second indexer is registered; the lifecycle indexes through exactly one")
    _INDEXERS[:] = [indexer]
    return indexer


def get_indexer() -> Indexer:
    if not _INDEXERS:
        # Without an indexer a published release would never be found, and a withdrawn one never leave.
        raise ImproperlyConfigured("No search indexer is registered: wireroom.search must be in INSTALLED_APPS.")
    return _INDEXERS[0]
