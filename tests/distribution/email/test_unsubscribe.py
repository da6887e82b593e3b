"""One-click unsubscribe (RFC 8058) and the preference centre, reached by the signed token in every message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.support.email import make_contact, make_delivery
from tests.support.renderings import store_renderings
from wireroom.audit.models import AuditEntry
from wireroom.distribution.channels.email import tokens
from wireroom.distribution.channels.email.message import MessageTemplate, Recipient
from wireroom.distribution.models import RenderedItem
from wireroom.mediadb.models import Contact
from wireroom.releases.models import Release
from wireroom.taxonomy.models import Sector

ONE_CLICK = "List-Unsubscribe=One-Click"


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _path(contact: Contact, kind: str = "u") -> str:
    return f"/{kind}/{tokens.contact_token(contact.pk)}/"


def _audit(contact: Contact) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(target_type="mediadb.contact", target_id=str(contact.pk)).order_by("id"))


@pytest.mark.django_db
def test_one_click_post_unsubscribes_without_login() -> None:
    contact = make_contact("tom@example.com", "Tom Becker")
    response = _csrf_client().post(_path(contact), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"
    assert contact.status_changed_at is not None
    [entry] = _audit(contact)
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        "contact.unsubscribe", None, "active", "unsubscribed")
    assert entry.data == {"via": "one-click"}


@pytest.mark.django_db
def test_unsubscribing_again_answers_200_and_changes_nothing_more() -> None:
    contact = make_contact("tom@example.com")
    client = _csrf_client()
    for _ in range(3):
        response = client.post(_path(contact), ONE_CLICK, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert len(_audit(contact)) == 1


@pytest.mark.django_db
def test_a_bounced_contact_who_unsubscribes_stays_bounced() -> None:
    contact = make_contact("gone@example.com", status="bounced")
    assert _csrf_client().post(_path(contact), ONE_CLICK,
                               content_type="application/x-www-form-urlencoded").status_code == 200
    contact.refresh_from_db()
    assert contact.status == "bounced"
    assert _audit(contact) == []


@pytest.mark.django_db
def test_get_asks_in_the_contacts_language_with_a_button_and_a_link_to_preferences() -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt", languages=("de", "en"))
    response = Client().get(_path(contact))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="de" dir="ltr">' in page
    assert "Keine Meldungen von Wireroom mehr an anna@example.de erhalten?" in page
    assert f'<form method="post" action="http://127.0.0.1:8000{_path(contact)}">' in page
    assert '<button type="submit">Abmelden</button>' in page
    assert f'href="http://127.0.0.1:8000{_path(contact, "preferences")}"' in page
    contact.refresh_from_db()
    assert contact.status == "active"  # a GET (a link scanner, a preview) never unsubscribes


@pytest.mark.django_db
def test_the_confirmation_page_is_right_to_left_for_an_arabic_reader() -> None:
    contact = make_contact("layla@example.com", languages=("ar",))
    page = Client().post(_path(contact)).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "أُلغي اشتراكك" in page


@pytest.mark.django_db
def test_a_bad_token_gets_400_with_a_clear_message_never_500() -> None:
    contact = make_contact("tom@example.com")
    forged = tokens.contact_token(contact.pk).replace(f"{contact.pk}.", f"{contact.pk + 1}.", 1)
    client = Client(raise_request_exception=False)
    for token in (forged, "nonsense", "1.2.3", "%00", "x" * 300, tokens.contact_token(999_999)):
        for method in (client.get, client.post):
            response = method(f"/u/{token}/")
            assert response.status_code == 400, (token, method)
            assert "This link is not valid." in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == "active"


@pytest.mark.django_db
def test_unsubscribing_suppresses_the_contacts_pending_deliveries(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    contact = make_contact("tom@example.com")
    pending = make_delivery(release, contact, "en")
    Client().post(_path(contact), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    pending.refresh_from_db()
    assert (pending.state, pending.last_error) == ("suppressed", "suppressed: unsubscribed")


@pytest.mark.django_db
def test_the_link_in_a_message_is_one_the_view_accepts(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["en"])
    contact = make_contact("tom@example.com", "Tom Becker")
    payload = RenderedItem.objects.get(release=release, format="email", language="en").payload
    template = MessageTemplate(release_id=release.id, version=release.version, language="en", payload=payload,
                               wire_name="Wireroom", mail_from="newsdesk@wireroom.example",
                               mail_domain="wireroom.example")
    built = template.build(Recipient(1, contact.pk, contact.name, contact.email), "Sat, 28 Nov 2026 10:00:00 +0000")
    url = str(built.header("List-Unsubscribe")).strip("<>")
    path = url.removeprefix("http://127.0.0.1:8000")
    # What a mailbox provider does for the one-click button: POST the URL, with no cookies and no CSRF token.
    response = _csrf_client().post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"


@pytest.mark.django_db
def test_preference_centre_shows_beats_and_languages_and_toggles_the_subscription() -> None:
    contact = make_contact("anna@example.de", "Anna Schmidt", languages=("en", "de"))
    contact.beats.add(Sector.objects.get(slug="top-story"))
    client = _csrf_client()
    page = client.get(_path(contact, "preferences")).content.decode()
    assert "You are subscribed: anna@example.de receives releases from Wireroom." in page
    assert Sector.objects.get(slug="top-story").labels["en"] in page
    assert page.index("English") < page.index("Deutsch")  # the languages in the contact's order
    assert 'name="action" value="unsubscribe"' in page

    response = client.post(_path(contact, "preferences"), {"action": "unsubscribe"})
    assert response.status_code == 200
    assert 'name="action" value="resubscribe"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"

    response = client.post(_path(contact, "preferences"), {"action": "resubscribe"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "active" and contact.consent
    assert contact.consent_source == "preference centre"
    assert [entry.action for entry in _audit(contact)] == ["contact.unsubscribe", "contact.resubscribe"]


@pytest.mark.django_db
def test_preference_centre_refuses_an_unknown_action_or_token_with_400() -> None:
    contact = make_contact("tom@example.com")
    assert Client().post(_path(contact, "preferences"), {"action": "delete"}).status_code == 400
    assert Client().get("/preferences/forged.token/").status_code == 400
    contact.refresh_from_db()
    assert contact.status == "active"
