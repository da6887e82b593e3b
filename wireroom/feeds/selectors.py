"""Reads for the feeds and the sitemaps. What is public is decided by `public_releases`; these only narrow it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from wireroom.releases.models import Action, Localization, Release, ReleaseVersion, State
from wireroom.releases.selectors import public_releases
from wireroom.search.selectors import search_matching


@dataclass(frozen=True)
class Facets:
    """What a feed narrows the wire to; None on an axis means any."""

    language: str | None = None
    sector: str | None = None
    issuer: str | None = None
    country: str | None = None
    region: str | None = None
    # Words the releases' text must hold (in `language`, when the feed names one): a saved search as a feed.
    q: str | None = None

    def narrow(self, queryset: QuerySet[Release]) -> QuerySet[Release]:
        # Each axis names one value, so each join matches at most one row per release: no duplicates.
        if self.language:
            queryset = queryset.filter(localizations__language_id=self.language)
        if self.sector:
            queryset = queryset.filter(sectors__slug=self.sector)
        if self.issuer:
            queryset = queryset.filter(issuer__slug=self.issuer)
        if self.country:
            queryset = queryset.filter(countries__code=self.country)
        if self.region:
            queryset = queryset.filter(regions__slug=self.region)
        if self.q:
            queryset = queryset.filter(search_matching(query=self.q, language=self.language))
        return queryset


@dataclass(frozen=True)
class Cursor:
    """A place in the wire's order (newest first): the entries strictly older than this release."""

    published_at: dt.datetime
    release_id: uuid.UUID


@dataclass(frozen=True)
class PageEntry:
    """What a feed's validators are made of: enough to answer a conditional GET without loading the releases."""

    release_id: uuid.UUID
    version: int
    published_at: dt.datetime
    updated_at: dt.datetime


def feed_page(*, facets: Facets, before: Cursor | None, limit: int,
              now: dt.datetime | None = None) -> list[PageEntry]:
    """Up to `limit` public releases matching the facets, newest first, older than `before` if given; each with
    its latest version's time (`updated_at`, the publication or the latest correction)."""
    queryset = facets.narrow(public_releases(now=now)).prefetch_related(None)
    if before is not None:
        queryset = queryset.filter(
            Q(published_at__lt=before.published_at) | Q(published_at=before.published_at, id__lt=before.release_id))
    rows = queryset.annotate(latest=Max("versions__created_at")).values_list("id", "version", "published_at",
                                                                               "latest")[:limit]
    return [PageEntry(release_id=key, version=version, published_at=published,
                      updated_at=max(published, latest) if latest else published)
            # Every public release is published; the test keeps the type checker sure of it.
            for key, version, published, latest in rows if published is not None]


def feed_releases(*, page: list[PageEntry], language: str | None) -> list[Release]:
    """The page's releases, whole and in the page's order, each with its text in `language` (None: the
    original) as its only localization, its sectors and `corrections` (its correction versions, latest first).
    They were public when the page was read; a release withdrawn since is left out."""
    wanted = Q(language_id=language) if language else Q(language_id=F("release__original_language_id"))
    texts = Localization.objects.filter(wanted).select_related("language", "translated_from")
    releases = (public_releases().filter(pk__in=[entry.release_id for entry in page])
                # Each entry shows one language: loading the other fourteen would double the feed's time.
                .prefetch_related(None).prefetch_related(
                    Prefetch("localizations", queryset=texts),
                    "sectors",
                    Prefetch("versions", to_attr="corrections",
                             queryset=ReleaseVersion.objects.filter(action=Action.CORRECT).order_by("-number"))))
    found = {release.pk: release for release in releases}
    return [found[entry.release_id] for entry in page if entry.release_id in found]


def last_withdrawal(*, facets: Facets, now: dt.datetime | None = None) -> dt.datetime | None:
    """When a release matching the facets was last withdrawn: a feed changes then, though no entry is newer."""
    moment = now or timezone.now()
    withdrawn = facets.narrow(Release.objects.filter(state=State.WITHDRAWN, withdrawn_at__lte=moment))
    latest: dt.datetime | None = withdrawn.aggregate(latest=Max("withdrawn_at"))["latest"]
    return latest


def public_localizations(*, since: dt.datetime | None = None,
                         now: dt.datetime | None = None) -> QuerySet[Localization]:
    """Every language page of a public release, oldest release first (so the sitemap's pages stay put), with
    `updated_at_wire` (the release's latest version's time). `since`: published at or after it."""
    releases = public_releases(now=now)
    if since is not None:
        releases = releases.filter(published_at__gte=since)
    return (Localization.objects.filter(release__in=releases.order_by().values("pk"))
            .select_related("release", "language")
            .annotate(updated_at_wire=Max("release__versions__created_at"))
            .order_by("release__published_at", "release_id", "language__position"))
