"""Reads for the newsroom's listing pages. What is public is decided by `releases_readable` for an anonymous
reader (published or corrected, past its embargo, never withdrawn); these only narrow it and name things."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum

from wireroom.accounts.models import Organization
from wireroom.releases.models import Release, State
from wireroom.releases.selectors import ArchiveFilters, archive_changed_at, public_releases, releases_readable
from wireroom.taxonomy.models import Country

TOP_STORY = "top-story"


def listed_releases(*, filters: ArchiveFilters) -> QuerySet[Release]:
    """The public releases matching `filters`, newest first, with their localizations, sectors and issuer."""
    return releases_readable(actor=None, filters=filters).order_by("-published_at", "-id")


def listing_changed_at(*, filters: ArchiveFilters) -> dt.datetime | None:
    """When the list `listed_releases` gives last changed (a release published, corrected or withdrawn)."""
    return archive_changed_at(actor=None, filters=filters)


def listing_state(*, filters: ArchiveFilters) -> tuple[object, ...]:
    """What a list of `listed_releases` shows, in two aggregate reads, for its validator: how many public releases
    match, their versions (a correction adds one), the newest change, publication and embargo second among them,
    and how many of those matching were withdrawn, and when last. Any change to the list changes one of these."""
    shown = releases_readable(actor=None, filters=filters).order_by().aggregate(
        count=Count("pk"), versions=Sum("version"), updated=Max("updated_at"), published=Max("published_at"),
        embargo=Max("embargo_at"))
    gone = Release.objects.filter(filters.q(), state=State.WITHDRAWN).aggregate(
        count=Count("pk"), withdrawn=Max("withdrawn_at"))
    return (*shown.values(), *gone.values())


def public_release_state(*, release_id: uuid.UUID) -> tuple[object, ...] | None:
    """A public release's version, last change, publication and embargo second; None when it is not public."""
    return public_releases().order_by().prefetch_related(None).select_related(None).filter(pk=release_id).values_list(
        "version", "updated_at", "published_at", "embargo_at").first()


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
