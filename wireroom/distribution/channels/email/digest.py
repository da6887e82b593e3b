"""The digest message: every release of a contact's period in one e-mail, in the contact's language, sent by the
worker through the wire's own mail path, with one-click unsubscribe.

The message is composed with Django's mail classes, then sent as the instant e-mail is: DKIM-signed when DKIM is
configured, through a pool of SMTP connections to WIREROOM_SMTP_URL, or without one written to the outbox's
`digests` folder (one file per digest row).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date, format_datetime
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wireroom.brand.selectors import brand
from wireroom.distribution.channels.email.dkim import signer_from_settings
from wireroom.distribution.channels.email.message import OutgoingMessage, format_address, idna_address
from wireroom.distribution.channels.email.outbox import Outbox
from wireroom.distribution.channels.email.smtp import SendOutcome, SmtpConfig, SmtpPool
from wireroom.distribution.channels.email.tokens import contact_token, preferences_url, unsubscribe_url
from wireroom.distribution.digests import (
    DigestItem,
    digest_ack,
    digest_items,
    digest_zone,
    digests_lease,
    digests_schedule,
)
from wireroom.distribution.models import DigestDelivery
from wireroom.lib.connections import refresh_connection
from wireroom.lib.html import html_to_text
from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus
from wireroom.releases.models import Localization
from wireroom.subscriptions.models import Channel, Subscription
from wireroom.taxonomy.models import Language

log = logging.getLogger(__name__)

SCHEDULE_EVERY = 30.0  # seconds between two looks for digests whose period has ended
BATCH = 50
SUMMARY_MAX = 400


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:digest"


@dataclass(frozen=True)
class Entry:
    """One release as the digest lists it."""

    headline: str
    summary: str
    url: str
    issuer: str
    kind: str
    label: str
    note: str
    at: str
    language: str
    direction: str


def _interface(contact: Contact) -> Language:
    """The contact's first language the interface speaks."""
    spoken = {code for code, _name in settings.LANGUAGES}
    for link in ContactLanguage.objects.filter(contact=contact).select_related("language").order_by("rank"):
        if link.language.django_code in spoken:
            return link.language
    return Language.objects.get(code="en")


def _still_wants(contact: Contact, cadence: str) -> bool:
    if contact.status != ContactStatus.ACTIVE or not contact.consent:
        return False
    return Subscription.objects.filter(contact=contact, channel=Channel.EMAIL, active=True, cadence=cadence).exists()


def _summary(localization: Localization) -> str:
    text = localization.summary.strip() or html_to_text(localization.body_html).strip()
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"


def _entries(items: list[DigestItem], locale: str, zone: dt.tzinfo) -> list[Entry]:
    wanted = {(item.release.pk, item.language) for item in items}
    localizations = {(loc.release_id, loc.language_id): loc for loc in Localization.objects.filter(
        release_id__in={release for release, _language in wanted}).select_related("language", "release__issuer")}
    labels = {"new": "", "corrected": _("Corrected"), "withdrawn": _("Withdrawn")}
    kinds = {"press_release": _("Press release"), "third_party_article": _("Third-party article"),
             "media_advisory": _("Media advisory")}
    entries = []
    for item in items:
        loc = localizations.get((item.release.pk, item.language))
        if loc is None:
            continue
        withdrawn = item.kind == "withdrawn"
        entries.append(Entry(
            headline=loc.headline, summary="" if withdrawn else _summary(loc),
            url="" if withdrawn else f"{settings.BASE_URL}/releases/{item.release.pk}/{item.language}/",
            issuer=loc.release.issuer.name,
            kind=kinds.get(item.release.kind, ""),
            label=labels["corrected"] if item.corrected and not withdrawn else labels[item.kind],
            note=item.note, at=format_datetime(item.at.astimezone(zone), "medium", locale=locale),
            language=loc.language.code, direction=loc.language.direction))
    return entries


def compose(row: DigestDelivery, items: list[DigestItem]) -> tuple[EmailMultiAlternatives, str] | None:
    """The message of one digest and the language it is written in, or None when nothing of it can be shown."""
    contact = row.contact
    interface = _interface(contact)
    zone = digest_zone(time_zone=contact.time_zone, country=contact.countries.order_by("code")
                       .values_list("code", flat=True).first())
    token = contact_token(contact.pk)
    with translation.override(interface.django_code):
        locale = interface.code.replace("-", "_")
        entries = _entries(items, locale, zone)
        if not entries:
            return None
        day = format_date(row.period_end.astimezone(zone).date(), "long", locale=locale)
        wording = brand(language=interface.code)
        params = {"wire": wording.wire_name, "date": day}
        subject = (_("%(wire)s daily digest, %(date)s") if row.cadence == "daily"
                   else _("%(wire)s weekly digest, %(date)s")) % params
        context: dict[str, Any] = {
            "subject": subject, "entries": entries, "page_lang": interface.code, "page_dir": interface.direction,
            "wire_name": wording.wire_name, "unsubscribe_url": unsubscribe_url(token),
            "preferences_url": preferences_url(token),
            "strings": {"intro": _("The releases of the period that match your choices."),
                        "read": _("Read the release"), "preferences": _("Manage your preferences"),
                        "unsubscribe": _("Unsubscribe"),
                        "sent_to": _("Sent to %(name)s by %(wire)s.") % {"name": contact.email,
                                                                          "wire": wording.wire_name}},
        }
        text = render_to_string("email/digest.txt", context)
        html = render_to_string("email/digest.html", context)
    message = EmailMultiAlternatives(
        subject, text, format_address(wording.wire_name, wording.sender), [contact.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url(token)}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 # The same id if a crash makes the digest go twice: mail clients show it once.
                 "Message-ID": f"<digest-{row.pk}@{settings.MAIL_DOMAIN}>"})
    message.attach_alternative(html, "text/html")
    return message, interface.code


def outgoing(row: DigestDelivery, message: EmailMultiAlternatives) -> OutgoingMessage:
    """The composed message as the wire's mail path carries it: its headers as (name, value), folded as Django
    wrote them, and its body, both with CRLF line ends."""
    head, _blank, body = message.message().as_bytes(linesep="\r\n").partition(b"\r\n\r\n")
    headers: list[tuple[str, str]] = []
    for line in head.decode("ascii").split("\r\n"):
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value}\r\n{line}")
        else:
            name, _colon, value = line.partition(":")
            headers.append((name, value.lstrip(" ")))
    return OutgoingMessage(delivery_id=row.pk, envelope_from=idna_address(settings.MAIL_FROM),
                           envelope_to=idna_address(row.contact.email),
                           message_id=str(message.extra_headers["Message-ID"]), headers=headers, body=body)


def _deliver(messages: list[OutgoingMessage]) -> dict[int, SendOutcome]:
    """Signs and sends the messages (by digest row id): over SMTP when WIREROOM_SMTP_URL is set, else to the
    outbox."""
    signer = signer_from_settings()
    if signer is not None:
        for message in messages:
            signer.sign(message)
    if not settings.SMTP_URL:
        outbox = Outbox(settings.OUTBOX_DIR / "digests")
        outcomes: dict[int, SendOutcome] = {}
        for message in messages:
            try:
                outcomes[message.delivery_id] = SendOutcome("delivered", receiver_ref=outbox.write(message))
            except OSError as exc:
                outcomes[message.delivery_id] = SendOutcome("retry", error=f"cannot write to the outbox: {exc}")
        return outcomes

    async def send_all() -> dict[int, SendOutcome]:
        pool = SmtpPool(SmtpConfig.from_url(settings.SMTP_URL), settings.SMTP_POOL_SIZE,
                        local_hostname=settings.MAIL_DOMAIN)
        try:
            sent = await asyncio.gather(*(pool.send(message.envelope_from, message.envelope_to, message.as_bytes())
                                          for message in messages))
        finally:
            await pool.close()
        return {message.delivery_id: outcome for message, outcome in zip(messages, sent, strict=True)}

    return asyncio.run(send_all())


def send_due(*, worker: str, now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """Leases the digests due now and sends them; returns how many were leased."""
    moment = now or timezone.now()
    rows = digests_lease(worker=worker, limit=limit, lease_seconds=settings.WORKER_LEASE_SECONDS, now=moment)
    if not rows:
        return 0
    periods: dict[tuple[str, dt.datetime, dt.datetime], list[DigestDelivery]] = {}
    for row in rows:
        periods.setdefault((row.cadence, row.period_start, row.period_end), []).append(row)
    ready: list[tuple[DigestDelivery, OutgoingMessage, str, int]] = []
    for (cadence, start, end), group in periods.items():
        items = digest_items(cadence=cadence, start=start, end=end, contact_ids=[row.contact_id for row in group])
        for row in group:
            composed = _prepare(worker, row, items.get(row.contact_id, []), moment)
            if composed is not None:
                ready.append(composed)
    outcomes = _deliver([message for _row, message, _language, _count in ready]) if ready else {}
    for row, message, language, count in ready:
        outcome = outcomes[message.delivery_id]
        if outcome.outcome == "delivered":
            digest_ack(worker=worker, row=row, outcome="delivered", items=count, language=language, now=moment)
        else:
            log.warning("digest %s to contact %s: %s", row.pk, row.contact_id, outcome.error)
            digest_ack(worker=worker, row=row, outcome="error", error=outcome.error or outcome.outcome, now=moment)
    return len(rows)


def _prepare(worker: str, row: DigestDelivery, items: list[DigestItem],
             moment: dt.datetime) -> tuple[DigestDelivery, OutgoingMessage, str, int] | None:
    """The row's message ready to send, or None after acknowledging a row that has nothing to send."""
    if not _still_wants(row.contact, row.cadence):
        digest_ack(worker=worker, row=row, outcome="suppressed", error="the contact no longer wants this digest",
                   now=moment)
        return None
    composed = compose(row, items) if items else None
    if composed is None:
        digest_ack(worker=worker, row=row, outcome="suppressed", error="no release of the period matched",
                   now=moment)
        return None
    message, language = composed
    try:
        return row, outgoing(row, message), language, len(items)
    except (UnicodeError, ValueError) as exc:
        # One contact's odd data must not sink the batch: that row fails, explained, and is retried.
        digest_ack(worker=worker, row=row, outcome="error", error=f"cannot build the message: {exc}", now=moment)
        return None


def run(stop: threading.Event, poll_seconds: float) -> None:
    """The worker's digest thread: schedule what has come due, send it, and wait."""
    worker = worker_name()
    next_schedule = 0.0
    while not stop.is_set():
        refresh_connection()
        try:
            now = timezone.now()
            if now.timestamp() >= next_schedule:
                digests_schedule(now=now)
                next_schedule = now.timestamp() + SCHEDULE_EVERY
            sent = send_due(worker=worker, now=now)
        except Exception:
            log.exception("digests: this round failed; the next one retries")
            sent = 0
        if not sent:
            stop.wait(max(poll_seconds, 5.0))

