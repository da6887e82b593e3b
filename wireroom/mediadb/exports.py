"""Contacts and outlets out to a spreadsheet, in the columns the imports read, so an export imports as it is."""

from __future__ import annotations

from collections import defaultdict

from wireroom.mediadb.imports import CONTACT_COLUMNS, OUTLET_COLUMNS, SEPARATOR
from wireroom.mediadb.models import ConsentBasis, Contact, ContactLanguage, Outlet
from wireroom.mediadb.tables import write_table


def _grouped(pairs: list[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner, value in pairs:
        grouped[owner].append(value)
    return grouped


def contacts_export(*, format: str) -> bytes:
    """Every contact who has consented, with `status` last (the imports ignore it: an import never changes a
    status). Those who have not (addresses only on the suppression list) could not be imported back, since an
    import records consent; `suppression_list` has them."""
    beats = _grouped(list(Contact.beats.through.objects.order_by("sector_id").values_list("contact_id", "sector_id")))
    countries = _grouped(list(Contact.countries.through.objects.order_by("country_id")
                              .values_list("contact_id", "country_id")))
    regions = _grouped(list(Contact.regions.through.objects.order_by("region_id")
                            .values_list("contact_id", "region_id")))
    languages = _grouped(list(ContactLanguage.objects.order_by("contact_id", "rank", "pk")
                              .values_list("contact_id", "language_id")))
    outlets = dict(Outlet.objects.values_list("pk", "name"))
    ambiguous = {name for name, count in _name_counts(outlets).items() if count > 1}
    rows = []
    contacts = Contact.objects.filter(consent=True).order_by("pk")
    for pk, email, name, outlet_id, role, basis, consent_at, status in contacts.values_list(
            "pk", "email", "name", "outlet_id", "role", "consent_basis", "consent_at", "status").iterator(5000):
        outlet = ""
        if outlet_id is not None:
            # A name two outlets share would not import back to the same one; their id does.
            outlet = str(outlet_id) if _fold(outlets[outlet_id]) in ambiguous else outlets[outlet_id]
        rows.append([email, name, outlet, role, SEPARATOR.join(countries[pk]), SEPARATOR.join(regions[pk]),
                     SEPARATOR.join(languages[pk]),
                     SEPARATOR.join(beats[pk]), basis or ConsentBasis.CONSENT,
                     consent_at.isoformat() if consent_at else "", status])
    return write_table(headers=[*CONTACT_COLUMNS, "status"], rows=rows, format=format, title="contacts")


def _fold(name: str) -> str:
    return name.strip().casefold()


def _name_counts(names: dict[int, str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for name in names.values():
        counts[_fold(name)] += 1
    return counts


def outlets_export(*, format: str) -> bytes:
    languages = _grouped(list(Outlet.languages.through.objects.order_by("language_id")
                              .values_list("outlet_id", "language_id")))
    sectors = _grouped(list(Outlet.sectors.through.objects.order_by("sector_id").values_list("outlet_id", "sector_id")))
    rows = [
        [str(pk), name, type_, country, SEPARATOR.join(languages[pk]), SEPARATOR.join(sectors[pk]), website,
         str(desktops), "true" if active else "false"]
        for pk, name, type_, country, website, desktops, active in Outlet.objects.order_by("pk").values_list(
            "pk", "name", "type", "country_id", "website", "desktops", "active")
    ]
    return write_table(headers=list(OUTLET_COLUMNS), rows=rows, format=format, title="outlets")
