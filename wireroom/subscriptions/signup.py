"""Journalists signing themselves up: the request from the public page, then the confirmation (double opt-in).

The request writes only a `Signup`; the contact, its consent and its choices are written when the person follows
the link sent to the address, so a stranger cannot subscribe someone else. Addresses the wire must not write to
(bounced, complained, or suppressed by an operator) get no confirmation message; the page says the same thing
whatever happened, so it cannot be used to learn who is in the media database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wireroom.audit.models import AuditEntry
from wireroom.audit.services import audit_record
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.addresses import BadAddress, parse_address
from wireroom.mediadb.models import ConsentBasis, ConsentRecord, Contact, ContactStatus
from wireroom.subscriptions.models import Cadence, Signup
from wireroom.subscriptions.preferences import contact_preferences_update, known_values
from wireroom.taxonomy.models import Country, Language, Region, Sector

# One confirmation message per address in this window, however often the form is sent: the page must not become
# a way to flood someone's mailbox.
RESEND_AFTER = timedelta(minutes=10)
# A confirmation link older than this no longer works; the person signs up again.
CONFIRM_WITHIN = timedelta(days=7)
NAME_MAX = 200
SOURCE = "sign-up page"


@dataclass(frozen=True)
class SignupChoices:
    name: str
    email: str
    sectors: list[str]
    languages: list[str]
    countries: list[str]
    regions: list[str]  # region slugs; a region stands for its countries
    cadence: str


def _contact_for(email: str) -> Contact | None:
    """The contact of an address as `parse_address` stores it (the domain in IDNA form), whatever its case."""
    return Contact.objects.filter(email__iexact=email).first()


def _may_write(contact: Contact) -> bool:
    """Active contacts, and contacts who unsubscribed themselves, may be asked to confirm.

    A bounce, a complaint or an operator's suppression stays: only an operator lifts those."""
    if contact.status == ContactStatus.ACTIVE:
        return True
    if contact.status != ContactStatus.UNSUBSCRIBED:
        return False
    last = (AuditEntry.objects.filter(target_type="mediadb.contact", target_id=str(contact.pk),
                                      to_state=ContactStatus.UNSUBSCRIBED)
            .order_by("-at", "-id").values_list("action", flat=True).first())
    return last == "contact.unsubscribe"


def signup_check(*, choices: SignupChoices) -> SignupChoices:
    """The choices cleaned, or InvalidInput naming the first field that is wrong. Writes nothing."""
    name = choices.name.strip()
    if not name:
        raise InvalidInput("name: Give your name.")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"name: Keep your name under {NAME_MAX} characters.")
    try:
        address = parse_address(choices.email)
    except BadAddress:
        raise InvalidInput("email: Give a valid e-mail address.") from None
    if choices.cadence not in Cadence.values or choices.cadence == Cadence.PAUSED:
        raise InvalidInput("cadence: Choose how often you want to hear from us.")
    if not choices.languages:
        raise InvalidInput("languages: Choose at least one language.")
    for field, model, values, key in (("sectors", Sector, choices.sectors, "slug"),
                                      ("languages", Language, choices.languages, "code"),
                                      ("countries", Country, choices.countries, "code"),
                                      ("regions", Region, choices.regions, "slug")):
        try:
            known_values(model, key, values, field)
        except InvalidInput:
            raise InvalidInput(f"{field}: Some choices are not known.") from None
    return SignupChoices(name=name, email=address.stored, sectors=list(dict.fromkeys(choices.sectors)),
                         languages=list(dict.fromkeys(choices.languages)),
                         countries=list(dict.fromkeys(choices.countries)),
                         regions=list(dict.fromkeys(choices.regions)), cadence=choices.cadence)


@transaction.atomic
def signup_request(*, choices: SignupChoices, language: str, wording: str) -> Signup | None:
    """Records a sign-up and returns it when a confirmation message should go to the address; None when nothing
    may be sent (a suppressed address, or a message sent moments ago). InvalidInput when a choice is wrong."""
    choices = signup_check(choices=choices)
    now = timezone.now()
    contact = _contact_for(choices.email)
    if contact is not None and not _may_write(contact):
        audit_record(actor=None, action="signup.refused", target=contact, to_state=contact.status,
                     data={"reason": "the address is suppressed", "via": SOURCE})
        return None
    recent = Signup.objects.filter(email__iexact=choices.email, confirmed_at__isnull=True,
                                   requested_at__gt=now - RESEND_AFTER)
    if recent.exists():
        return None
    return Signup.objects.create(
        email=choices.email, name=choices.name, language=language, sectors=choices.sectors,
        languages=choices.languages, countries=choices.countries, regions=choices.regions, cadence=choices.cadence,
        wording=wording,
        requested_at=now)


@transaction.atomic
def signup_confirm(*, signup_id: int) -> Contact | None:
    """The person followed the link: the contact exists, active, with their consent and choices. Idempotent;
    None when the sign-up is unknown, expired, or the address became suppressed meanwhile."""
    signup = Signup.objects.select_for_update().filter(pk=signup_id).first()
    if signup is None:
        return None
    if signup.confirmed_at is not None:
        return signup.contact
    now = timezone.now()
    if now - signup.requested_at > CONFIRM_WITHIN:
        return None
    contact = _contact_for(signup.email)
    if contact is not None and not _may_write(contact):
        return None
    if contact is None:
        contact = Contact.objects.create(email=signup.email, name=signup.name, status=ContactStatus.ACTIVE,
                                         status_changed_at=now)
        audit_record(actor=None, action="contact.signup", target=contact, to_state=contact.status,
                     data={"via": SOURCE})
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    before = contact.status
    contact.name = contact.name or signup.name
    contact.consent, contact.consent_at, contact.consent_source = True, now, SOURCE
    contact.consent_basis = ConsentBasis.CONSENT
    if contact.status != ContactStatus.ACTIVE:
        contact.status, contact.status_changed_at = ContactStatus.ACTIVE, now
        audit_record(actor=None, action="contact.resubscribe", target=contact, from_state=before,
                     to_state=contact.status, data={"via": SOURCE})
    contact.save(update_fields=["name", "consent", "consent_at", "consent_source", "consent_basis", "status",
                                "status_changed_at"])
    ConsentRecord.objects.create(contact=contact, basis=ConsentBasis.CONSENT, source=SOURCE,
                                 wording=signup.wording, language=signup.language, recorded_at=now)
    contact_preferences_update(contact=contact, sectors=signup.sectors, languages=signup.languages,
                               countries=signup.countries, regions=signup.regions, cadence=signup.cadence,
                               via=SOURCE)
    signup.confirmed_at, signup.contact = now, contact
    signup.save(update_fields=["confirmed_at", "contact"])
    return contact
