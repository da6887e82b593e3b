"""Changes of a contact's e-mail status (unsubscribe, resubscribe, bounce, complaint) and what follows them:
an audit entry, and pending deliveries to a contact who must get no more mail set to `suppressed`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from wireroom.audit.services import audit_record
from wireroom.distribution.models import DUE_STATES, Delivery, DeliveryState
from wireroom.mediadb.models import Contact, ContactStatus

# A later, graver reason replaces a lighter one; never the other way round (a bounce does not undo a complaint).
_GRAVITY = {ContactStatus.ACTIVE: 0, ContactStatus.UNSUBSCRIBED: 1, ContactStatus.BOUNCED: 2,
            ContactStatus.COMPLAINED: 3}


def suppress_pending(contact: Contact, reason: str) -> int:
    """Every e-mail delivery still waiting for this contact ends as `suppressed`; returns how many."""
    return Delivery.objects.filter(contact=contact, channel="email", state__in=DUE_STATES).update(
        state=DeliveryState.SUPPRESSED, last_error=reason[:1000])


def _change(contact: Contact, to: str, *, action: str, data: dict[str, Any]) -> bool:
    before = contact.status
    if before == to:
        return False
    contact.status = to
    contact.status_changed_at = timezone.now()
    contact.save(update_fields=["status", "status_changed_at"])
    audit_record(actor=None, action=action, target=contact, from_state=before, to_state=to, data=data)
    return True


def _locked(contact_id: int) -> Contact | None:
    return Contact.objects.select_for_update().filter(pk=contact_id).first()


@transaction.atomic
def contact_unsubscribe(contact_id: int, *, via: str) -> Contact | None:
    """Idempotent: a contact already unsubscribed (or bounced, or complained) stays as it is."""
    contact = _locked(contact_id)
    if contact is None:
        return None
    if contact.status == ContactStatus.ACTIVE:
        _change(contact, ContactStatus.UNSUBSCRIBED, action="contact.unsubscribe", data={"via": via})
    suppress_pending(contact, f"suppressed: {contact.status}")
    return contact


@transaction.atomic
def contact_resubscribe(contact_id: int, *, via: str) -> Contact | None:
    """The contact asked for mail again: active, with their consent recorded."""
    contact = _locked(contact_id)
    if contact is None:
        return None
    if contact.status != ContactStatus.ACTIVE or not contact.consent:
        now = timezone.now()
        contact.consent, contact.consent_at, contact.consent_source = True, now, via[:100]
        contact.save(update_fields=["consent", "consent_at", "consent_source"])
        _change(contact, ContactStatus.ACTIVE, action="contact.resubscribe", data={"via": via})
    return contact


@transaction.atomic
def contact_undeliverable(
    contact_id: int, status: str, *, reason: str, data: dict[str, Any]
) -> tuple[Contact, int] | None:
    """A hard bounce (`bounced`) or a complaint (`complained`): mark the contact, suppress what is pending."""
    contact = _locked(contact_id)
    if contact is None:
        return None
    if _GRAVITY[ContactStatus(status)] > _GRAVITY[ContactStatus(contact.status)]:
        action = "contact.complaint" if status == ContactStatus.COMPLAINED else "contact.bounce"
        _change(contact, status, action=action, data={"reason": reason[:1000], **data})
    return contact, suppress_pending(contact, f"suppressed: {status}: {reason}")
