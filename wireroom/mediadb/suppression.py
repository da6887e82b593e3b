"""The suppression list: addresses the wire must not write to.

An address is suppressed when its contact's status is anything but `active` (unsubscribed, bounced,
complained): the e-mail channel checks that status before every message, and an import never changes it.
An operator adds an address (one that is no contact yet becomes a contact with no consent, so that a later
import or sign-up finds it suppressed) or removes one, always with a reason, and every change is audited.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import idna
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from wireroom.audit.models import AuditEntry
from wireroom.audit.services import audit_record
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.mediadb.addresses import BadAddress, address_key, parse_address
from wireroom.mediadb.models import Contact, ContactStatus

if TYPE_CHECKING:
    from wireroom.accounts.models import User

REASON_MAX = 500


@dataclass(frozen=True)
class SuppressionChange:
    contact: Contact
    changed: bool  # False: the address already was as asked


def suppression_list(*, search: str = "") -> QuerySet[Contact]:
    """Suppressed contacts, most recent first, each with `reason`: the last reason its status changed for."""
    last = AuditEntry.objects.filter(target_type="mediadb.contact", target_id=Cast(OuterRef("pk"), CharField()),
                                     to_state=OuterRef("status")).order_by("-at", "-id")
    contacts = Contact.objects.exclude(status=ContactStatus.ACTIVE)
    if search:
        contacts = contacts.filter(email__icontains=search.strip())
    return contacts.annotate(reason=Subquery(last.values("data__reason")[:1])).order_by("-status_changed_at", "-pk")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Give a reason: the audit log keeps it.")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Keep the reason under {REASON_MAX} characters.")
    return reason


def _find(email: str) -> tuple[str, Contact | None]:
    """The address as the database would store it, and its contact if there is one (locked)."""
    try:
        address = parse_address(email)
    except BadAddress as exc:
        raise InvalidInput(str(exc)) from None
    local, _, domain = address.stored.rpartition("@")
    # Stored addresses may differ in case or carry the domain in Unicode: narrow in SQL, compare the keys here.
    domains = Q(email__iendswith="@" + domain)
    with contextlib.suppress(idna.IDNAError):
        domains |= Q(email__iendswith="@" + idna.decode(domain))
    candidates = Contact.objects.select_for_update().filter(domains, email__istartswith=local + "@").order_by("pk")
    return address.stored, next((c for c in candidates if address_key(c.email) == address.key), None)


@transaction.atomic
def suppression_add(*, email: str, reason: str, by: User | None) -> SuppressionChange:
    reason = _reason(reason)
    stored, contact = _find(email)
    now = timezone.now()
    if contact is None:
        contact = Contact.objects.create(email=stored, name="", status=ContactStatus.UNSUBSCRIBED,
                                         status_changed_at=now, consent=False)
        audit_record(actor=by, action="suppression.add", target=contact, to_state=contact.status,
                     data={"reason": reason, "address": stored, "new_contact": True})
        return SuppressionChange(contact, True)
    if contact.status != ContactStatus.ACTIVE:
        return SuppressionChange(contact, False)
    contact.status, contact.status_changed_at = ContactStatus.UNSUBSCRIBED, now
    contact.save(update_fields=["status", "status_changed_at"])
    audit_record(actor=by, action="suppression.add", target=contact, from_state=ContactStatus.ACTIVE,
                 to_state=contact.status, data={"reason": reason, "address": contact.email})
    return SuppressionChange(contact, True)


@transaction.atomic
def suppression_remove(*, email: str, reason: str, by: User | None) -> SuppressionChange:
    """The address may be written to again. Its consent is as it was: removing a suppression gives none."""
    reason = _reason(reason)
    _stored, contact = _find(email)
    if contact is None:
        raise NotFound(f"{email.strip()} is not in the media database.")
    if contact.status == ContactStatus.ACTIVE:
        return SuppressionChange(contact, False)
    before = contact.status
    contact.status, contact.status_changed_at = ContactStatus.ACTIVE, timezone.now()
    contact.save(update_fields=["status", "status_changed_at"])
    audit_record(actor=by, action="suppression.remove", target=contact, from_state=before,
                 to_state=contact.status, data={"reason": reason, "address": contact.email})
    return SuppressionChange(contact, True)
