"""Changes an operator makes to one contact or outlet by hand (the console), each audited with what changed.

A contact's status is not edited here: suppressing or restoring an address goes through `suppression`, so the
reason is always kept. Bulk changes go through `imports`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify

from wireroom.accounts.models import Organization, OrganizationKind
from wireroom.audit.services import audit_record
from wireroom.lib.errors import NotFound
from wireroom.mediadb.models import Contact, ContactLanguage, Outlet, OutletType
from wireroom.taxonomy.models import Country, Language, Region, Sector

if TYPE_CHECKING:
    from wireroom.accounts.models import User


@dataclass(frozen=True)
class ContactChanges:
    name: str
    role: str
    outlet_id: int | None
    languages: tuple[str, ...]  # preferred first
    beats: frozenset[str]
    countries: frozenset[str]
    regions: frozenset[str]  # region slugs: a region stands for its countries


@dataclass(frozen=True)
class OutletChanges:
    name: str
    type: str
    country_id: str
    website: str
    desktops: int
    languages: frozenset[str]
    sectors: frozenset[str]


def _contact_state(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name, "role": contact.role, "outlet_id": contact.outlet_id,
        "languages": tuple(ContactLanguage.objects.filter(contact=contact).order_by("rank", "pk")
                           .values_list("language_id", flat=True)),
        "beats": frozenset(contact.beats.values_list("pk", flat=True)),
        "countries": frozenset(contact.countries.values_list("pk", flat=True)),
        "regions": frozenset(contact.regions.values_list("pk", flat=True)),
    }


@transaction.atomic
def contact_update(*, contact_id: int, changes: ContactChanges, by: User | None) -> list[str]:
    """Sets the contact's fields to `changes`; returns the names of the fields that changed (none: no audit)."""
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None:
        raise NotFound("No such contact.")
    before = _contact_state(contact)
    after = {name: getattr(changes, name) for name in before}
    changed = sorted(name for name in before if before[name] != after[name])
    if not changed:
        return []
    contact.name, contact.role, contact.outlet_id = changes.name, changes.role, changes.outlet_id
    contact.save(update_fields=["name", "role", "outlet"])
    if "languages" in changed:
        ContactLanguage.objects.filter(contact=contact).delete()
        ContactLanguage.objects.bulk_create([ContactLanguage(contact=contact, language_id=tag, rank=rank)
                                             for rank, tag in enumerate(changes.languages, start=1)])
    contact.beats.set(Sector.objects.filter(pk__in=changes.beats))
    contact.countries.set(Country.objects.filter(pk__in=changes.countries))
    contact.regions.set(Region.objects.filter(pk__in=changes.regions))
    audit_record(actor=by, action="contact.update", target=contact,
                 data={"fields": changed, "before": _plain({k: before[k] for k in changed}),
                       "after": _plain({k: after[k] for k in changed})})
    return changed


def _outlet_state(outlet: Outlet) -> dict[str, Any]:
    return {
        "name": outlet.name, "type": outlet.type, "country_id": outlet.country_id, "website": outlet.website,
        "desktops": outlet.desktops, "languages": frozenset(outlet.languages.values_list("pk", flat=True)),
        "sectors": frozenset(outlet.sectors.values_list("pk", flat=True)),
    }


@transaction.atomic
def outlet_update(*, outlet_id: int, changes: OutletChanges, by: User | None) -> list[str]:
    outlet = Outlet.objects.select_for_update().filter(pk=outlet_id).first()
    if outlet is None:
        raise NotFound("No such outlet.")
    before = _outlet_state(outlet)
    after = {name: getattr(changes, name) for name in before}
    changed = sorted(name for name in before if before[name] != after[name])
    if not changed:
        return []
    outlet.name, outlet.type, outlet.country_id = changes.name, changes.type, changes.country_id
    outlet.website, outlet.desktops = changes.website, changes.desktops
    outlet.save(update_fields=["name", "type", "country", "website", "desktops"])
    outlet.languages.set(Language.objects.filter(pk__in=changes.languages))
    outlet.sectors.set(Sector.objects.filter(pk__in=changes.sectors))
    audit_record(actor=by, action="outlet.update", target=outlet,
                 data={"fields": changed, "before": _plain({k: before[k] for k in changed}),
                       "after": _plain({k: after[k] for k in changed})})
    return changed


@transaction.atomic
def outlet_active_set(*, outlet_id: int, active: bool, by: User | None) -> bool:
    """Deactivates (nothing is targeted to it) or reactivates an outlet; returns whether anything changed."""
    outlet = Outlet.objects.select_for_update().filter(pk=outlet_id).first()
    if outlet is None:
        raise NotFound("No such outlet.")
    if outlet.active == active:
        return False
    outlet.active = active
    outlet.save(update_fields=["active"])
    audit_record(actor=by, action="outlet.activate" if active else "outlet.deactivate", target=outlet,
                 from_state="active" if not active else "inactive", to_state="active" if active else "inactive")
    return True


@transaction.atomic
def outlet_organization_ensure(*, outlet_id: int, by: User | None) -> Organization:
    """The organization through which the outlet's members sign in and its keys read: made and linked the first
    time it is needed (a terminal partner's or a media outlet's, by the outlet's type)."""
    # Only the outlet's row is locked: PostgreSQL cannot lock the missing side of the join to its organization.
    outlet = (Outlet.objects.select_for_update(of=("self",)).select_related("organization")
              .filter(pk=outlet_id).first())
    if outlet is None:
        raise NotFound("No such outlet.")
    if outlet.organization is not None:
        return outlet.organization
    kind = (OrganizationKind.TERMINAL_PARTNER if outlet.type == OutletType.TERMINAL_PARTNER
            else OrganizationKind.MEDIA_OUTLET)
    base = (slugify(outlet.name) or "outlet")[:60]
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organization = Organization.objects.create(name=outlet.name, slug=slug, kind=kind)
    outlet.organization = organization
    outlet.save(update_fields=["organization"])
    audit_record(actor=by, action="outlet.organization", target=outlet, organization=organization,
                 data={"organization": organization.pk, "kind": str(kind)})
    return organization


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: sets as sorted lists, tuples as lists."""
    return {key: sorted(value) if isinstance(value, frozenset) else list(value) if isinstance(value, tuple)
            else value for key, value in values.items()}
