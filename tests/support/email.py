"""What the e-mail tests share (no tests here): a real SMTP server on loopback, DKIM keys, contacts, ledger rows."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dkim
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.utils import timezone

from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.email.channel import EmailChannel
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.releases.models import Release
from wireroom.taxonomy.models import Language


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Envelope:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    authenticated: bool = False


@dataclass
class RecordingHandler:
    """An SMTP server's handler that keeps what it accepts and answers as it is told, per recipient."""

    envelopes: list[Envelope] = field(default_factory=list)
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address → "450 …" or "550 …"
    drop_at_data: set[str] = field(default_factory=set)  # addresses whose DATA is met by a dropped connection
    drop_once_at_data: set[str] = field(default_factory=set)  # the same, the first time only
    accepted: int = 0
    # While set, every DATA waits for it to be cleared: the messages stay in the senders' hands meanwhile.
    hold: threading.Event = field(default_factory=threading.Event)
    # Offered as MTAs offer it (Postfix does); aiosmtpd reads commands in order, so it serves pipelined ones.
    pipelining: bool = True

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        while self.hold.is_set():
            await asyncio.sleep(0.02)
        if set(envelope.rcpt_tos) & (self.drop_at_data | self.drop_once_at_data):
            self.drop_once_at_data -= set(envelope.rcpt_tos)
            server.transport.close()
            return "421 4.3.0 gone"
        self.accepted += 1
        self.envelopes.append(Envelope(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content),
                                       authenticated=bool(session.authenticated)))
        return f"250 2.0.0 Ok: queued as Q{self.accepted:05d}"


@contextmanager
def smtp_server(handler: RecordingHandler | None = None, **smtp_options: Any) -> Iterator[tuple[str, RecordingHandler]]:
    """A real SMTP server (aiosmtpd) on a free loopback port; yields its URL (no TLS) and its handler."""
    handler = handler or RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}?tls=off", handler
    finally:
        controller.stop()


@contextmanager
def django_mail_through_smtp(settings: Any) -> Iterator[RecordingHandler]:
    """Django's own mail path (sign-up confirmations, digests, alerts) pointed at a real SMTP server on loopback;
    `settings` is pytest-django's fixture, which puts everything back afterwards."""
    with smtp_server() as (url, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.rpartition(":")[2].partition("?")[0])
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield handler


@dataclass(frozen=True)
class DkimKeys:
    rsa_path: Path
    ed25519_path: Path
    rsa_public: rsa.RSAPublicKey
    ed25519_public: ed25519.Ed25519PublicKey


def write_dkim_keys(directory: Path) -> DkimKeys:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ed_key = ed25519.Ed25519PrivateKey.generate()
    pem = serialization.PrivateFormat.PKCS8
    rsa_path, ed_path = directory / "dkim-rsa.pem", directory / "dkim-ed25519.pem"
    rsa_path.write_bytes(rsa_key.private_bytes(serialization.Encoding.PEM, pem, serialization.NoEncryption()))
    ed_path.write_bytes(ed_key.private_bytes(serialization.Encoding.PEM, pem, serialization.NoEncryption()))
    return DkimKeys(rsa_path, ed_path, rsa_key.public_key(), ed_key.public_key())


def dkim_verifies(raw: bytes, index: int, records: dict[bytes, bytes]) -> bool:
    """dkimpy's verdict on the `index`-th DKIM-Signature of `raw`, with `records` (name → TXT) as the DNS."""

    def dnsfunc(name: bytes, timeout: int = 5) -> bytes:
        return records.get(name, b"")

    try:
        return bool(dkim.DKIM(raw).verify(idx=index, dnsfunc=dnsfunc))
    except dkim.DKIMException:
        return False


def make_contact(email: str, name: str = "Reader", *, status: str = "active", consent: bool = True,
                 languages: tuple[str, ...] = ("en",)) -> Contact:
    contact = Contact.objects.create(name=name, email=email, status=status, consent=consent)
    for rank, code in enumerate(languages, start=1):
        ContactLanguage.objects.create(contact=contact, language=Language.objects.get(code=code), rank=rank)
    return contact


def make_delivery(release: Release, contact: Contact, language: str, *, version: int | None = None,
                  action: str = "publish", state: str = "pending") -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        release=release, version=version or release.version, action=action, channel="email",
        recipient_key=f"c:{contact.pk}", contact=contact, language=language, state=state,
        next_attempt_at=now - dt.timedelta(seconds=1), created_at=now,
    )


def job_for(delivery: Delivery, attempts: int = 1) -> Job:
    return Job(delivery_id=delivery.pk, release_id=delivery.release_id, version=delivery.version,
               action=delivery.action, language=delivery.language, contact_id=delivery.contact_id,
               endpoint_id=None, attempts=attempts)


def send_batch(jobs: list[Job]) -> dict[int, Result]:
    """One worker's life in miniature: start the channel, send the batch, close; results by delivery id."""

    async def run() -> list[Result]:
        channel = EmailChannel()
        await channel.start()
        try:
            return await channel.send(jobs)
        finally:
            await channel.close()

    results = asyncio.run(run())
    assert len(results) == len(jobs)
    return {result.delivery_id: result for result in results}
