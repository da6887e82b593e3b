"""The digest message: every release of a contact's period in one e-mail, in the contact's language, sent by the
worker through the wire's mail settings, with one-click unsubscribe.

Digests are few (one per contact per day or week) and not time-critical, so they go through Django's mail
connection one by one rather than the instant fan-out's pool.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import socket
import threading
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date, format_datetime
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import close_old_connections
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
        params = {"wire": settings.WIRE_NAME, "date": day}
        subject = (_("%(wire)s daily digest, %(date)s") if row.cadence == "daily"
                   else _("%(wire)s weekly digest, %(date)s")) % params
        context: dict[str, Any] = {
            "subject": subject, "entries": entries, "page_lang": interface.code, "page_dir": interface.direction,
            "wire_name": settings.WIRE_NAME, "unsubscribe_url": unsubscribe_url(token),
            "preferences_url": preferences_url(token),
            "strings": {"intro": _("The releases of the period that match your choices."),
                        "read": _("Read the release"), "preferences": _("Manage your preferences"),
                        "unsubscribe": _("Unsubscribe"),
                        "sent_to": _("Sent to %(name)s by %(wire)s.") % {"name": contact.email,
                                                                          "wire": settings.WIRE_NAME}},
        }
        text = render_to_string("email/digest.txt", context)
        html = render_to_string("email/digest.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [contact.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url(token)}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 # The same id if a crash makes the digest go twice: mail clients show it once.
                 "Message-ID": f"<digest-{row.pk}@{settings.MAIL_DOMAIN}>"})
    message.attach_alternative(html, "text/html")
    return message, interface.code


def send_due(*, worker: str, now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """Leases the digests due now and sends them; returns how many were leased."""
    moment = now or timezone.now()
    rows = digests_lease(worker=worker, limit=limit, lease_seconds=settings.WORKER_LEASE_SECONDS, now=moment)
    if not rows:
        return 0
    periods: dict[tuple[str, dt.datetime, dt.datetime], list[DigestDelivery]] = {}
    for row in rows:
        periods.setdefault((row.cadence, row.period_start, row.period_end), []).append(row)
    connection = get_connection()
    try:
        for (cadence, start, end), group in periods.items():
            items = digest_items(cadence=cadence, start=start, end=end, contact_ids=[row.contact_id for row in group])
            for row in group:
                _send_one(worker, row, items.get(row.contact_id, []), connection, moment)
    finally:
        connection.close()
    return len(rows)


def _send_one(worker: str, row: DigestDelivery, items: list[DigestItem], connection: Any,
              moment: dt.datetime) -> None:
    if not _still_wants(row.contact, row.cadence):
        digest_ack(worker=worker, row=row, outcome="suppressed", error="the contact no longer wants this digest",
                   now=moment)
        return
    composed = compose(row, items) if items else None
    if composed is None:
        digest_ack(worker=worker, row=row, outcome="suppressed", error="no release of the period matched",
                   now=moment)
        return
    message, language = composed
    message.connection = connection
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("digest %s to contact %s: %s", row.pk, row.contact_id, exc)
        digest_ack(worker=worker, row=row, outcome="error", error=str(exc) or type(exc).__name__, now=moment)
        return
    digest_ack(worker=worker, row=row, outcome="delivered", items=len(items), language=language, now=moment)


def run(stop: threading.Event, poll_seconds: float) -> None:
    """The worker's digest thread: schedule what has come due, send it, and wait."""
    worker = worker_name()
    next_schedule = 0.0
    while not stop.is_set():
        close_old_connections()
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

