"""Brand and wording in the console: each language's form, saved whole or not at all (a bad placeholder is a 422
beside its field, in the reader's language), audited; and only for the wire's staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wireroom.accounts.models import Membership
from wireroom.accounts.services import user_language_set
from wireroom.audit.models import AuditEntry
from wireroom.brand.models import Wording
from wireroom.brand.selectors import brand


def _client(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.mark.django_db
def test_the_wire_staff_edit_a_languages_wording_and_the_change_is_audited(
        actors: dict[str, Membership], settings: Any) -> None:
    staff = _client(actors["wire_editor"])
    listing = staff.get("/console/brand/").content.decode()
    assert "العربية" in listing and 'href="/console/brand/ar/"' in listing
    form = staff.get("/console/brand/ar/").content.decode()
    assert "{issuer}" in form and "{outlets}" in form  # each field names its placeholders
    response = staff.post("/console/brand/ar/", {
        "wire_name": "وكالة الخليج", "wire_url": "https://gulfwire.example", "sender": f"akhbar@{settings.MAIL_DOMAIN}",
        "disclaimer_press_release": "نشرت {issuer} هذا البيان عبر {wire}.",
        "sector_labels": "energy = طاقة ومرافق\n\n", "boilerplate": "{wire} تبلغ {outlets} وسيلة إعلامية."})
    assert response.status_code == 302 and response["Location"] == "/console/brand/"
    wording = brand(language="ar")
    assert (wording.wire_name, wording.sender, wording.sector_labels) == (
        "وكالة الخليج", f"akhbar@{settings.MAIL_DOMAIN}", {"energy": "طاقة ومرافق"})
    entry = AuditEntry.objects.get(action="brand.wording_save")
    assert entry.actor_id == actors["wire_editor"].user.pk
    assert entry.data["changes"]["wire_name"] == {"from": "", "to": "وكالة الخليج"}
    assert "energy = طاقة ومرافق" in staff.get("/console/brand/ar/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "field", "message"), [
    ({"boilerplate": "{wire} erreicht {outlet} Medien."}, "boilerplate", "Unbekannter Platzhalter {outlet}"),
    ({"disclaimer_media_advisory": "Von {issuer."}, "disclaimer_media_advisory", "Eine Klammer ist nicht"),
    ({"sectors_line": "Branchen: {sectors!r}"}, "sectors_line", "ist kein Platzhalter"),
    ({"sector_labels": "no-such-sector = Nichts"}, "sector_labels", "Keine solche Branche: no-such-sector"),
    ({"sector_labels": "energy Energie"}, "sector_labels", "Zeile 1: Schreiben Sie"),
    ({"sender": "presse@elsewhere.example"}, "sender", "Der Absender muss eine Adresse unter"),
])
def test_a_bad_field_is_a_422_beside_it_in_the_readers_language_and_nothing_is_saved(
        actors: dict[str, Membership], data: dict[str, str], field: str, message: str) -> None:
    user_language_set(user=actors["wire_admin"].user, language="de")
    response = _client(actors["wire_admin"]).post("/console/brand/de/", {"wire_name": "Golfdienst", **data})
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page or f"id_{field}" in page
    assert message in page
    assert "Nichts wurde gespeichert" in page
    assert not Wording.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_only_the_wire_staff_reach_the_brand_pages(actors: dict[str, Membership]) -> None:
    for path in ("/console/brand/", "/console/brand/de/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        for role in ("issuer_admin", "issuer_member"):
            assert _client(actors[role]).get(path).status_code == 403
        assert _client(actors["wire_admin"]).get(path).status_code == 200
    assert _client(actors["issuer_admin"]).post("/console/brand/de/", {"wire_name": "X"}).status_code == 403
    assert _client(actors["wire_admin"]).get("/console/brand/xx/").status_code == 404
    assert _client(actors["wire_admin"]).get("/console/brand/la/").status_code == 404  # not one of the fifteen
    assert not Wording.objects.exists()
