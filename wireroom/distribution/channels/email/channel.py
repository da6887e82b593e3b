"""`EmailChannel`: a batch of leased e-mail deliveries in, one Result per delivery out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from wireroom.brand.selectors import Brand, brand
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.email.dkim import DkimSigner, signer_from_settings
from wireroom.distribution.channels.email.message import MessageTemplate, OutgoingMessage, Recipient, idna_address
from wireroom.distribution.channels.email.outbox import Outbox
from wireroom.distribution.channels.email.render import FORMAT
from wireroom.distribution.channels.email.smtp import SendOutcome, SmtpConfig, SmtpPool
from wireroom.distribution.channels.gate import hold_back_withdrawn
from wireroom.distribution.models import RenderedItem
from wireroom.mediadb.models import Contact, ContactStatus

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 30.0
RETRY_CAP_SECONDS = 6 * 3600.0
# Messages built (and signed) in one go off the event loop, while the ones before them are already being sent.
BUILD_CHUNK = 64
# Renderings kept in memory, per (release, version, language): a few releases' worth of languages.
TEMPLATE_CACHE_SIZE = 256

ItemKey = tuple[uuid.UUID, int, str]


@dataclass(frozen=True)
class _ContactRow:
    name: str
    email: str
    status: str
    consent: bool


@dataclass(frozen=True)
class _Ready:
    job: Job
    template: MessageTemplate
    recipient: Recipient


def _load_contacts(ids: list[int]) -> dict[int, _ContactRow]:
    rows = Contact.objects.filter(pk__in=ids).values_list("pk", "name", "email", "status", "consent")
    return {pk: _ContactRow(name, address, status, consent) for pk, name, address, status, consent in rows}


def _load_renderings(keys: list[ItemKey]) -> dict[ItemKey, dict[str, Any]]:
    found: dict[ItemKey, dict[str, Any]] = {}
    for release_id, version in {(release_id, version) for release_id, version, _ in keys}:
        languages = [language for r, v, language in keys if (r, v) == (release_id, version)]
        rows = RenderedItem.objects.filter(release_id=release_id, version=version, format=FORMAT,
                                           language__in=languages).values_list("language", "payload")
        for language, payload in rows:
            found[(release_id, version, language)] = payload
    return found


def _load_brands(languages: set[str]) -> dict[str, Brand]:
    """The wire's name and sender in each language (the From of its messages)."""
    return {language: brand(language=language) for language in languages}


def _address_problem(address: str) -> str:
    """Why `address` cannot go on an SMTP envelope as it is, or ""."""
    try:
        ascii_address = idna_address(address)
    except UnicodeError:
        return f"cannot send to {address}: its domain is not a valid international domain name"
    if not ascii_address.isascii():
        return f"cannot send to {address}: the mailbox name needs SMTPUTF8, which is not supported"
    return ""


class EmailChannel:
    name = "email"
    max_attempts = 8

    def __init__(self) -> None:
        self._templates: dict[ItemKey, MessageTemplate] = {}
        self._pool: SmtpPool | None = None
        self._outbox: Outbox | None = None
        self._signer: DkimSigner | None = None
        self._started = False

    async def start(self) -> None:
        if self._started:
            return
        self._signer = signer_from_settings()
        if settings.SMTP_URL:
            try:
                config = SmtpConfig.from_url(settings.SMTP_URL)
            except ValueError as exc:
                raise ImproperlyConfigured(f"WIREROOM_SMTP_URL: {exc}") from None
            self._pool = SmtpPool(config, settings.SMTP_POOL_SIZE, local_hostname=settings.MAIL_DOMAIN)
        else:
            self._outbox = Outbox(settings.OUTBOX_DIR)
        self._started = True

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        self._pool = None
        self._outbox = None
        self._templates.clear()
        self._started = False

    def retry_delay(self, attempts: int) -> float:
        return min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2.0 ** max(0, attempts - 1))

    async def send(self, jobs: list[Job]) -> list[Result]:
        await self.start()
        jobs, results = await hold_back_withdrawn(jobs)
        ready = await self._prepare(jobs, results)
        date = format_datetime(timezone.now())
        sent: list[int] = []
        sends: list[asyncio.Future[SendOutcome]] = []
        for start in range(0, len(ready), BUILD_CHUNK):
            chunk = ready[start: start + BUILD_CHUNK]
            built = await asyncio.to_thread(self._build_chunk, chunk, date)
            messages = [item for item in built if isinstance(item, OutgoingMessage)]
            results.extend(item for item in built if isinstance(item, Result))
            if self._pool is not None:
                for message in messages:
                    sent.append(message.delivery_id)
                    sends.append(self._pool.submit(message.envelope_from, message.envelope_to, message.as_bytes()))
            else:
                results.extend(await asyncio.to_thread(self._write_outbox, messages))
        outcomes = await asyncio.gather(*sends)
        results.extend(Result(delivery_id, outcome.outcome, receiver_ref=outcome.receiver_ref, error=outcome.error)
                       for delivery_id, outcome in zip(sent, outcomes, strict=True))
        return results

    async def _prepare(self, jobs: list[Job], results: list[Result]) -> list[_Ready]:
        """Loads what the batch needs; answers right away for the jobs that can't or mustn't be sent."""
        contact_ids = sorted({job.contact_id for job in jobs if job.contact_id is not None})
        contacts = await sync_to_async(_load_contacts)(contact_ids)
        wanted = sorted({(job.release_id, job.version, job.language) for job in jobs} - self._templates.keys())
        if wanted and len(self._templates) + len(wanted) > TEMPLATE_CACHE_SIZE:
            self._templates.clear()
        if wanted:
            payloads = await sync_to_async(_load_renderings)(wanted)
            brands = await sync_to_async(_load_brands)({key[2] for key in payloads})
            for key, payload in payloads.items():
                self._templates[key] = MessageTemplate(
                    release_id=key[0], version=key[1], language=key[2], payload=payload,
                    wire_name=brands[key[2]].wire_name, mail_from=brands[key[2]].sender,
                    mail_domain=settings.MAIL_DOMAIN)
        ready: list[_Ready] = []
        for job in jobs:
            error = ""
            contact = contacts.get(job.contact_id) if job.contact_id is not None else None
            template = self._templates.get((job.release_id, job.version, job.language))
            if job.contact_id is None:
                error = "not an e-mail delivery: it has no contact"
            elif contact is None:
                error = "suppressed: the contact was deleted"
            elif contact.status != ContactStatus.ACTIVE:
                error = f"suppressed: {contact.status}"
            elif not contact.consent:
                error = "suppressed: no consent"
            elif problem := _address_problem(contact.email):
                error = problem
            elif template is None:
                error = f"no e-mail rendering of version {job.version} in {job.language}; was the version prepared?"
            if error or contact is None or template is None or job.contact_id is None:
                results.append(Result(job.delivery_id, "failed", error=error))
                continue
            recipient = Recipient(job.delivery_id, job.contact_id, contact.name, contact.email)
            ready.append(_Ready(job, template, recipient))
        return ready

    def _build_chunk(self, chunk: list[_Ready], date: str) -> list[OutgoingMessage | Result]:
        built: list[OutgoingMessage | Result] = []
        for item in chunk:
            try:
                message = item.template.build(item.recipient, date)
                if self._signer is not None:
                    self._signer.sign(message)
            except Exception as exc:
                # One recipient's odd data must not sink the batch: that row fails, explained.
                log.exception("cannot build the message of delivery %s", item.job.delivery_id)
                built.append(Result(item.job.delivery_id, "failed", error=f"cannot build the message: {exc}"))
                continue
            built.append(message)
        return built

    def _write_outbox(self, messages: list[OutgoingMessage]) -> list[Result]:
        assert self._outbox is not None
        results = []
        for message in messages:
            try:
                results.append(Result(message.delivery_id, "delivered", receiver_ref=self._outbox.write(message)))
            except OSError as exc:
                results.append(Result(message.delivery_id, "retry", error=f"cannot write to the outbox: {exc}"))
        with contextlib.suppress(OSError):
            self._outbox.prune()
        return results
