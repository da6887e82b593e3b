"""The e-mail channel end to end: ledger rows in, messages on a real SMTP server (aiosmtpd on loopback) or in the
outbox, one Result per row out."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import dkim
import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.test import override_settings

from tests.support.email import (
    RecordingHandler,
    free_port,
    job_for,
    make_contact,
    make_delivery,
    send_batch,
    smtp_server,
    write_dkim_keys,
)
from tests.support.renderings import store_renderings
from wireroom.accounts.models import Membership
from wireroom.distribution import ledger
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.email import tokens
from wireroom.distribution.channels.email.channel import EmailChannel
from wireroom.distribution.channels.email.dkim import signer_from_settings
from wireroom.distribution.channels.email.render import keys, render
from wireroom.distribution.channels.email.smtp import SmtpConfig, queue_id
from wireroom.distribution.channels.gate import WITHDRAWN
from wireroom.distribution.models import Delivery
from wireroom.releases import services
from wireroom.releases.models import Release

# The channel's ORM calls run in sync_to_async threads, which only see committed data.
channel_db = pytest.mark.django_db(transaction=True)


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _published(make_release: Callable[..., Release], languages: tuple[str, ...] = ("ar", "en")) -> Release:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", list(languages))
    return release


def test_the_channel_is_registered_with_its_rendering_steps() -> None:
    spec = registry.get("email")
    assert (spec.keys, spec.render) == (keys, render)
    channel = spec.factory()
    assert isinstance(channel, EmailChannel)
    assert (channel.name, channel.max_attempts) == ("email", 8)


def test_retry_delay_doubles_from_thirty_seconds_up_to_six_hours() -> None:
    channel = EmailChannel()
    assert [channel.retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert channel.retry_delay(20) == 6 * 3600


def test_the_queue_id_is_taken_from_the_data_reply() -> None:
    assert queue_id("2.0.0 Ok: queued as 4ABC123") == "4ABC123"
    assert queue_id("OK id=1tX2bC-0003Kd-Q1") == "1tX2bC-0003Kd-Q1"
    assert queue_id("Message accepted for delivery") == "Message accepted for delivery"


def test_smtp_urls_choose_tls_and_login() -> None:
    assert SmtpConfig.from_url("smtp://relay.example") == SmtpConfig("relay.example", 25, False, None, None, None)
    assert SmtpConfig.from_url("smtp://u%40x:p%3Aw@relay.example:587?tls=required") == SmtpConfig(
        "relay.example", 587, False, True, "u@x", "p:w")
    assert SmtpConfig.from_url("smtp://relay.example?tls=off").start_tls is False
    assert SmtpConfig.from_url("smtps://relay.example") == SmtpConfig("relay.example", 465, True, False, None, None)
    with pytest.raises(ValueError, match="tls= takes off or required"):
        SmtpConfig.from_url("smtp://relay.example?tls=maybe")


@channel_db
def test_messages_reach_the_smtp_server_with_the_verp_sender_and_the_mta_queue_id(
        make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    layla = make_contact("layla@example.com", "ليلى حداد", languages=("ar",))
    tom = make_contact("tom@example.com", "Tom Becker", languages=("en",))
    deliveries = [make_delivery(release, layla, "ar"), make_delivery(release, tom, "en")]
    with smtp_server() as (url, handler), override_settings(SMTP_URL=url, MAIL_FROM="newsdesk@gulfwire.example",
                                                            MAIL_DOMAIN="gulfwire.example"):
        results = send_batch([job_for(delivery) for delivery in deliveries])
    assert {result.outcome for result in results.values()} == {"delivered"}
    assert sorted(result.receiver_ref for result in results.values()) == ["Q00001", "Q00002"]
    by_recipient = {envelope.rcpt_tos[0]: envelope for envelope in handler.envelopes}
    assert set(by_recipient) == {"layla@example.com", "tom@example.com"}
    for delivery, contact in zip(deliveries, (layla, tom), strict=True):
        envelope = by_recipient[contact.email]
        assert tokens.find_verp(envelope.mail_from) == tokens.VerpRef(delivery.pk, contact.pk)
        message = _parse(envelope.content)
        assert message["Message-ID"] == f"<{release.id}.{release.version}.{contact.pk}@gulfwire.example>"
        assert email.utils.parseaddr(str(message["To"])) == (contact.name, contact.email)
    assert _parse(by_recipient["layla@example.com"].content)["Content-Language"] == "ar"
    assert _parse(by_recipient["tom@example.com"].content)["Content-Language"] == "en"


@channel_db
def test_temporary_failure_is_retried_and_permanent_failure_fails_that_recipient(
        make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    busy, gone, fine = (make_contact(f"{name}@example.com", name.title()) for name in ("busy", "gone", "fine"))
    rows = [make_delivery(release, contact, "en") for contact in (busy, gone, fine)]
    handler = RecordingHandler(rcpt_replies={"busy@example.com": "450 4.2.1 Mailbox busy, try later",
                                             "gone@example.com": "550 5.1.1 No such user here"})
    # One connection, so the message after the two refusals travels on the same session (RSET in between).
    with smtp_server(handler) as (url, _), override_settings(SMTP_URL=url, SMTP_POOL_SIZE=1):
        results = send_batch([job_for(row) for row in rows])
    assert results[rows[0].pk].outcome == "retry"
    assert results[rows[0].pk].error == "450 4.2.1 Mailbox busy, try later"
    assert results[rows[1].pk].outcome == "failed"
    assert results[rows[1].pk].error == "550 5.1.1 No such user here"
    assert results[rows[2].pk].outcome == "delivered"
    assert [envelope.rcpt_tos for envelope in handler.envelopes] == [["fine@example.com"]]


@channel_db
def test_a_dropped_connection_is_retried_and_the_next_message_still_goes_out(
        make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    dropped, fine = make_contact("dropped@example.com"), make_contact("fine@example.com")
    rows = [make_delivery(release, dropped, "en"), make_delivery(release, fine, "en")]
    handler = RecordingHandler(drop_at_data={"dropped@example.com"})
    with smtp_server(handler) as (url, _), override_settings(SMTP_URL=url, SMTP_POOL_SIZE=1):
        results = send_batch([job_for(row) for row in rows])
    assert results[rows[0].pk].outcome == "retry"
    assert "lost" in results[rows[0].pk].error
    assert results[rows[1].pk].outcome == "delivered"
    assert [envelope.rcpt_tos for envelope in handler.envelopes] == [["fine@example.com"]]


@channel_db
def test_an_unreachable_server_is_a_retry_for_every_message(make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    rows = [make_delivery(release, make_contact(f"r{n}@example.com"), "en") for n in range(3)]
    with override_settings(SMTP_URL=f"smtp://127.0.0.1:{free_port()}?tls=off"):
        results = send_batch([job_for(row) for row in rows])
    assert {result.outcome for result in results.values()} == {"retry"}
    assert all(result.error.startswith("cannot connect to smtp://127.0.0.1:") for result in results.values())


@channel_db
def test_contacts_no_longer_active_are_skipped_as_suppressed(make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    contacts = [make_contact("left@example.com", status="unsubscribed"),
                make_contact("bounced@example.com", status="bounced"),
                make_contact("noconsent@example.com", consent=False),
                make_contact("active@example.com")]
    rows = [make_delivery(release, contact, "en") for contact in contacts]
    with smtp_server() as (url, handler), override_settings(SMTP_URL=url):
        results = send_batch([job_for(row) for row in rows])
    assert [(results[row.pk].outcome, results[row.pk].error) for row in rows] == [
        ("failed", "suppressed: unsubscribed"), ("failed", "suppressed: bounced"),
        ("failed", "suppressed: no consent"), ("delivered", "")]
    assert [envelope.rcpt_tos for envelope in handler.envelopes] == [["active@example.com"]]


@channel_db
def test_a_version_that_was_not_prepared_fails_with_an_explanation(make_release: Callable[..., Release]) -> None:
    release = _published(make_release, languages=("en",))
    row = make_delivery(release, make_contact("ko@example.com", languages=("ko",)), "ko")
    with smtp_server() as (url, handler), override_settings(SMTP_URL=url):
        result = send_batch([job_for(row)])[row.pk]
    assert result.outcome == "failed"
    assert result.error == f"no e-mail rendering of version {release.version} in ko; was the version prepared?"
    assert handler.envelopes == []


@channel_db
def test_signed_messages_arrive_intact_and_verify_with_dkimpy(make_release: Callable[..., Release],
                                                              tmp_path: Path) -> None:
    keys = write_dkim_keys(tmp_path)
    release = _published(make_release)
    rows = [make_delivery(release, make_contact("layla@example.com", "ليلى حداد", languages=("ar",)), "ar"),
            make_delivery(release, make_contact("tom@example.com", "Tom Becker"), "en")]
    dkim_settings = {"DKIM_KEY_FILE": keys.rsa_path, "DKIM_ED25519_KEY_FILE": keys.ed25519_path,
                     "DKIM_SELECTOR": "wr", "MAIL_FROM": "newsdesk@gulfwire.example", "MAIL_DOMAIN": "gulfwire.example"}
    with smtp_server() as (url, handler), override_settings(SMTP_URL=url, **dkim_settings):
        results = send_batch([job_for(row) for row in rows])
        signer = signer_from_settings()
    assert signer is not None and {result.outcome for result in results.values()} == {"delivered"}
    records = {f"{key.selector}._domainkey.gulfwire.example.".encode(): key.dns_record().encode()
               for key in signer.keys}
    assert len(handler.envelopes) == 2
    for envelope in handler.envelopes:
        for index in (0, 1):  # rsa-sha256, then ed25519-sha256
            assert dkim.DKIM(envelope.content).verify(idx=index, dnsfunc=lambda name, timeout=5: records[name])


@channel_db
def test_smtp_login_when_the_url_has_credentials(make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    rows = [make_delivery(release, make_contact("tom@example.com"), "en")]

    def authenticator(server: object, session: object, envelope: object, mechanism: str,
                      auth_data: object) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"wire", b"s3cret")
        return AuthResult(success=ok, handled=False)

    options: dict[str, Any] = {"authenticator": authenticator, "auth_require_tls": False}
    with smtp_server(**options) as (url, handler):
        good = url.replace("smtp://", "smtp://wire:s3cret@")
        bad = url.replace("smtp://", "smtp://wire:wrong@")
        with override_settings(SMTP_URL=bad):
            refused = send_batch([job_for(row) for row in rows])
        with override_settings(SMTP_URL=good):
            accepted = send_batch([job_for(row) for row in rows])
    assert refused[rows[0].pk].outcome == "retry" and "535" in refused[rows[0].pk].error
    assert accepted[rows[0].pk].outcome == "delivered"
    assert [envelope.authenticated for envelope in handler.envelopes] == [True]


@channel_db
def test_without_smtp_messages_land_in_the_outbox(make_release: Callable[..., Release], tmp_path: Path) -> None:
    release = _published(make_release)
    contact = make_contact("tom@example.com", "Tom Becker")
    row = make_delivery(release, contact, "en")
    with override_settings(SMTP_URL="", OUTBOX_DIR=tmp_path / "outbox", MAIL_DOMAIN="gulfwire.example"):
        first = send_batch([job_for(row)])[row.pk]
        again = send_batch([job_for(row, attempts=2)])[row.pk]  # a retry of the same delivery
    assert first.outcome == again.outcome == "delivered"
    assert first.receiver_ref == again.receiver_ref == f"outbox:delivery-{row.pk}.eml"
    files = sorted(path.name for path in (tmp_path / "outbox").iterdir())
    assert files == [f"delivery-{row.pk}.eml"]  # the retry replaced the file, atomically (no temporary left)
    message = _parse((tmp_path / "outbox" / files[0]).read_bytes())
    assert tokens.find_verp(str(message["Return-Path"])) == tokens.VerpRef(row.pk, contact.pk)
    assert message["To"] == "Tom Becker <tom@example.com>"
    assert message["Message-ID"] == f"<{release.id}.{release.version}.{contact.pk}@gulfwire.example>"


@channel_db
def test_an_address_smtp_cannot_carry_fails_with_an_explanation(make_release: Callable[..., Release]) -> None:
    release = _published(make_release)
    rows = [make_delivery(release, make_contact("josé@example.com"), "en"),
            make_delivery(release, make_contact("desk@zeitung-müller.de"), "en")]
    with smtp_server() as (url, handler), override_settings(SMTP_URL=url):
        results = send_batch([job_for(row) for row in rows])
    assert results[rows[0].pk].outcome == "failed"
    assert results[rows[0].pk].error == (
        "cannot send to josé@example.com: the mailbox name needs SMTPUTF8, which is not supported")
    assert results[rows[1].pk].outcome == "delivered"  # an international domain goes out in punycode
    assert [envelope.rcpt_tos for envelope in handler.envelopes] == [["desk@xn--zeitung-mller-4ob.de"]]


@channel_db
def test_a_copy_leased_before_a_withdrawal_is_suppressed_at_send_time_and_the_kill_notice_goes(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    make_contact("amal@example.com")
    release = make_release("published")
    [copy] = ledger.lease(worker="w1", limit=10, lease_seconds=60, channel="email")  # taken, not yet sent
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    [kill] = ledger.lease(worker="w1", limit=10, lease_seconds=60, channel="email")
    assert (copy.action, kill.action) == ("publish", "withdraw")
    with smtp_server() as (url, handler), override_settings(SMTP_URL=url):
        results = send_batch([copy, kill])
    ledger.ack(worker="w1", jobs=[copy, kill], results=results.values(), max_attempts=8,
               retry_delay=lambda _attempts: 30.0)
    assert results[copy.delivery_id].outcome == "suppressed"
    assert results[kill.delivery_id].outcome == "delivered"
    rows = {row.action: row for row in Delivery.objects.filter(release=release)}
    assert (rows["publish"].state, rows["publish"].last_error) == ("suppressed", WITHDRAWN)
    assert rows["withdraw"].state == "delivered"
    [notice] = handler.envelopes
    assert notice.rcpt_tos == ["amal@example.com"]
