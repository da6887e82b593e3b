"""Encrypted pre-positioning end to end: a real worker, a real partner on loopback, real AES-GCM (docs/trust.md)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.test import override_settings
from django.utils import timezone

from tests.support.api import ApiClient
from tests.support.http import Received, Sink, sink_in_thread
from tests.support.prepositioning import opened
from tests.support.workers import start_worker, wait_until
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release, State
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint
from wireroom.trust import contentkeys, wirekeys
from wireroom.trust.models import ContentKey
from wireroom.trust.verify import verify_with_jwks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def sink() -> Iterator[Sink]:
    with sink_in_thread() as running:
        yield running


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    # The test process signs and checks with the worker's wire key: they share the data folder.
    with override_settings(DATA_DIR=tmp_path):
        process = start_worker(tmp_path)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)


def partner(name: str, url: str, *, prepositioned: bool) -> WebhookEndpoint:
    outlet = Outlet.objects.create(name=name, type=OutletType.NEWS_AGENCY, country_id="AE")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=url, secrets=[SECRET], prepositioned=prepositioned)
    Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    return endpoint


def events(sink: Sink, path: str, kind: str) -> list[Received]:
    return [each for each in sink.to(path) if json.loads(each.body)["type"] == kind]


def schedule(make_release: Callable[..., Release], by: Any) -> Release:
    release = make_release("approved")
    services.release_publish(release=release, by=by, embargo_at=timezone.now() + dt.timedelta(hours=1))
    release.refresh_from_db()
    assert release.state == State.SCHEDULED
    return release


def the_embargo_comes(release: Release) -> None:
    """Brings the embargo second to now, as if the hour had passed: the worker's clock publishes at its next tick."""
    now = timezone.now()
    Release.objects.filter(pk=release.pk).update(embargo_at=now)
    Delivery.objects.filter(release=release, state="pending").update(next_attempt_at=now)


def test_a_partner_gets_the_release_sealed_before_its_embargo_and_opens_it_with_the_key_released_at_the_embargo(
    make_release: Callable[..., Release], actors: dict[str, Any], api: Callable[[str | None], ApiClient], sink: Sink,
    worker: subprocess.Popen[bytes],
) -> None:
    partner("Sealed Agency", sink.url("/sealed"), prepositioned=True)
    partner("Plain Agency", sink.url("/plain"), prepositioned=False)
    release = schedule(make_release, actors["issuer_admin"])

    wait_until(lambda: bool(events(sink, "/sealed", "release.prepositioned")), timeout=60, what="the envelope")
    [sealed] = events(sink, "/sealed", "release.prepositioned")
    envelope = json.loads(sealed.body)["data"]
    assert envelope["profile"] == "wireroom-prepositioned/1"
    assert envelope["release"] == str(release.pk) and envelope["version"] == 1
    assert envelope["embargo"] == release.embargo_at.isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]
    # Signed by the wire like any webhook body.
    assert verify_with_jwks(body=sealed.body, signature=sealed.headers[wirekeys.HEADER.lower()], jwks=wirekeys.jwks())
    headline = release.localizations.get(language_id=release.original_language_id).headline
    assert headline not in sealed.body.decode()

    # Before the embargo: the partner has no key, a guessed one fails, and the key endpoint says nothing.
    with pytest.raises(InvalidTag):
        opened(envelope, AESGCM.generate_key(bit_length=256))
    for role in ("wire_editor", "issuer_admin", "other_issuer_admin"):
        assert api(role).get(f"/api/v1/releases/{release.pk}/versions/1/key").status_code == 404
    assert events(sink, "/sealed", "release.key_released") == []
    assert sink.to("/plain") == [], "nothing but the envelope goes out before the embargo"

    the_embargo_comes(release)
    wait_until(lambda: bool(events(sink, "/sealed", "release.key_released"))
               and bool(events(sink, "/sealed", "release.published")), timeout=60, what="the key and the item")
    [released] = events(sink, "/sealed", "release.key_released")
    assert verify_with_jwks(body=released.body, signature=released.headers[wirekeys.HEADER.lower()],
                            jwks=wirekeys.jwks())
    data = json.loads(released.body)["data"]
    assert data["release"] == str(release.pk) and data["version"] == 1
    key = base64.b64decode(data["key"])
    [plain] = events(sink, "/sealed", "release.published")
    assert opened(envelope, key) == plain.body, "the envelope held exactly the item sent at the embargo"
    # Moved to another release, version or embargo, the envelope does not open.
    with pytest.raises(InvalidTag):
        opened({**envelope, "version": 2}, key)

    answer = api("other_issuer_admin").get(f"/api/v1/releases/{release.pk}/versions/1/key")
    assert answer.status_code == 200
    assert base64.b64decode(answer.json()["key"]) == key
    assert answer.json()["key_id"] == data["key_id"] == envelope["key_id"]
    # The partner that did not opt in got the item only.
    wait_until(lambda: bool(sink.to("/plain")), timeout=60, what="the plain partner's item")
    assert [json.loads(each.body)["type"] for each in sink.to("/plain")] == ["release.published"]


def test_unscheduling_before_the_embargo_deletes_the_key_so_the_envelope_stays_sealed_for_ever(
    make_release: Callable[..., Release], actors: dict[str, Any], api: Callable[[str | None], ApiClient], sink: Sink,
    worker: subprocess.Popen[bytes],
) -> None:
    partner("Sealed Agency", sink.url("/sealed"), prepositioned=True)
    release = schedule(make_release, actors["issuer_admin"])
    wait_until(lambda: bool(events(sink, "/sealed", "release.prepositioned")), timeout=60, what="the envelope")
    assert ContentKey.objects.filter(release=release).count() == 1

    services.release_unschedule(release=release, by=actors["issuer_admin"])
    assert not ContentKey.objects.filter(release=release).exists()
    assert not Delivery.objects.filter(release=release, action="key").exists()

    # Published now instead: the item goes out plainly, and the first envelope's key never does.
    services.release_publish(release=release, by=actors["issuer_admin"])
    wait_until(lambda: bool(events(sink, "/sealed", "release.published")), timeout=60, what="the item")
    assert events(sink, "/sealed", "release.key_released") == []
    assert len(events(sink, "/sealed", "release.prepositioned")) == 1
    assert api("wire_editor").get(f"/api/v1/releases/{release.pk}/versions/1/key").status_code == 404
    assert not ContentKey.objects.filter(release=release).exists()


def test_withdrawing_a_scheduled_release_deletes_its_key(
    make_release: Callable[..., Release], actors: dict[str, Any],
) -> None:
    outlet = Outlet.objects.create(name="Sealed Agency", type=OutletType.NEWS_AGENCY, country_id="AE")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url="https://partner.example/hook", secrets=[SECRET],
                                              prepositioned=True)
    Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    release = schedule(make_release, actors["issuer_admin"])
    key_id = contentkeys.key_id(bytes(ContentKey.objects.get(release=release).key))
    assert sorted(Delivery.objects.filter(release=release).values_list("recipient_key", "action")) == [
        (f"e:{endpoint.pk}", "publish"), (f"k:e:{endpoint.pk}:{key_id}", "key"),
        (f"p:e:{endpoint.pk}:{key_id}", "envelope")]

    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    assert not ContentKey.objects.filter(release=release).exists()
    assert not Delivery.objects.filter(release=release, action="key").exists()


def signed_events(sink: Sink, path: str, kind: str) -> list[dict[str, Any]]:
    """The events of `kind` a partner got, each checked against the wire's signature."""
    found = events(sink, path, kind)
    assert all(verify_with_jwks(body=each.body, signature=each.headers[wirekeys.HEADER.lower()], jwks=wirekeys.jwks())
               for each in found)
    return [json.loads(each.body) for each in found]


def test_withdrawn_before_its_embargo_a_partner_gets_a_kill_notice_and_never_a_key(
    make_release: Callable[..., Release], actors: dict[str, Any], api: Callable[[str | None], ApiClient], sink: Sink,
    worker: subprocess.Popen[bytes],
) -> None:
    partner("Sealed Agency", sink.url("/sealed"), prepositioned=True)
    release = schedule(make_release, actors["issuer_admin"])
    wait_until(lambda: bool(events(sink, "/sealed", "release.prepositioned")), timeout=60, what="the envelope")
    [sealed] = signed_events(sink, "/sealed", "release.prepositioned")
    envelope = sealed["data"]

    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    wait_until(lambda: bool(events(sink, "/sealed", "release.prepositioned_killed")), timeout=60,
               what="the kill notice")
    [killed] = signed_events(sink, "/sealed", "release.prepositioned_killed")
    assert killed["data"]["profile"] == "wireroom-prepositioned-kill/1"
    assert (killed["data"]["release"], killed["data"]["version"], killed["data"]["key_id"],
            killed["data"]["embargo"]) == (str(release.pk), 1, envelope["key_id"], envelope["embargo"])

    # Past the embargo second: the partner asks everywhere for the key and finds none; nothing else came.
    Delivery.objects.filter(release=release, state="pending").update(next_attempt_at=timezone.now())
    for role in ("wire_editor", "issuer_admin", "other_issuer_admin"):
        assert api(role).get(f"/api/v1/releases/{release.pk}/versions/1/key").status_code == 404
    assert not ContentKey.objects.filter(release=release).exists()
    assert [json.loads(each.body)["type"] for each in sink.to("/sealed")] == [
        "release.prepositioned", "release.prepositioned_killed"]


def test_a_release_rescheduled_after_its_envelope_went_out_is_sealed_again_for_the_new_second_and_only_that_opens(
    make_release: Callable[..., Release], actors: dict[str, Any], sink: Sink, worker: subprocess.Popen[bytes],
) -> None:
    partner("Sealed Agency", sink.url("/sealed"), prepositioned=True)
    release = schedule(make_release, actors["issuer_admin"])
    wait_until(lambda: bool(events(sink, "/sealed", "release.prepositioned")), timeout=60, what="the envelope")

    services.release_unschedule(release=release, by=actors["issuer_admin"])
    later = timezone.now() + dt.timedelta(hours=2)
    services.release_publish(release=release, by=actors["issuer_admin"], embargo_at=later)
    wait_until(lambda: len(events(sink, "/sealed", "release.prepositioned")) == 2
               and bool(events(sink, "/sealed", "release.prepositioned_killed")), timeout=60,
               what="the second envelope and the first one's kill notice")
    first, second = (each["data"] for each in signed_events(sink, "/sealed", "release.prepositioned"))
    [killed] = signed_events(sink, "/sealed", "release.prepositioned_killed")
    assert killed["data"]["key_id"] == first["key_id"] != second["key_id"]
    release.refresh_from_db()
    assert second["embargo"] == release.embargo_at.isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]
    assert second["embargo"] != first["embargo"]

    the_embargo_comes(release)
    wait_until(lambda: bool(events(sink, "/sealed", "release.key_released"))
               and bool(events(sink, "/sealed", "release.published")), timeout=60, what="the key and the item")
    [released] = signed_events(sink, "/sealed", "release.key_released")
    assert released["data"]["key_id"] == second["key_id"]
    key = base64.b64decode(released["data"]["key"])
    [plain] = events(sink, "/sealed", "release.published")
    assert opened(second, key) == plain.body
    with pytest.raises(InvalidTag):
        opened(first, key)
