"""Reads of releases. Whatever the public sees goes through `public_releases`; whatever an issuer or an editor
may see beyond that goes through `releases_visible_to` (one membership) or `release_visible_to_user` (a
signed-in user with any of their memberships). Both rest on `_visibility`, the one rule."""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from functools import reduce

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from wireroom.accounts.models import ISSUER_ROLES, Membership
from wireroom.lib.errors import NotFound
from wireroom.releases.models import PUBLIC_STATES, Localization, Release, State


def _with_relations(queryset: QuerySet[Release]) -> QuerySet[Release]:
    return queryset.select_related("issuer", "original_language").prefetch_related(
        Prefetch("localizations", queryset=Localization.objects.select_related("language", "translated_from")),
        "sectors", "countries", "regions", "languages",
    )


def _visibility(actor: Membership) -> Q | None:
    """Which releases a membership sees in every state: the wire's staff all of them, an organization's issuer
    members and admins their organization's; anyone else none (None)."""
    if actor.is_wire_staff:
        # Not Q(): an empty Q vanishes when it is OR-ed with another.
        return Q(pk__isnull=False)
    if actor.role in ISSUER_ROLES:
        return Q(issuer_id=actor.organization_id)
    return None


def public_releases(*, now: dt.datetime | None = None) -> QuerySet[Release]:
    """Published or corrected, with the embargo second passed; never withdrawn."""
    moment = now or timezone.now()
    return _with_relations(
        Release.objects.filter(state__in=PUBLIC_STATES, published_at__isnull=False, published_at__lte=moment)
        .filter(Q(embargo_at__isnull=True) | Q(embargo_at__lte=moment))
        .order_by("-published_at", "-id")
    )


def public_release(*, release_id: uuid.UUID) -> Release | None:
    return public_releases().filter(pk=release_id).first()


def release_is_withdrawn(*, release_id: uuid.UUID) -> bool:
    return Release.objects.filter(pk=release_id, state=State.WITHDRAWN).exists()


def releases_visible_to(*, actor: Membership) -> QuerySet[Release]:
    """What one membership (an API key's, a service's actor) may see, in every state."""
    rule = _visibility(actor)
    queryset = Release.objects.none() if rule is None else Release.objects.filter(rule)
    return _with_relations(queryset.order_by("-created_at", "-id"))


def release_for(*, actor: Membership, release_id: str | uuid.UUID) -> Release:
    """The release if the actor may see it; another organization's is missing, never forbidden."""
    try:
        key = uuid.UUID(str(release_id))
    except ValueError:
        raise NotFound("No such release.") from None
    release = releases_visible_to(actor=actor).filter(pk=key).first()
    if release is None:
        raise NotFound("No such release.")
    return release


def release_visible_to_user(*, user: AbstractBaseUser | AnonymousUser, release_id: uuid.UUID) -> Release | None:
    """The release if a signed-in user may see it in every state through any of their memberships: the
    newsroom's preview and the distribution report ask here."""
    if not user.is_authenticated:
        return None
    rules = [rule for actor in Membership.objects.select_related("organization").filter(user_id=user.pk)
             if (rule := _visibility(actor)) is not None]
    if not rules:
        return None
    return _with_relations(Release.objects.filter(reduce(operator.or_, rules), pk=release_id)).first()


def release_by_pk(*, pk: uuid.UUID) -> Release:
    return _with_relations(Release.objects.filter(pk=pk)).get()


def latest_correction_note(*, release: Release) -> str:
    latest = release.versions.order_by("-number").first()
    return latest.note if latest is not None and latest.action == "correct" else ""
