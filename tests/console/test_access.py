"""Who may open the console: the wire's staff only. Visitors are sent to sign in, issuers are refused, and nothing
of the media database reaches anyone else."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.factories import contact
from wireroom.accounts.models import Membership
from wireroom.accounts.services import user_language_set
from wireroom.audit.models import AuditEntry
from wireroom.mediadb.models import Contact, ContactStatus, Outlet

PAGES = ["", "contacts/", "contacts/{contact}/", "outlets/", "outlets/{outlet}/", "partners/", "subscriptions/",
         "import/", "suppression/", "export/contacts.csv", "export/outlets.xlsx"]
POSTS = ["contacts/{contact}/", "outlets/{outlet}/", "outlets/{outlet}/active/", "outlets/{outlet}/invite/", "import/",
         "suppression/add/", "suppression/remove/", "import/sometoken/confirm/"]
ISSUERS = ("issuer_member", "issuer_admin", "other_issuer_admin")
STAFF = ("wire_editor", "wire_admin")


def _client(actors: dict[str, Membership], role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(actors[role].user)
    return client


def _post_data() -> dict[str, str]:
    return {"name": "Changed", "role": "editor", "type": "online", "country": "DE", "desktops": "1",
            "active": "false", "kind": "contacts", "add-email": "kept@example.com", "add-reason": "x",
            "remove-email": "kept@example.com", "remove-reason": "x"}


@pytest.mark.django_db
def test_every_console_page_sends_visitors_to_sign_in_refuses_issuers_and_opens_for_staff(
        actors: dict[str, Membership]) -> None:
    outlet = Outlet.objects.create(name="Gulf Daily", type="newspaper", country_id="AE")
    person = contact("Kept", outlet=outlet)
    for page in PAGES:
        url = "/console/" + page.format(contact=person.pk, outlet=outlet.pk)
        response = _client(actors, None).get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        for role in ISSUERS:
            refused = _client(actors, role).get(url)
            assert refused.status_code == 403, (url, role)
            assert b"kept@example.com" not in refused.content and b"Gulf Daily" not in refused.content
        for role in STAFF:
            assert _client(actors, role).get(url).status_code == 200, (url, role)


@pytest.mark.django_db
def test_no_console_change_is_made_by_a_visitor_or_an_issuer(actors: dict[str, Membership]) -> None:
    outlet = Outlet.objects.create(name="Gulf Daily", type="newspaper", country_id="AE")
    person = contact("Kept", outlet=outlet)
    for page in POSTS:
        url = "/console/" + page.format(contact=person.pk, outlet=outlet.pk)
        response = _client(actors, None).post(url, _post_data())
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        for role in ISSUERS:
            assert _client(actors, role).post(url, _post_data()).status_code == 403, (url, role)
    outlet.refresh_from_db()
    person.refresh_from_db()
    assert (outlet.name, outlet.active, person.name, person.status) == ("Gulf Daily", True, "Kept",
                                                                       ContactStatus.ACTIVE)
    assert Contact.objects.count() == 1 and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_navigation_links_the_console_for_staff_only(actors: dict[str, Membership]) -> None:
    assert b'href="/console/"' in _client(actors, "wire_editor").get("/desk/").content
    assert b'href="/console/"' not in _client(actors, "issuer_admin").get("/workspace/").content


@pytest.mark.django_db
def test_an_unknown_contact_or_outlet_is_404(actors: dict[str, Membership]) -> None:
    client = _client(actors, "wire_admin")
    for url in ("/console/contacts/999/", "/console/outlets/999/"):
        assert client.get(url).status_code == 404
        assert client.post(url, _post_data()).status_code == 404
    assert client.post("/console/outlets/999/active/", {"active": "false"}).status_code == 404
    assert client.get("/console/export/releases.csv").status_code == 404
    assert client.get("/console/export/contacts.pdf").status_code == 404


@pytest.mark.django_db
def test_the_console_opens_right_to_left_in_arabic_with_names_in_any_script_isolated(
        actors: dict[str, Membership]) -> None:
    user_language_set(user=actors["wire_admin"].user, language="ar")
    Contact.objects.create(name="أمل الحربي", email="amal@example.com", consent=True)
    Contact.objects.create(name="山田 花子", email="hanako@example.com", consent=True)
    html = _client(actors, "wire_admin").get("/console/contacts/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "لوحة التشغيل" in html
    assert '<bdi dir="auto">أمل الحربي</bdi>' in html and '<bdi dir="auto">山田 花子</bdi>' in html
