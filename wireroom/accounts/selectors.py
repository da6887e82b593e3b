from __future__ import annotations

from django.utils import timezone

from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.services import KEY_PREFIX, api_key_digest


def membership_for_api_key(secret: str) -> Membership | None:
    """The membership a live key acts as, or None for an unknown or revoked key."""
    if not secret.startswith(KEY_PREFIX):
        return None
    key = (
        ApiKey.objects.select_related("membership__organization", "membership__user")
        .filter(digest=api_key_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.membership.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.membership


def memberships_of(user_id: int | None) -> list[Membership]:
    if user_id is None:
        return []
    return list(Membership.objects.select_related("organization").filter(user_id=user_id))
