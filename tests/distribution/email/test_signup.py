"""The public sign-up page (`/subscribe/`) and its double opt-in, through a real SMTP server on loopback."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from tests.support.email import RecordingHandler, django_mail_through_smtp, make_contact
from wireroom.audit.models import AuditEntry
from wireroom.distribution.channels.email.suppression import contact_unsubscribe
from wireroom.mediadb.models import ConsentRecord, Contact
from wireroom.mediadb.suppression import suppression_add
from wireroom.subscriptions.models import Signup, Subscription
from wireroom.subscriptions.preferences import contact_preferences

FORM = {"name": "Layla Haddad", "email": "layla@example.net", "cadence": "daily", "languages": ["ar", "en"],
        "sectors": ["energy"], "countries": ["AE"], "regions": ["gcc"], "agree": "yes"}


@pytest.fixture
def mailbox(settings: Any) -> Iterator[RecordingHandler]:
    """What the sign-up sends arrives at a real SMTP server."""
    with django_mail_through_smtp(settings) as handler:
        yield handler


def _post(client: Client, path: str, data: dict[str, Any]) -> HttpResponse:
    """Posts a form as a browser does: with the CSRF token of the page it was shown on."""
    client.get(path)
    return client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})  # type: ignore[return-value]


def _messages(handler: RecordingHandler) -> list[Message]:
    return [email.message_from_bytes(envelope.content) for envelope in handler.envelopes]


def _link(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode(message.get_content_charset() or "utf-8")
    match = re.search(r"https?://\S+/subscribe/confirm/(\S+)/", text)
    assert match is not None
    return f"/subscribe/confirm/{match.group(1)}/"


def _sign_up(client: Client, handler: RecordingHandler, data: dict[str, Any] | None = None,
             path: str = "/ar/subscribe/") -> str:
    response = _post(client, path, data or FORM)
    assert response.status_code == 200
    [message] = _messages(handler)
    return _link(message)


@pytest.mark.django_db
def test_the_page_speaks_the_language_of_its_url_right_to_left_in_arabic() -> None:
    page = Client().get("/ar/subscribe/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "name=\"agree\"" in page
    assert "paused" not in page  # signing up to receive nothing makes no sense
    assert 'value="ar" checked' in page
    assert '<input type="checkbox" name="regions" value="mena">' in page  # a region stands for its countries


@pytest.mark.django_db
def test_without_a_language_in_the_url_the_page_follows_the_browser() -> None:
    page = Client().get("/subscribe/", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.5").content.decode()
    assert '<html lang="ja" dir="ltr">' in page


@pytest.mark.django_db
def test_a_sign_up_writes_no_contact_until_the_link_in_the_message_is_followed(
        mailbox: RecordingHandler) -> None:
    client = Client(enforce_csrf_checks=True)
    link = _sign_up(client, mailbox)
    assert not Contact.objects.exists()
    [message] = _messages(mailbox)
    assert message["To"] == "layla@example.net"

    # Opening the link only shows a button: mail scanners fetch links, and a fetch subscribes nobody.
    shown = client.get(link)
    assert shown.status_code == 200
    assert '<form method="post"' in shown.content.decode()
    assert not Contact.objects.exists()

    assert _post(client, link, {}).status_code == 200
    contact = Contact.objects.get()
    assert (contact.email, contact.name, contact.status, contact.consent, contact.consent_basis) == (
        "layla@example.net", "Layla Haddad", "active", True, "consent")
    assert contact_preferences(contact=contact).__dict__ == {
        "sectors": ["energy"], "languages": ["ar", "en"], "countries": ["AE"], "cadence": "daily", "time_zone": "",
        "regions": ["gcc"]}


@pytest.mark.django_db
def test_the_consent_is_recorded_with_its_time_source_and_the_words_shown_in_the_page_language(
        mailbox: RecordingHandler) -> None:
    client = Client(enforce_csrf_checks=True)
    link = _sign_up(client, mailbox)
    page = client.get("/ar/subscribe/").content.decode()
    before = timezone.now()
    _post(client, link, {})
    [record] = ConsentRecord.objects.all()
    assert (record.basis, record.source, record.language) == ("consent", "sign-up page", "ar")
    assert record.wording in page  # the exact sentence the person ticked
    assert re.search(r"[\u0600-\u06FF]", record.wording)
    assert before <= record.recorded_at <= timezone.now()  # stamped by the confirmation itself


@pytest.mark.django_db
def test_the_confirmation_message_is_written_in_the_language_of_the_page(mailbox: RecordingHandler) -> None:
    _sign_up(Client(), mailbox, path="/ja/subscribe/")
    [message] = _messages(mailbox)
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert re.search(r"[\u3040-\u30FF\u4E00-\u9FFF]", subject)


@pytest.mark.django_db
def test_following_the_link_twice_subscribes_once(mailbox: RecordingHandler) -> None:
    client = Client()
    link = _sign_up(client, mailbox)
    assert _post(client, link, {}).status_code == 200
    assert _post(client, link, {}).status_code == 200
    assert Contact.objects.count() == 1
    assert ConsentRecord.objects.count() == 1
    assert Subscription.objects.count() == 1


@pytest.mark.django_db
def test_sending_the_form_again_at_once_sends_no_second_message(mailbox: RecordingHandler) -> None:
    client = Client()
    for _ in range(3):
        assert _post(client, "/subscribe/", FORM).status_code == 200
    assert len(mailbox.envelopes) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"agree": ""}, "agree"),
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"email": "not-an-address"}, "email"),
    ({"languages": []}, "languages"),
    ({"cadence": "paused"}, "cadence"),
    ({"cadence": "hourly"}, "cadence"),
    ({"sectors": ["no-such-sector"]}, "sectors"),
    ({"countries": ["ZZ"]}, "countries"),
    ({"regions": ["atlantis"]}, "regions"),
])
@pytest.mark.django_db
def test_a_wrong_field_is_named_beside_it_and_nothing_is_saved_or_sent(
        mailbox: RecordingHandler, change: dict[str, Any], field: str) -> None:
    response = _post(Client(), "/subscribe/", {**FORM, **change})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page
    assert f'id="signup-{field}-error"' in page or 'class="field-error"' in page
    assert not Signup.objects.exists()
    assert not Contact.objects.exists()
    assert mailbox.envelopes == []


@pytest.mark.django_db
def test_a_bounced_address_gets_the_same_answer_and_no_message(mailbox: RecordingHandler) -> None:
    contact = make_contact("layla@example.net", status="bounced")
    response = _post(Client(), "/subscribe/", FORM)
    assert response.status_code == 200
    assert mailbox.envelopes == []
    assert AuditEntry.objects.filter(action="signup.refused", target_id=str(contact.pk)).exists()


@pytest.mark.django_db
def test_an_address_an_operator_suppressed_stays_suppressed(mailbox: RecordingHandler) -> None:
    suppression_add(email="layla@example.net", reason="asked by phone", by=None)
    assert _post(Client(), "/subscribe/", FORM).status_code == 200
    assert mailbox.envelopes == []


@pytest.mark.django_db
def test_a_journalist_who_unsubscribed_can_sign_up_again_and_is_active_once_confirmed(
        mailbox: RecordingHandler) -> None:
    contact = make_contact("Layla@Example.net", "Layla H.")
    contact_unsubscribe(contact.pk, via="one-click")
    client = Client()
    _post(client, _sign_up(client, mailbox), {})
    contact.refresh_from_db()
    assert contact.status == "active"
    assert Contact.objects.count() == 1  # the same person, whatever the case of the address
    assert contact.name == "Layla H."  # the name the wire already had is kept


@pytest.mark.django_db
def test_a_link_that_expired_or_was_tampered_with_subscribes_nobody(mailbox: RecordingHandler) -> None:
    client = Client()
    link = _sign_up(client, mailbox)
    assert client.get(link[:-3] + "xx/").status_code == 400
    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert _post(client, link, {}).status_code == 400
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_failing_mail_server_gets_a_503_and_leaves_no_pending_sign_up(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    response = _post(Client(), "/subscribe/", FORM)
    assert response.status_code == 503
    assert not Signup.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_contacts_cannot_share_an_address_that_differs_only_in_case() -> None:
    make_contact("tom@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contact("TOM@example.com")
