"""A contact's own choices from the preference centre: beats, languages, countries and regions, e-mail cadence and
the time zone their digests follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import available_timezones

from babel.core import get_global
from django.db import transaction

from wireroom.audit.services import audit_record
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.subscriptions.models import Cadence, Channel, Subscription
from wireroom.taxonomy.models import Country, Language, Region, Sector


@dataclass(frozen=True)
class Preferences:
    sectors: list[str]
    languages: list[str]
    countries: list[str]
    cadence: str
    time_zone: str  # IANA name; empty: from the contact's country
    regions: list[str] = field(default_factory=list)  # each stands for its countries


def contact_preferences(*, contact: Contact) -> Preferences:
    """What the contact chose so far; a contact without an e-mail subscription receives releases instantly."""
    cadence = (Subscription.objects.filter(contact=contact, channel=Channel.EMAIL)
               .order_by("-active", "pk").values_list("cadence", flat=True).first())
    return Preferences(
        sectors=sorted(contact.beats.values_list("slug", flat=True)),
        languages=list(ContactLanguage.objects.filter(contact=contact).order_by("rank")
                       .values_list("language_id", flat=True)),
        countries=sorted(contact.countries.values_list("code", flat=True)),
        cadence=cadence or Cadence.INSTANT,
        time_zone=contact.time_zone,
        regions=sorted(contact.regions.values_list("slug", flat=True)),
    )


def known_values(model: type[Sector] | type[Language] | type[Country] | type[Region], key: str, values: list[str],
                 what: str) -> list[str]:
    wanted = list(dict.fromkeys(values))
    found = set(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, flat=True))
    unknown = [value for value in wanted if value not in found]
    if unknown:
        raise InvalidInput(f"Unknown {what}: {', '.join(unknown)}.")
    return wanted


def time_zones() -> frozenset[str]:
    """The IANA zones a contact may choose: the canonical ones CLDR places in a country."""
    return _TIME_ZONES


def _placed_zones() -> frozenset[str]:
    # The installed zones are read once: available_timezones() walks the whole zone folder on every call, and
    # calling it per zone made every process start (web, worker, tests) spend seconds here.
    installed = available_timezones()
    return frozenset(zone for zones in get_global("territory_zones").values() for zone in zones if zone in installed)


_TIME_ZONES = _placed_zones()


@transaction.atomic
def contact_preferences_update(*, contact: Contact, sectors: list[str], languages: list[str],
                               countries: list[str], cadence: str, via: str,
                               time_zone: str | None = None, regions: list[str] | None = None) -> Preferences:
    """Replaces the contact's beats, languages (in the order given, the first preferred), countries and (when
    given) regions, and sets the cadence of their e-mail subscription. Checks everything before writing
    anything."""
    if cadence not in Cadence.values:
        raise InvalidInput(f"Unknown cadence: {cadence}.")
    sectors = known_values(Sector, "slug", sectors, "sector")
    languages = known_values(Language, "code", languages, "language")
    countries = known_values(Country, "code", countries, "country")
    chosen_regions = known_values(Region, "slug", regions, "region") if regions is not None else None
    if not languages:
        raise InvalidInput("Choose at least one language.")
    if time_zone and time_zone not in _TIME_ZONES:
        raise InvalidInput(f"Unknown time zone: {time_zone}.")
    before = contact_preferences(contact=contact)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.beats.set(Sector.objects.filter(slug__in=sectors))
    contact.countries.set(Country.objects.filter(code__in=countries))
    if chosen_regions is not None:
        contact.regions.set(Region.objects.filter(slug__in=chosen_regions))
    ContactLanguage.objects.filter(contact=contact).delete()
    ContactLanguage.objects.bulk_create(
        ContactLanguage(contact=contact, language_id=code, rank=rank) for rank, code in enumerate(languages, 1))
    if time_zone is not None and time_zone != contact.time_zone:
        contact.time_zone = time_zone
        contact.save(update_fields=["time_zone"])
    subscriptions = Subscription.objects.filter(contact=contact, channel=Channel.EMAIL)
    if not subscriptions.update(cadence=cadence, active=True):
        Subscription.objects.create(contact=contact, channel=Channel.EMAIL, cadence=cadence)
    after = contact_preferences(contact=contact)
    audit_record(actor=None, action="contact.preferences", target=contact, from_state=before.cadence,
                 to_state=after.cadence, data={"via": via, "before": before.__dict__, "after": after.__dict__})
    return after
