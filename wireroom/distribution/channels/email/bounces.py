"""Bounces and complaints: RFC 3464 delivery status notifications, RFC 5965 (ARF) feedback reports, and the
events a mail provider posts to `/hooks/email-events`.

A hard bounce (Action: failed, Status 5.x.x) marks the contact `bounced`, a complaint `complained`; either way
every pending delivery to that contact is suppressed. Soft bounces (4.x.x, delayed) change nothing. The contact
is found by the signed VERP address the report was sent to (or that the original message carried), by the
signed token in the original message's List-Unsubscribe, and only then by the failed address itself.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import hmac
import json
import logging
import re
from dataclasses import dataclass
from email.message import Message
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wireroom.distribution.channels.email.suppression import contact_undeliverable
from wireroom.distribution.channels.email.tokens import contact_id_from_token, find_verp
from wireroom.mediadb.models import Contact, ContactStatus

log = logging.getLogger(__name__)

EventKind = Literal["bounce", "complaint"]
MAX_EVENTS = 1000
_UNSUBSCRIBE_TOKEN = re.compile(r"/u/([0-9]+\.[A-Za-z0-9_-]+)/")
_ADDRESS = re.compile(r"[^\s<>;\"]+@[^\s<>;\"]+")
_ENVELOPE_HEADERS = ("X-Original-To", "Delivered-To", "Envelope-To", "X-Envelope-To", "To")


@dataclass(frozen=True)
class MailEvent:
    kind: EventKind
    hard: bool  # bounces only: a permanent failure
    contact_id: int | None  # when a signed token named the contact
    address: str  # the failed or complaining address, when the report gave one
    status: str  # DSN status code or ARF feedback type
    detail: str  # the diagnostic, for the audit log and the deliveries' last_error


@dataclass(frozen=True)
class Applied:
    contact_id: int | None
    status: str  # the contact's status afterwards, "" when no contact was found
    suppressed: int


def _blocks(part: Message) -> list[Message]:
    """The field blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = part.get_payload(decode=True)
    if not isinstance(text, bytes):
        return []
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    return [parser.parsebytes(chunk.strip() + b"\n") for chunk in re.split(rb"\r?\n\r?\n", text) if chunk.strip()]


def _original_headers(report: Message) -> Message | None:
    for part in report.walk():
        content_type = part.get_content_type()
        if content_type in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
        if content_type in ("text/rfc822-headers", "text/global-headers"):
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                return email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    return None


def _address(field: str | None) -> str:
    """`rfc822; someone@example.com` → `someone@example.com`."""
    if not field:
        return ""
    value = str(field).split(";", 1)[-1]
    match = _ADDRESS.search(value)
    return match.group(0).strip().lower() if match else ""


def _signed_contact(report: Message, original: Message | None, envelope_recipient: str) -> int | None:
    places = [envelope_recipient, *(str(report.get(name, "")) for name in _ENVELOPE_HEADERS)]
    if original is not None:
        places += [str(original.get("Return-Path", "")), str(original.get("List-Unsubscribe", ""))]
    for place in places:
        ref = find_verp(place)
        if ref is not None:
            return ref.contact_id
    if original is not None:
        for match in _UNSUBSCRIBE_TOKEN.finditer(str(original.get("List-Unsubscribe", ""))):
            contact_id = contact_id_from_token(match.group(1))
            if contact_id is not None:
                return contact_id
    return None


def _dsn_event(report: Message, part: Message, contact_id: int | None) -> MailEvent:
    recipients = _blocks(part)[1:]
    hard = [block for block in recipients if str(block.get("Action", "")).strip().lower() == "failed"
            and str(block.get("Status", "")).strip().startswith("5")]
    chosen = hard[0] if hard else (recipients[0] if recipients else Message())
    address = _address(chosen.get("Final-Recipient")) or _address(chosen.get("Original-Recipient"))
    return MailEvent(kind="bounce", hard=bool(hard), contact_id=contact_id, address=address,
                     status=str(chosen.get("Status", "")).strip(),
                     detail=" ".join(str(chosen.get("Diagnostic-Code", "")).split())[:500])


def _arf_event(part: Message, original: Message | None, contact_id: int | None) -> MailEvent:
    fields = next(iter(_blocks(part)), Message())
    address = _address(fields.get("Original-Rcpt-To"))
    if not address and original is not None:
        address = _address(original.get("To"))
    feedback_type = str(fields.get("Feedback-Type", "abuse")).strip().lower()
    reporter = str(fields.get("User-Agent", "a mailbox provider")).strip()
    return MailEvent(kind="complaint", hard=True, contact_id=contact_id, address=address, status=feedback_type,
                     detail=f"{feedback_type} report from {reporter}")


def parse_report(raw: bytes, envelope_recipient: str = "") -> MailEvent | None:
    """The event a DSN or ARF report tells of; None when the message is neither."""
    report = email.message_from_bytes(raw, policy=email.policy.compat32)
    if report.get_content_type() != "multipart/report":
        return None
    report_type = str(report.get_param("report-type", "", header="content-type")).lower()
    original = _original_headers(report)
    contact_id = _signed_contact(report, original, envelope_recipient)
    for part in report.walk():
        if report_type == "delivery-status" and part.get_content_type() in ("message/delivery-status",
                                                                             "message/global-delivery-status"):
            return _dsn_event(report, part, contact_id)
        if report_type == "feedback-report" and part.get_content_type() == "message/feedback-report":
            return _arf_event(part, original, contact_id)
    return None


def _contact_id_for(event: MailEvent) -> int | None:
    if event.contact_id is not None:
        return event.contact_id
    if not event.address:
        return None
    return Contact.objects.filter(email__iexact=event.address).values_list("pk", flat=True).first()


def apply_event(event: MailEvent, *, source: str) -> Applied:
    """Marks the contact and suppresses its pending deliveries; soft bounces change nothing."""
    contact_id = _contact_id_for(event)
    if contact_id is None:
        return Applied(None, "", 0)
    if event.kind == "bounce" and not event.hard:
        status = Contact.objects.filter(pk=contact_id).values_list("status", flat=True).first() or ""
        return Applied(contact_id if status else None, status, 0)
    status = ContactStatus.COMPLAINED if event.kind == "complaint" else ContactStatus.BOUNCED
    reason = " ".join(part for part in (event.status, event.detail) if part) or event.kind
    changed = contact_undeliverable(contact_id, status, reason=reason,
                                    data={"source": source, "address": event.address, "status": event.status})
    if changed is None:
        return Applied(None, "", 0)
    contact, suppressed = changed
    return Applied(contact.pk, contact.status, suppressed)


# The provider events hook ----------------------------------------------------------------------------------------

class _BadEvents(ValueError):
    pass


def _events_from_json(body: bytes) -> list[MailEvent]:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _BadEvents(f"The body is not JSON: {exc}") from None
    events = document.get("events") if isinstance(document, dict) else None
    if not isinstance(events, list):
        raise _BadEvents('Send {"events": [{"type": "bounce" or "complaint", "email": "…", "hard": true}]}.')
    if len(events) > MAX_EVENTS:
        raise _BadEvents(f"At most {MAX_EVENTS} events in one request.")
    parsed = []
    for index, item in enumerate(events):
        if not isinstance(item, dict):
            raise _BadEvents(f"events[{index}] is not an object.")
        kind, address, hard = item.get("type"), item.get("email"), item.get("hard")
        if kind not in ("bounce", "complaint"):
            raise _BadEvents(f'events[{index}].type must be "bounce" or "complaint".')
        if not isinstance(address, str) or "@" not in address or len(address) > 254:
            raise _BadEvents(f"events[{index}].email must be an e-mail address.")
        if kind == "bounce" and not isinstance(hard, bool):
            raise _BadEvents(f"events[{index}].hard must be true (a permanent failure) or false for a bounce.")
        parsed.append(MailEvent(kind=kind, hard=kind == "complaint" or bool(hard), contact_id=None,
                                address=address.strip().lower(), status=str(item.get("status", ""))[:50],
                                detail=str(item.get("detail", ""))[:500]))
    return parsed


def _authorized(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _problem(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@csrf_exempt
@require_POST
def email_events(request: HttpRequest) -> HttpResponse:
    """POST /hooks/email-events: bounces and complaints from a mail provider, with a bearer token."""
    token = settings.EMAIL_EVENTS_TOKEN
    if not token:
        raise Http404("The e-mail events hook is not enabled.")
    if not _authorized(request, token):
        return _problem(401, "Send Authorization: Bearer <WIREROOM_EMAIL_EVENTS_TOKEN>.")
    try:
        events = _events_from_json(request.body)
    except _BadEvents as exc:
        return _problem(400, str(exc))
    counts = {"applied": 0, "ignored": 0, "unknown": 0}
    with transaction.atomic():
        for event in events:
            if event.kind == "bounce" and not event.hard:
                counts["ignored"] += 1
                continue
            applied = apply_event(event, source="hook")
            counts["applied" if applied.contact_id is not None else "unknown"] += 1
    return JsonResponse(counts)


def summary(event: MailEvent | None, applied: Applied | None) -> dict[str, Any]:
    """A line for the log and the command's output."""
    if event is None:
        return {"result": "not a delivery or feedback report"}
    return {"kind": event.kind, "hard": event.hard, "status": event.status, "address": event.address,
            "contact": applied.contact_id if applied else None, "contact_status": applied.status if applied else "",
            "suppressed": applied.suppressed if applied else 0}
