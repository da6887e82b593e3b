"""The suppression list in the console: view and search, add and remove with a reason, every change audited, bad
input refused beside its field with nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.factories import contact
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.mediadb.models import Contact, ContactStatus


@pytest.fixture
def staff(actors: dict[str, Membership]) -> Client:
    client = Client()
    client.force_login(actors["wire_editor"].user)
    return client


@pytest.mark.django_db
def test_an_address_is_added_with_its_reason_listed_and_removed_each_change_audited(
        staff: Client, actors: dict[str, Membership]) -> None:
    person = contact("Amal")
    response = staff.post("/console/suppression/add/", {"add-email": "AMAL@example.com",
                                                        "add-reason": "Asked by phone never to be mailed"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == ContactStatus.UNSUBSCRIBED
    page = staff.get("/console/suppression/?q=amal").content.decode()
    assert "amal@example.com" in page and "Asked by phone never to be mailed" in page
    assert "amal@example.com" not in staff.get("/console/suppression/?q=someone-else").content.decode()

    staff.post("/console/suppression/add/", {"add-email": "new@example.com", "add-reason": "Complaint by letter"})
    assert Contact.objects.get(email="new@example.com").status == ContactStatus.UNSUBSCRIBED

    assert staff.post("/console/suppression/remove/", {"remove-email": "amal@example.com",
                                                       "remove-reason": "Asked to be back"}).status_code == 302
    person.refresh_from_db()
    assert person.status == ContactStatus.ACTIVE
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id", "data__reason"))
    editor = actors["wire_editor"].user.pk
    assert entries == [("suppression.add", editor, "Asked by phone never to be mailed"),
                       ("suppression.add", editor, "Complaint by letter"),
                       ("suppression.remove", editor, "Asked to be back")]


@pytest.mark.django_db
def test_bad_suppression_input_is_refused_beside_its_field_and_changes_nothing(staff: Client) -> None:
    person = contact("Amal")
    for url, data, field, message in (
        ("add", {"add-email": "amal@example.com", "add-reason": ""}, "id_add-reason_error", "required"),
        ("add", {"add-email": "amal@example.com", "add-reason": "   "}, "id_add-reason_error", "required"),
        ("add", {"add-email": "not an address", "add-reason": "x"}, "id_add-email_error", "e-mail"),
        ("add", {"add-email": "amal@example.com", "add-reason": "x" * 501}, "id_add-reason_error", "at most 500"),
        ("remove", {"remove-email": "nobody@example.com", "remove-reason": "x"}, "id_remove-email_error",
         "not in the media database"),
    ):
        response = staff.post(f"/console/suppression/{url}/", data)
        html = response.content.decode()
        assert response.status_code == 400 and f'id="{field}"' in html and message in html, data
    person.refresh_from_db()
    assert person.status == ContactStatus.ACTIVE and Contact.objects.count() == 1
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_asking_for_what_is_already_so_changes_and_audits_nothing(staff: Client) -> None:
    contact("Amal", status=ContactStatus.BOUNCED)
    response = staff.post("/console/suppression/add/", {"add-email": "amal@example.com", "add-reason": "again"},
                          follow=True)
    assert "was already suppressed; nothing changed" in response.content.decode()
    assert Contact.objects.get().status == ContactStatus.BOUNCED and not AuditEntry.objects.exists()
