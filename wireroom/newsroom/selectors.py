"""Reads for the newsroom's listing pages. What is public is decided by `releases_readable` for an anonymous
reader (published or corrected, past its embargo, never withdrawn); these only narrow it and name things."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Exists, OuterRef, QuerySet

from wireroom.accounts.models import Organization
from wireroom.releases.models import Release
from wireroom.releases.selectors import ArchiveFilters, archive_changed_at, releases_readable
from wireroom.taxonomy.models import Country

TOP_STORY = "top-story"


def listed_releases(*, filters: ArchiveFilters) -> QuerySet[Release]:
    """The public releases matching `filters`, newest first, with their localizations, sectors and issuer."""
    return releases_readable(actor=None, filters=filters).order_by("-published_at", "-id")


def listing_changed_at(*, filters: ArchiveFilters) -> dt.datetime | None:
    """When the list `listed_releases` gives last changed (a release published, corrected or withdrawn)."""
    return archive_changed_at(actor=None, filters=filters)


def top_stories(*, limit: int) -> list[Release]:
    """The latest public releases the wire's editors filed under the "top story" slot."""
    return list(listed_releases(filters=ArchiveFilters(sector=TOP_STORY))[:limit])


def _public() -> QuerySet[Release]:
    return releases_readable(actor=None).order_by()


def countries_with_releases() -> QuerySet[Country]:
    """The countries at least one public release targets (of the 249, usually a few)."""
    return Country.objects.filter(Exists(_public().filter(countries=OuterRef("pk")))).order_by("code")


def issuers_with_releases() -> QuerySet[Organization]:
    return Organization.objects.filter(Exists(_public().filter(issuer=OuterRef("pk")))).order_by("name")


def publication_dates(*, kind: Literal["year", "month", "day"], filters: ArchiveFilters) -> list[dt.date]:
    """The years, months or days (`kind`) in which public releases matching `filters` came out, newest first."""
    return [moment.date() for moment in
            listed_releases(filters=filters).prefetch_related(None).datetimes("published_at", kind, order="DESC")]
