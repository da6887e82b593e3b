"""Bounces (RFC 3464 DSNs) and complaints (RFC 5965 ARF), by MTA pipe and by the provider events hook."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.support.email import make_contact, make_delivery
from tests.support.renderings import store_renderings
from wireroom.audit.models import AuditEntry
from wireroom.distribution.channels.email import tokens
from wireroom.distribution.channels.email.bounces import parse_report
from wireroom.distribution.channels.email.message import MessageTemplate, OutgoingMessage, Recipient
from wireroom.distribution.models import Delivery, RenderedItem
from wireroom.mediadb.models import Contact
from wireroom.releases.models import Release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_mail_domain")]

DOMAIN = "gulfwire.example"
TOKEN = "provider-secret-3f9a"


@pytest.fixture
def _mail_domain() -> object:
    with override_settings(MAIL_FROM=f"newsdesk@{DOMAIN}", MAIL_DOMAIN=DOMAIN, EMAIL_EVENTS_TOKEN=TOKEN):
        yield


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def _sent(release: Release, delivery: Delivery) -> OutgoingMessage:
    """The message that went to the delivery's contact, as the channel built it."""
    store_renderings("email", release, release.version, "publish", ["en"])
    payload = RenderedItem.objects.get(release=release, version=release.version, format="email", language="en").payload
    template = MessageTemplate(release_id=release.id, version=release.version, language="en", payload=payload,
                               wire_name="Gulf Wire", mail_from=f"newsdesk@{DOMAIN}", mail_domain=DOMAIN)
    contact = delivery.contact
    assert contact is not None
    return template.build(Recipient(delivery.pk, contact.pk, contact.name, contact.email),
                          "Sat, 28 Nov 2026 10:00:00 +0000")


def dsn(*, to: str, final_recipient: str, status: str = "5.1.1", action: str = "failed",
        original_headers: str = "") -> bytes:
    return _crlf(f"""From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: Sat, 28 Nov 2026 10:00:05 +0000
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-bound"

--dsn-bound
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.

--dsn-bound
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Sat, 28 Nov 2026 10:00:01 +0000

Final-Recipient: rfc822; {final_recipient}
Original-Recipient: rfc822;{final_recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.example.com
Diagnostic-Code: smtp; 550 {status} <{final_recipient}>: Recipient address rejected: User unknown

--dsn-bound
Content-Type: text/rfc822-headers

{original_headers}
--dsn-bound--
""")


def arf(original: bytes, *, rcpt_to: str = "") -> bytes:
    report = _crlf(f"""From: <staff@mailbox.example>
To: <fbl@{DOMAIN}>
Subject: FW: complaint
Date: Sat, 28 Nov 2026 11:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf-bound"

--arf-bound
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for a message received from a sender you are responsible for.

--arf-bound
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: MailboxFBL/2.1
Version: 1
{f"Original-Rcpt-To: {rcpt_to}" if rcpt_to else "Source-IP: 192.0.2.1"}

--arf-bound
Content-Type: message/rfc822

""")
    return report + original + b"\r\n--arf-bound--\r\n"


def _run_pipe(raw: bytes, recipient: str = "") -> dict[str, object]:
    out = io.StringIO()
    call_command("bounces", *(["--recipient", recipient] if recipient else []), stdin=io.BytesIO(raw), stdout=out)
    report: dict[str, object] = json.loads(out.getvalue())
    return report


def _states(*deliveries: Delivery) -> list[tuple[str, str]]:
    for delivery in deliveries:
        delivery.refresh_from_db()
    return [(delivery.state, delivery.last_error) for delivery in deliveries]


def test_dsn_hard_bounce_marks_contact_and_suppresses_pending_deliveries(
        make_release: Callable[..., Release]) -> None:
    first, second = make_release("published"), make_release("published")
    contact = make_contact("tom@example.com", "Tom Becker")
    delivered = make_delivery(first, contact, "en", state="delivered")
    pending = make_delivery(second, contact, "en")
    retrying = make_delivery(second, contact, "en", version=second.version + 1, state="retrying")
    sent = _sent(first, delivered)
    original = sent.header_bytes().decode()
    report = dsn(to=sent.envelope_from, final_recipient="tom@example.com", original_headers=original)

    summary = _run_pipe(report, recipient=sent.envelope_from)

    assert summary["kind"] == "bounce" and summary["hard"] is True and summary["status"] == "5.1.1"
    contact.refresh_from_db()
    assert contact.status == "bounced" and contact.status_changed_at is not None
    reason = "suppressed: bounced: 5.1.1 smtp; 550 5.1.1 <tom@example.com>: Recipient address rejected: User unknown"
    assert _states(delivered, pending, retrying) == [("delivered", ""), ("suppressed", reason), ("suppressed", reason)]
    entry = AuditEntry.objects.get(target_type="mediadb.contact", target_id=str(contact.pk))
    assert (entry.action, entry.actor, entry.to_state, entry.data["source"]) == (
        "contact.bounce", None, "bounced", "dsn")


def test_the_verp_token_wins_over_the_address_the_report_names(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    contact = make_contact("tom@example.com")
    other = make_contact("forwarded@example.org")
    sent = _sent(release, make_delivery(release, contact, "en", state="delivered"))
    # Tom's mail was forwarded; the bounce names the final address, but it came back to Tom's VERP address.
    _run_pipe(dsn(to=sent.envelope_from, final_recipient="forwarded@example.org"))
    contact.refresh_from_db()
    other.refresh_from_db()
    assert (contact.status, other.status) == ("bounced", "active")


def test_a_soft_bounce_changes_nothing(make_release: Callable[..., Release]) -> None:
    release, earlier = make_release("published"), make_release("published")
    contact = make_contact("tom@example.com")  # after the releases, which were targeted without them
    pending = make_delivery(release, contact, "en")
    sent = _sent(earlier, make_delivery(earlier, contact, "en", state="delivered"))
    summary = _run_pipe(dsn(to=sent.envelope_from, final_recipient="tom@example.com", status="4.2.2",
                            action="delayed"), recipient=sent.envelope_from)
    assert summary["hard"] is False and summary["suppressed"] == 0
    contact.refresh_from_db()
    assert contact.status == "active"
    assert _states(pending) == [("pending", "")]


def test_without_a_verp_token_the_final_recipient_names_the_contact() -> None:
    contact = make_contact("tom@example.com")
    _run_pipe(dsn(to=f"bounces@{DOMAIN}", final_recipient="TOM@Example.com"))
    contact.refresh_from_db()
    assert contact.status == "bounced"


def test_a_forged_verp_token_is_not_trusted() -> None:
    victim = make_contact("victim@example.com")
    genuine = tokens.verp_token(1, victim.pk)
    forged = genuine[:-1] + ("0" if genuine[-1] != "0" else "1")
    summary = _run_pipe(dsn(to=f"bounces+{forged}@{DOMAIN}", final_recipient="nobody@elsewhere.example"),
                        recipient=f"bounces+{forged}@{DOMAIN}")
    assert summary["contact"] is None
    victim.refresh_from_db()
    assert victim.status == "active"


def test_arf_complaint_marks_the_contact_complained_even_with_the_recipient_redacted(
        make_release: Callable[..., Release]) -> None:
    release, later = make_release("published"), make_release("published")
    contact = make_contact("tom@example.com")
    sent = _sent(release, make_delivery(release, contact, "en", state="delivered"))
    pending = make_delivery(later, contact, "en")
    # The mailbox provider forwards the message as delivered, its Return-Path and To redacted.
    original = sent.as_bytes().replace(b"tom@example.com", b"redacted@mailbox.example")
    summary = _run_pipe(arf(original))
    assert summary["kind"] == "complaint" and summary["status"] == "abuse"
    contact.refresh_from_db()
    assert contact.status == "complained"
    assert _states(pending)[0][0] == "suppressed"
    assert AuditEntry.objects.get(target_id=str(contact.pk)).action == "contact.complaint"


def test_arf_complaint_found_by_original_recipient_when_that_is_all_there_is() -> None:
    contact = make_contact("tom@example.com")
    original = _crlf("From: someone@elsewhere.example\nSubject: hi\n\nbody\n")
    _run_pipe(arf(original, rcpt_to="tom@example.com"))
    contact.refresh_from_db()
    assert contact.status == "complained"


def test_a_complaint_is_not_undone_by_a_later_bounce() -> None:
    contact = make_contact("tom@example.com", status="complained")
    _run_pipe(dsn(to=f"bounces@{DOMAIN}", final_recipient="tom@example.com"))
    contact.refresh_from_db()
    assert contact.status == "complained"


def test_a_message_that_is_no_report_is_left_alone() -> None:
    contact = make_contact("tom@example.com")
    summary = _run_pipe(_crlf("From: tom@example.com\nTo: bounces@gulfwire.example\nSubject: out of office\n\nAway.\n"))
    assert summary == {"result": "not a delivery or feedback report"}
    assert parse_report(b"\x00\xff garbage") is None
    contact.refresh_from_db()
    assert contact.status == "active"


# The provider events hook -----------------------------------------------------------------------------------------

def _post_events(body: object, token: str | None = TOKEN) -> tuple[int, dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    response = Client(enforce_csrf_checks=True, raise_request_exception=False).post(
        "/hooks/email-events", data, content_type="application/json", headers=headers)
    return response.status_code, (json.loads(response.content) if response.content.startswith(b"{") else {})


def test_events_hook_marks_hard_bounces_and_complaints_and_ignores_soft_bounces(
        make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    hard, soft, complainer = (make_contact(f"{name}@example.com") for name in ("hard", "soft", "complainer"))
    pending = make_delivery(release, hard, "en")
    status, body = _post_events({"events": [
        {"type": "bounce", "email": "HARD@example.com", "hard": True, "status": "5.1.1"},
        {"type": "bounce", "email": "soft@example.com", "hard": False},
        {"type": "complaint", "email": "complainer@example.com"},
        {"type": "complaint", "email": "stranger@example.com"},
    ]})
    assert (status, body) == (200, {"applied": 2, "ignored": 1, "unknown": 1})
    assert [Contact.objects.get(pk=c.pk).status for c in (hard, soft, complainer)] == [
        "bounced", "active", "complained"]
    assert _states(pending)[0][0] == "suppressed"


def test_events_hook_is_not_there_without_a_token_setting() -> None:
    with override_settings(EMAIL_EVENTS_TOKEN=""):
        status, _ = _post_events({"events": []})
    assert status == 404


def test_events_hook_refuses_a_missing_or_wrong_token_with_401() -> None:
    contact = make_contact("tom@example.com")
    event = {"events": [{"type": "complaint", "email": "tom@example.com"}]}
    assert _post_events(event, token=None)[0] == 401
    assert _post_events(event, token="guess")[0] == 401
    contact.refresh_from_db()
    assert contact.status == "active"


@pytest.mark.parametrize(("body", "message"), [
    ("{not json", "The body is not JSON"),
    ({"events": "bounce"}, 'Send {"events": ['),
    ([1, 2], 'Send {"events": ['),
    ({"events": [{"type": "complaint", "email": "tom@example.com"}, {"type": "unsubscribe", "email": "a@b.c"}]},
     'events[1].type must be "bounce" or "complaint".'),
    ({"events": [{"type": "bounce", "email": "tom@example.com"}]}, "events[0].hard must be true"),
    ({"events": [{"type": "bounce", "email": 7, "hard": True}]}, "events[0].email must be an e-mail address."),
    ({"events": [{"type": "complaint", "email": "a@b.c"}] * 1001}, "At most 1000 events in one request."),
])
def test_events_hook_answers_bad_input_with_400_and_changes_nothing(body: object, message: str) -> None:
    contact = make_contact("tom@example.com")
    status, answer = _post_events(body)
    assert status == 400
    assert str(answer["detail"]).startswith(message)
    contact.refresh_from_db()
    assert contact.status == "active"
