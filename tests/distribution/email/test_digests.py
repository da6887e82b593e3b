"""Daily and weekly digests: due at each contact's local morning, once per period, through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.header
import threading
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client

from tests.support.email import RecordingHandler, dkim_verifies, make_contact, smtp_server, write_dkim_keys
from wireroom.brand.services import wording_save
from wireroom.distribution.channels.email import digest, tokens
from wireroom.distribution.channels.email.dkim import signer_from_settings
from wireroom.distribution.digests import digest_period, digest_zone, digests_schedule
from wireroom.distribution.models import DigestDelivery
from wireroom.mediadb.models import Contact
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.subscriptions.preferences import contact_preferences_update

TOKYO, SAO_PAULO = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Sao_Paulo")


@pytest.fixture
def mailbox(settings: Any) -> Iterator[RecordingHandler]:
    """The wire's own mail path (WIREROOM_SMTP_URL) pointed at a real SMTP server on loopback."""
    with smtp_server() as (url, handler):
        settings.SMTP_URL = url
        yield handler


def _reader(address: str, *, cadence: str = "daily", zone: str = "", languages: tuple[str, ...] = ("en",)) -> Contact:
    contact = make_contact(address, address.partition("@")[0].title(), languages=languages)
    contact.time_zone = zone
    contact.save(update_fields=["time_zone"])
    contact_preferences_update(contact=contact, sectors=[], languages=list(languages), countries=[], cadence=cadence,
                               via="test")
    return contact


def _morning_after(moment: dt.datetime, zone: ZoneInfo, cadence: str = "daily") -> dt.datetime:
    """The end of the first digest period that holds `moment`."""
    return digest_period(cadence=cadence, zone=zone, now=moment + dt.timedelta(days=7 if cadence == "weekly" else 1))[1]


def _published_at(release: Release) -> dt.datetime:
    return release.versions.get(number=1).created_at


def _messages(handler: RecordingHandler) -> list[Message]:
    return [email.message_from_bytes(envelope.content) for envelope in handler.envelopes]


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def _subject(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def _run(now: dt.datetime, worker: str = "test-worker") -> int:
    digests_schedule(now=now)
    return digest.send_due(worker=worker, now=now)


def test_a_period_ends_at_the_local_morning_and_a_weekly_one_on_monday(settings: Any) -> None:
    settings.DIGEST_HOUR = 8
    now = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)  # a Wednesday: 12:00 in Tokyo, 00:00 in São Paulo
    start, end = digest_period(cadence="daily", zone=TOKYO, now=now)
    assert (end.astimezone(TOKYO), start.astimezone(TOKYO)) == (
        dt.datetime(2026, 11, 25, 8, tzinfo=TOKYO), dt.datetime(2026, 11, 24, 8, tzinfo=TOKYO))
    _start, end = digest_period(cadence="daily", zone=SAO_PAULO, now=now)
    assert end.astimezone(SAO_PAULO) == dt.datetime(2026, 11, 24, 8, tzinfo=SAO_PAULO)
    start, end = digest_period(cadence="weekly", zone=TOKYO, now=now)
    assert end.astimezone(TOKYO) == dt.datetime(2026, 11, 23, 8, tzinfo=TOKYO)
    assert end - start == dt.timedelta(days=7)


def test_a_contact_without_a_zone_takes_their_countrys_when_it_has_only_one() -> None:
    assert digest_zone(time_zone="", country="JP") == TOKYO
    assert digest_zone(time_zone="", country="BR") == ZoneInfo("UTC")  # several zones: no guess
    assert digest_zone(time_zone="America/Sao_Paulo", country="JP") == SAO_PAULO
    assert digest_zone(time_zone="Not/AZone", country=None) == ZoneInfo("UTC")


@pytest.mark.django_db
def test_tokyo_and_sao_paulo_each_get_their_digest_at_their_own_morning(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    tokyo = _reader("kenji@example.jp", zone="Asia/Tokyo")
    sao_paulo = _reader("ana@example.com.br", zone="America/Sao_Paulo")
    release = make_release("published")
    mornings = {tokyo.pk: _morning_after(_published_at(release), TOKYO),
                sao_paulo.pk: _morning_after(_published_at(release), SAO_PAULO)}
    first, second = sorted(mornings, key=mornings.__getitem__)

    assert _run(mornings[first] - dt.timedelta(seconds=1)) == 0
    assert _run(mornings[first]) == 1
    [message] = _messages(mailbox)
    assert message["To"] == Contact.objects.get(pk=first).email
    assert "Nahr Energy opens a solar-powered desalination plant" in _text(message)
    assert f"/releases/{release.pk}/en/" in _text(message)

    assert _run(mornings[second]) == 1
    assert [m["To"] for m in _messages(mailbox)][1] == Contact.objects.get(pk=second).email
    for row in DigestDelivery.objects.all():
        zone = TOKYO if row.contact_id == tokyo.pk else SAO_PAULO
        assert row.period_end.astimezone(zone).hour == 8
        assert (row.state, row.items, row.language) == ("delivered", 1, "en")


@pytest.mark.django_db
def test_a_digest_goes_once_however_often_the_worker_looks(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    _reader("kenji@example.jp", zone="Asia/Tokyo")
    morning = _morning_after(_published_at(make_release("published")), TOKYO)
    for minutes in range(0, 120, 30):
        _run(morning + dt.timedelta(minutes=minutes))
    assert len(mailbox.envelopes) == 1
    assert DigestDelivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_one_digest_per_contact(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    readers = [_reader(f"reader{n}@example.jp", zone="Asia/Tokyo") for n in range(6)]
    morning = _morning_after(_published_at(make_release("published")), TOKYO)
    start = threading.Barrier(2)

    def work(name: str) -> None:
        try:
            start.wait()
            for _ in range(3):
                digests_schedule(now=morning)
                digest.send_due(worker=name, now=morning, limit=2)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(envelope.rcpt_tos[0] for envelope in mailbox.envelopes) == sorted(r.email for r in readers)


@pytest.mark.django_db
def test_paused_and_instant_readers_get_no_digest(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    _reader("paused@example.jp", cadence="paused", zone="Asia/Tokyo")
    _reader("instant@example.jp", cadence="instant", zone="Asia/Tokyo")
    morning = _morning_after(_published_at(make_release("published")), TOKYO)
    _run(morning)
    assert not DigestDelivery.objects.exists()
    assert mailbox.envelopes == []


@pytest.mark.django_db
def test_a_period_with_nothing_that_matches_sends_nothing(mailbox: RecordingHandler) -> None:
    _reader("kenji@example.jp", zone="Asia/Tokyo")
    morning = _morning_after(dt.datetime.now(dt.UTC), TOKYO)
    _run(morning)
    [row] = DigestDelivery.objects.all()
    assert (row.state, row.last_error) == ("suppressed", "no release of the period matched")
    assert mailbox.envelopes == []


@pytest.mark.django_db
def test_a_reader_who_unsubscribed_before_the_morning_gets_nothing(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    contact = _reader("kenji@example.jp", zone="Asia/Tokyo")
    morning = _morning_after(_published_at(make_release("published")), TOKYO)
    digests_schedule(now=morning)
    Client().post(f"/u/{tokens.contact_token(contact.pk)}/")
    digest.send_due(worker="w", now=morning)
    assert mailbox.envelopes == []
    assert DigestDelivery.objects.get().state == "suppressed"


@pytest.mark.django_db
def test_the_digest_is_in_the_readers_language_with_one_click_unsubscribe(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    contact = _reader("layla@example.ae", zone="Asia/Dubai", languages=("ar", "en"))
    release = make_release("published")
    _run(_morning_after(_published_at(release), ZoneInfo("Asia/Dubai")))
    [message] = _messages(mailbox)
    assert "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية" in _text(message)
    assert "الملخص اليومي" in _subject(message)
    html = next(part for part in message.walk() if part.get_content_type() == "text/html")
    assert '<html lang="ar" dir="rtl">' in html.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip().strip("<>")  # a long header arrives folded
    response = Client().post(urlsplit(url).path, "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"


@pytest.mark.django_db
def test_a_correction_within_the_period_is_labelled(
        mailbox: RecordingHandler, make_release: Callable[..., Release], actors: dict[str, Any]) -> None:
    _reader("kenji@example.jp", zone="Asia/Tokyo")
    release = make_release("published")
    services.release_correct(release=release, by=actors["wire_editor"], note="The plant serves 50,000 homes.")
    _run(_morning_after(release.versions.get(number=2).created_at, TOKYO))
    text = _text(_messages(mailbox)[0])
    assert "[Corrected]" in text
    assert "The plant serves 50,000 homes." in text


@pytest.mark.django_db
def test_a_release_withdrawn_within_the_period_it_came_in_is_not_shown(
        mailbox: RecordingHandler, make_release: Callable[..., Release]) -> None:
    _reader("kenji@example.jp", zone="Asia/Tokyo")
    release = make_release("withdrawn")
    _run(_morning_after(release.versions.get(number=2).created_at, TOKYO))
    assert mailbox.envelopes == []


@pytest.mark.django_db
def test_a_release_withdrawn_after_an_earlier_digest_is_listed_as_withdrawn_without_its_text(
        mailbox: RecordingHandler, make_release: Callable[..., Release], actors: dict[str, Any]) -> None:
    _reader("kenji@example.jp", zone="Asia/Tokyo", cadence="weekly")
    release = make_release("published")
    first = _morning_after(_published_at(release), TOKYO, "weekly")
    _run(first)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    # The withdrawal lands in the next weekly period, as it would a week later.
    release.versions.filter(number=2).update(created_at=first + dt.timedelta(days=1))
    _run(first + dt.timedelta(days=7))
    [_first_digest, second] = _messages(mailbox)
    text = _text(second)
    assert "[Withdrawn]" in text
    assert "Issued in error." in text
    assert "fifty thousand homes" not in text
    assert f"/releases/{release.pk}/" not in text


@pytest.mark.django_db
def test_a_digest_is_dkim_signed_by_the_wire_and_the_signatures_verify_as_received(
        mailbox: RecordingHandler, make_release: Callable[..., Release], settings: Any, tmp_path: Path) -> None:
    keys = write_dkim_keys(tmp_path)
    settings.DKIM_KEY_FILE, settings.DKIM_ED25519_KEY_FILE = keys.rsa_path, keys.ed25519_path
    settings.DKIM_SELECTOR = "digest2026"
    signer = signer_from_settings()
    assert signer is not None
    records = {f"{key.selector}._domainkey.{settings.MAIL_DOMAIN}.".encode(): key.dns_record().encode()
               for key in signer.keys}
    _reader("layla@example.ae", zone="Asia/Dubai", languages=("ar", "en"))
    release = make_release("published")
    _run(_morning_after(_published_at(release), ZoneInfo("Asia/Dubai")))
    [envelope] = mailbox.envelopes
    raw = envelope.content
    assert raw.count(b"DKIM-Signature:") == 2
    assert dkim_verifies(raw, 0, records) and dkim_verifies(raw, 1, records)  # rsa-sha256, then ed25519-sha256
    assert not dkim_verifies(raw.replace("نهر للطاقة".encode(), "نهر للمياه".encode()), 0, records)
    assert not dkim_verifies(raw, 0, {})  # no key published, no pass
    message = email.message_from_bytes(raw)
    assert f"@{settings.MAIL_DOMAIN}>" in message["From"] and "الملخص اليومي" in _subject(message)


@pytest.mark.django_db
def test_without_dkim_keys_the_digest_goes_unsigned_and_in_the_wire_name_of_the_readers_language(
        mailbox: RecordingHandler, make_release: Callable[..., Release], settings: Any) -> None:
    wording_save(language="ar", by=None,
                 values={"wire_name": "وكالة الخليج", "sender": f"akhbar@{settings.MAIL_DOMAIN}"})
    _reader("layla@example.ae", zone="Asia/Dubai", languages=("ar", "en"))
    release = make_release("published")
    _run(_morning_after(_published_at(release), ZoneInfo("Asia/Dubai")))
    [message] = _messages(mailbox)
    assert message["DKIM-Signature"] is None
    sender = str(email.header.make_header(email.header.decode_header(message["From"])))
    assert sender == f"وكالة الخليج <akhbar@{settings.MAIL_DOMAIN}>"
    assert "وكالة الخليج" in _subject(message)
