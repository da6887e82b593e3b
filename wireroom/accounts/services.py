from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wireroom.accounts.models import ApiKey, Membership, Organization, Role, User
from wireroom.audit.services import audit_record
from wireroom.lib.errors import InvalidInput, NotAllowed

KEY_PREFIX = "wr_"


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str


def membership_create(*, user: User, organization: Organization, role: Role) -> Membership:
    if role in (Role.WIRE_EDITOR, Role.WIRE_ADMIN) and not organization.is_wire:
        raise InvalidInput("Wire roles belong to members of the wire's own organization.")
    if role in (Role.ISSUER_MEMBER, Role.ISSUER_ADMIN) and organization.is_wire:
        raise InvalidInput("Issuer roles belong to members of issuing organizations.")
    return Membership.objects.create(user=user, organization=organization, role=role)


@transaction.atomic
def api_key_issue(*, membership: Membership, name: str, by: User | None = None) -> IssuedKey:
    """Create a key; the returned secret is the only copy that will ever exist."""
    name = name.strip()
    if not name:
        raise InvalidInput("An API key needs a name.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        membership=membership, name=name[:100], prefix=secret[:10], digest=api_key_digest(secret)
    )
    audit_record(actor=by or membership.user, organization=membership.organization, action="api_key.issue",
                 target=key)
    return IssuedKey(api_key=key, secret=secret)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: Membership) -> None:
    same_org = by.organization_id == api_key.membership.organization_id
    if not (by.is_wire_staff and by.role == Role.WIRE_ADMIN) and not (
        same_org and (by.role == Role.ISSUER_ADMIN or by.pk == api_key.membership_id)
    ):
        raise NotAllowed("Only the key's owner, an admin of its organization or a wire admin may revoke it.")
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(actor=by.user, organization=api_key.membership.organization, action="api_key.revoke",
                     target=api_key)
