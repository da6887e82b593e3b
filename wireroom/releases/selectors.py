"""Reads of releases. Whatever the public sees goes through `public_releases`."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from wireroom.accounts.models import ISSUER_ROLES, Membership
from wireroom.lib.errors import NotFound
from wireroom.releases import permissions
from wireroom.releases.models import PUBLIC_STATES, Localization, Release


def _with_relations(queryset: QuerySet[Release]) -> QuerySet[Release]:
    return queryset.select_related("issuer", "original_language").prefetch_related(
        Prefetch("localizations", queryset=Localization.objects.select_related("language", "translated_from")),
        "sectors", "countries", "regions", "languages",
    )


def public_releases(now: dt.datetime | None = None) -> QuerySet[Release]:
    """Published or corrected, with the embargo second passed; never withdrawn."""
    moment = now or timezone.now()
    return _with_relations(
        Release.objects.filter(state__in=PUBLIC_STATES, published_at__isnull=False, published_at__lte=moment)
        .filter(Q(embargo_at__isnull=True) | Q(embargo_at__lte=moment))
        .order_by("-published_at", "-id")
    )


def releases_visible_to(actor: Membership) -> QuerySet[Release]:
    """Editors see every release; issuers see only their own organization's."""
    queryset = Release.objects.all()
    if not permissions.is_wire_staff(actor):
        if actor.role not in ISSUER_ROLES:
            queryset = queryset.none()
        queryset = queryset.filter(issuer_id=actor.organization_id)
    return _with_relations(queryset.order_by("-created_at", "-id"))


def release_for(actor: Membership, release_id: str | uuid.UUID) -> Release:
    try:
        key = uuid.UUID(str(release_id))
    except ValueError:
        raise NotFound("No such release.") from None
    release = releases_visible_to(actor).filter(pk=key).first()
    if release is None:
        raise NotFound("No such release.")
    return release


def release_by_pk(pk: uuid.UUID) -> Release:
    return _with_relations(Release.objects.filter(pk=pk)).get()


def public_release(release_id: uuid.UUID) -> Release | None:
    return public_releases().filter(pk=release_id).first()


def latest_correction_note(release: Release) -> str:
    latest = release.versions.order_by("-number").first()
    return latest.note if latest is not None and latest.action == "correct" else ""
