"""The console's tables: filters, search, sorting and pages of 50 that cost the same few queries however many
rows there are; and editing one contact or outlet through the services, audited, with bad input refused."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import contact
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus, Outlet, OutletType


@pytest.fixture
def staff(actors: dict[str, Membership]) -> Client:
    client = Client()
    client.force_login(actors["wire_editor"].user)
    return client


def _names(html: str) -> list[str]:
    return re.findall(r'<td ?[^>]*><a href="/console/contacts/\d+/"><bdi dir="auto">([^<]*)</bdi>', html)


@pytest.mark.django_db
def test_contacts_are_filtered_by_country_language_beat_status_and_consent_and_found_by_name_or_address(
        staff: Client) -> None:
    contact("Amal", countries=("AE",), languages=("ar", "en"), beats=("energy",))
    contact("Bernd", countries=("DE",), languages=("de",), beats=("technology",))
    contact("Chiara", countries=("DE",), languages=("de", "en"), status=ContactStatus.BOUNCED)
    contact("Dai", countries=("JP",), languages=("ja",), consent=False)
    cases = {
        "country=DE": ["Bernd", "Chiara"], "language=en": ["Amal", "Chiara"], "beat=technology": ["Bernd"],
        "status=bounced": ["Chiara"], "consent=no": ["Dai"], "q=bern": ["Bernd"], "q=dai@example": ["Dai"],
        "country=DE&language=en": ["Chiara"], "": ["Amal", "Bernd", "Chiara", "Dai"],
    }
    for query, expected in cases.items():
        response = staff.get(f"/console/contacts/?{query}")
        assert response.status_code == 200
        assert _names(response.content.decode()) == expected, query


@pytest.mark.django_db
def test_a_filter_with_an_unknown_value_says_so_beside_the_field_and_lists_nothing(staff: Client) -> None:
    contact("Amal")
    response = staff.get("/console/contacts/?country=XZ&status=gone")
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="errorlist') == 2 and "Select a valid choice" in html
    assert _names(html) == []


@pytest.mark.django_db
def test_contacts_sort_by_a_column_either_way(staff: Client) -> None:
    for name in ("Bo", "Al", "Cy"):
        contact(name)
    assert _names(staff.get("/console/contacts/?sort=name").content.decode()) == ["Al", "Bo", "Cy"]
    assert _names(staff.get("/console/contacts/?sort=-name").content.decode()) == ["Cy", "Bo", "Al"]
    assert _names(staff.get("/console/contacts/?sort=nonsense").content.decode()) == ["Al", "Bo", "Cy"]


def _many_contacts(count: int) -> None:
    Contact.objects.bulk_create([Contact(name=f"Reporter {n:05d}", email=f"r{n}@example.com", consent=True)
                                 for n in range(count)])
    ContactLanguage.objects.bulk_create([ContactLanguage(contact=person, language_id="en")
                                         for person in Contact.objects.all()])


@pytest.mark.django_db
def test_a_page_shows_fifty_rows_and_costs_the_same_queries_for_a_hundred_or_a_thousand_contacts(
        staff: Client) -> None:
    _many_contacts(100)
    staff.get("/console/contacts/")  # Once before counting: what is read once per process (the brand) is not counted.
    with CaptureQueriesContext(connection) as few:
        html = staff.get("/console/contacts/?page=2").content.decode()
    assert len(_names(html)) == 50 and _names(html)[0] == "Reporter 00050" and "100 found" in html
    Contact.objects.bulk_create([Contact(name=f"Later {n:05d}", email=f"l{n}@example.com") for n in range(900)])
    with CaptureQueriesContext(connection) as many:
        html = staff.get("/console/contacts/?page=2").content.decode()
    assert len(_names(html)) == 50 and "1000 found" in html
    assert len(many.captured_queries) == len(few.captured_queries)
    reads = [q["sql"] for q in many.captured_queries
             if 'FROM "mediadb_contact"' in q["sql"] and "COUNT(" not in q["sql"]]
    assert reads and all("LIMIT 50" in sql for sql in reads)
    # The visitor does not choose the page size, and a page beyond the last shows the last.
    assert len(_names(staff.get("/console/contacts/?per_page=100000").content.decode())) == 50
    assert "page 20 of 20" in staff.get("/console/contacts/?page=999").content.decode()


@pytest.mark.django_db
def test_outlets_and_partners_are_filtered_and_the_partners_page_sums_their_desktops(staff: Client) -> None:
    Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    Outlet.objects.create(name="Terminal One", type=OutletType.TERMINAL_PARTNER, country_id="GB", desktops=3000)
    Outlet.objects.create(name="Terminal Two", type=OutletType.TERMINAL_PARTNER, country_id="US", desktops=500,
                          active=False)
    outlets = staff.get("/console/outlets/?country=AE").content.decode()
    assert "Gulf Daily" in outlets and "Terminal One" not in outlets
    partners = staff.get("/console/partners/").content.decode()
    assert "Gulf Daily" not in partners and "Terminal One" in partners and "Terminal Two" in partners
    assert "3000 desktops over 1 partners" in partners
    assert "Terminal Two" not in staff.get("/console/partners/?active=yes").content.decode()


@pytest.mark.django_db
def test_a_contact_is_edited_through_the_service_and_audited(staff: Client) -> None:
    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    person = contact("Amal", languages=("ar",), beats=("energy",), countries=("AE",))
    response = staff.post(f"/console/contacts/{person.pk}/", {
        "name": "أمل الحربي", "role": "editor", "outlet": str(outlet.pk), "languages": "EN; ar",
        "beats": ["technology", "energy"], "countries": ["AE", "SA"], "regions": ["gcc"]})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.role, person.outlet_id) == ("أمل الحربي", "editor", outlet.pk)
    assert list(ContactLanguage.objects.filter(contact=person).values_list("language_id", flat=True)) == ["en", "ar"]
    assert set(person.beats.values_list("pk", flat=True)) == {"technology", "energy"}
    assert list(person.regions.values_list("pk", flat=True)) == ["gcc"]
    entry = AuditEntry.objects.get(action="contact.update")
    assert entry.data["fields"] == ["beats", "countries", "languages", "name", "outlet_id", "regions", "role"]
    assert (entry.data["before"]["regions"], entry.data["after"]["regions"]) == ([], ["gcc"])
    page = staff.get(f"/console/contacts/{person.pk}/").content.decode()
    assert '<bdi dir="auto">أمل الحربي</bdi>' in page


@pytest.mark.django_db
def test_a_bad_contact_edit_says_what_is_wrong_beside_the_field_and_changes_nothing(staff: Client) -> None:
    person = contact("Amal", languages=("ar",))
    for data, field, message in (
        ({"name": "", "role": "journalist"}, "name", "This field is required."),
        ({"name": "x", "role": "journalist", "languages": "ar;tlh"}, "languages", "is not one of the wire"),
        ({"name": "x", "role": "journalist", "outlet": "4242"}, "outlet", "No outlet has this id."),
        ({"name": "x", "role": "boss"}, "role", "Select a valid choice"),
        ({"name": "x", "role": "journalist", "beats": ["astrology"]}, "beats", "Select a valid choice"),
        ({"name": "x", "role": "journalist", "regions": ["atlantis"]}, "regions", "Select a valid choice"),
    ):
        response = staff.post(f"/console/contacts/{person.pk}/", data)
        assert response.status_code == 400, data
        html = response.content.decode()
        assert message in html and f'id="id_{field}_error"' in html, field
    person.refresh_from_db()
    assert person.name == "Amal" and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_outlet_is_edited_deactivated_and_reactivated_each_with_an_audit_entry(staff: Client) -> None:
    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    response = staff.post(f"/console/outlets/{outlet.pk}/", {
        "name": "Gulf Daily News", "type": "online", "country": "AE", "website": "https://gulf.example",
        "desktops": "0", "languages": ["ar", "en"], "sectors": ["energy"]})
    assert response.status_code == 302
    assert staff.post(f"/console/outlets/{outlet.pk}/active/", {"active": "false"}).status_code == 302
    outlet.refresh_from_db()
    assert (outlet.name, outlet.type, outlet.active) == ("Gulf Daily News", "online", False)
    assert set(outlet.languages.values_list("pk", flat=True)) == {"ar", "en"}
    assert staff.post(f"/console/outlets/{outlet.pk}/active/", {"active": "maybe"}).status_code == 400
    assert staff.post(f"/console/outlets/{outlet.pk}/active/", {"active": "true"}).status_code == 302
    outlet.refresh_from_db()
    assert outlet.active
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "outlet.update", "outlet.deactivate", "outlet.activate"]


@pytest.mark.django_db
def test_a_bad_outlet_edit_changes_nothing(staff: Client) -> None:
    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    for data in ({"name": "x", "type": "online", "country": "XZ", "desktops": "0"},
                 {"name": "x", "type": "online", "country": "AE", "desktops": "-3"},
                 {"name": "x", "type": "online", "country": "AE", "desktops": "0", "website": "javascript:alert(1)"},
                 {"name": "x" * 201, "type": "online", "country": "AE", "desktops": "0"}):
        response = staff.post(f"/console/outlets/{outlet.pk}/", data)
        assert response.status_code == 400 and b'class="errorlist' in response.content, data
    outlet.refresh_from_db()
    assert outlet.name == "Gulf Daily" and not AuditEntry.objects.exists()
