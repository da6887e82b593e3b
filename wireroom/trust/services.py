"""Issuers' keys and signing policy, and the delivery log's signed tree heads. The API and the admin change them
through here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wireroom.accounts.models import ISSUING_KINDS, Membership, Organization, Role
from wireroom.audit.services import audit_record
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from wireroom.trust import receipts, wirekeys
from wireroom.trust.jose import b64url, public_key_from_text, raw_public_key, thumbprint
from wireroom.trust.models import IssuerKey, SigningPolicy, TreeHead
from wireroom.trust.selectors import log_size, log_tree, release_log_end, release_receipts


def require_key_admin(by: Membership, organization: Organization) -> None:
    """An issuer's admin for its own keys, or the wire's staff; another organization's keys are missing."""
    if by.is_wire_staff:
        return
    if by.organization_id != organization.pk:
        raise NotFound("No such organization.")
    if by.role != Role.ISSUER_ADMIN:
        raise NotAllowed("Only an issuer admin or a wire editor may manage signing keys.")


def issuer_key_register(*, by: Membership, organization: Organization, public_key: str, label: str = "") -> IssuerKey:
    require_key_admin(by, organization)
    if organization.kind not in ISSUING_KINDS:
        raise InvalidInput(f"{organization.name} is not an issuing organization.")
    x = b64url(raw_public_key(public_key_from_text(public_key)))
    kid = thumbprint(x)
    with transaction.atomic():
        if IssuerKey.objects.filter(kid=kid).exists():
            raise InvalidInput(f"The key {kid} is registered already.", details={"kid": kid})
        key = IssuerKey.objects.create(organization=organization, public_key=x, kid=kid,
                                       label=" ".join(label.split())[:120], created_by=by.user)
        audit_record(actor=by.user, organization=by.organization, action="trust.key_register", target=key,
                     data={"kid": kid})
    return key


def issuer_key_revoke(*, by: Membership, key: IssuerKey) -> IssuerKey:
    require_key_admin(by, key.organization)
    with transaction.atomic():
        key = IssuerKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            raise IllegalTransition(f"The key {key.kid} is revoked already.")
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=by.user, organization=by.organization, action="trust.key_revoke", target=key,
                     data={"kid": key.kid})
    return key


def signing_policy_set(*, by: Membership, organization: Organization, require_signatures: bool) -> SigningPolicy:
    require_key_admin(by, organization)
    if organization.kind not in ISSUING_KINDS:
        raise InvalidInput(f"{organization.name} is not an issuing organization.")
    with transaction.atomic():
        policy, _ = SigningPolicy.objects.update_or_create(
            organization=organization, defaults={"require_signatures": require_signatures})
        audit_record(actor=by.user, organization=by.organization, action="trust.policy_set", target=organization,
                     data={"require_signatures": require_signatures})
    return policy


def tree_head_publish(*, max_age: float, now: dt.datetime | None = None) -> TreeHead:
    """The delivery log's latest signed tree head, signing a new one when the latest is older than `max_age`
    seconds (or there is none). Old heads are kept: a consistency proof runs between any two of them."""
    moment = now or timezone.now()
    latest = TreeHead.objects.order_by("-timestamp", "-pk").first()
    if latest is not None and latest.timestamp >= (moment.timestamp() - max_age) * 1000:
        return latest
    size = log_size()
    root = log_tree(size=size).root(size).hex()
    timestamp = int(moment.timestamp() * 1000)
    jws = wirekeys.sign(receipts.head_payload(size=size, root_hash=root, timestamp=timestamp))
    return TreeHead.objects.create(size=size, root_hash=root, timestamp=timestamp, jws=jws)


def release_receipts_download(*, release_id: uuid.UUID) -> dict[str, Any]:
    """A release's receipts, proven against a signed tree head that covers every one of them (signing a new head
    when the latest predates some). The caller has checked that the reader may see the release."""
    head = tree_head_publish(max_age=settings.RECEIPTS_TREE_HEAD_SECONDS)
    if head.size < release_log_end(release_id=release_id):
        head = tree_head_publish(max_age=0)
    return release_receipts(release_id=release_id, head=head)
