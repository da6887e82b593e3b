"""Reads of accounts."""

from __future__ import annotations

from wireroom.accounts.keys import KEY_PREFIX, api_key_digest
from wireroom.accounts.models import ApiKey, Membership


def api_key_for_secret(*, secret: str) -> ApiKey | None:
    """The live key whose secret this is, with its membership; None for an unknown or revoked key or an
    inactive user. It writes nothing: `api_key_touch` records the use."""
    if not secret.startswith(KEY_PREFIX):
        return None
    key = (
        ApiKey.objects.select_related("membership__organization", "membership__user")
        .filter(digest=api_key_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.membership.user.is_active:
        return None
    return key


def memberships_of(*, user_id: int | None) -> list[Membership]:
    """A signed-in user's memberships with their organizations; none for an anonymous visitor."""
    if user_id is None:
        return []
    return list(Membership.objects.select_related("organization").filter(user_id=user_id).order_by("pk"))


def organization_members(*, organization_id: int) -> list[Membership]:
    return list(Membership.objects.select_related("user").filter(organization_id=organization_id)
                .order_by("user__username"))


def organization_api_keys(*, organization_id: int) -> list[ApiKey]:
    """The organization's keys, live ones first, with whose they are."""
    return list(ApiKey.objects.select_related("membership__user").filter(membership__organization_id=organization_id)
                .order_by("revoked_at", "-created_at"))
