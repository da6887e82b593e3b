"""WebSub end to end: a subscriber on loopback subscribes at the hub, a real `wireroom worker` verifies its
intent, and a publication, a correction and a withdrawal each bring it its feed, signed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from django.conf import settings as wire_settings
from django.test import Client
from django.utils import timezone

from tests.support.http import Received, Sink, sink_in_thread
from tests.support.workers import start_worker, wait_until
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery, DeliveryState, HubSubscription
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.releases.services import LocalizationInput

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SECRET = "a secret the subscriber chose"


@pytest.fixture(autouse=True)
def _loopback_callbacks(settings: Any) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def sink() -> Iterator[Sink]:
    with sink_in_thread() as running:
        running.confirms_intent = True
        yield running


def subscribe(client: Client, topic: str, callback: str, **extra: str) -> None:
    answer = client.post("/websub/hub", {"hub.mode": "subscribe", "hub.topic": wire_settings.BASE_URL + topic,
                                         "hub.callback": callback, **extra})
    assert answer.status_code == 202, answer.content


def notifications(sink: Sink, path: str) -> list[Received]:
    return [request for request in sink.to(path) if request.method == "POST"]


def signed_by(secret: str, request: Received) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers.get("X-Hub-Signature", ""), expected)


def test_a_subscriber_gets_its_feed_signed_on_publication_correction_and_withdrawal(
        client: Client, sink: Sink, tmp_path: Path, make_release: Callable[..., Release],
        actors: dict[str, Membership]) -> None:
    worker = start_worker(tmp_path, extra={"WIREROOM_BASE_URL": wire_settings.BASE_URL})
    try:
        subscribe(client, "/feeds/language/en.atom", sink.url("/signed"), **{"hub.secret": SECRET})
        subscribe(client, "/feeds/all.json", sink.url("/plain"))
        subscribe(client, "/feeds/language/fr.rss", sink.url("/french"))
        subscribe(client, "/feeds/all.rss", sink.url("/expired"))
        wait_until(lambda: not HubSubscription.objects.exclude(pending_mode="").exists(), timeout=60,
                   what="the worker to verify every subscriber's intent")
        assert {request.path for request in sink.received if request.method == "GET"} == {
            "/signed", "/plain", "/french", "/expired"}
        assert HubSubscription.objects.filter(expires_at__gt=timezone.now()).count() == 4
        # This one's lease has run out (as if its time had passed), and it was not renewed.
        HubSubscription.objects.filter(callback=sink.url("/expired")).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1))

        release = make_release("approved")
        services.release_publish(release=release, by=actors["issuer_admin"])
        wait_until(lambda: len(notifications(sink, "/signed")) == 1 and len(notifications(sink, "/plain")) == 1,
                   timeout=60, what="the publication's notifications")
        published = notifications(sink, "/signed")[0]
        assert signed_by(SECRET, published)
        assert published.headers["Content-Type"].startswith("application/atom+xml")
        assert f'<{wire_settings.BASE_URL}/feeds/language/en.atom>; rel="self"' in published.headers["Link"]
        assert 'rel="hub"' in published.headers["Link"]
        feed = feedparser.parse(published.body)
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == ["Nahr Energy opens a solar-powered desalination plant"]
        plain = notifications(sink, "/plain")[0]
        assert "X-Hub-Signature" not in plain.headers
        assert plain.headers["Content-Type"].startswith("application/feed+json")
        assert [item["id"] for item in json.loads(plain.body)["items"]] == [f"{release.urn}:ar"]

        services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the plant's capacity.",
                                 localizations=[LocalizationInput(
                                     language="en", headline="Nahr Energy opens a 60,000 m³ desalination plant",
                                     body_html="<p>Nahr Energy today switched on its new plant.</p>",
                                     origin="human", translated_from="ar", translator="Layla Haddad")])
        wait_until(lambda: len(notifications(sink, "/signed")) == 2, timeout=60, what="the correction's")
        corrected = notifications(sink, "/signed")[1]
        assert signed_by(SECRET, corrected)
        [entry] = feedparser.parse(corrected.body).entries
        assert entry.title == "Nahr Energy opens a 60,000 m³ desalination plant"
        # The same entry, updated.
        assert entry.id == feed.entries[0].id and entry.updated_parsed >= feed.entries[0].updated_parsed

        services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
        wait_until(lambda: len(notifications(sink, "/signed")) == 3 and len(notifications(sink, "/plain")) == 3,
                   timeout=60, what="the withdrawal's")
        withdrawn = notifications(sink, "/signed")[2]
        assert signed_by(SECRET, withdrawn)
        # A tampered body no longer matches its signature.
        assert not signed_by(SECRET, Received(withdrawn.path, withdrawn.headers, withdrawn.body + b" "))
        assert feedparser.parse(withdrawn.body).entries == []
        assert json.loads(notifications(sink, "/plain")[2].body)["items"] == []

        # Not in its feed, and out of its lease: nothing.
        assert notifications(sink, "/french") == []
        assert notifications(sink, "/expired") == []
        # The worker records each result just after the subscriber has it.
        wait_until(lambda: set(Delivery.objects.filter(channel="websub").values_list("state", flat=True)) == {
            DeliveryState.DELIVERED}, timeout=60, what="every notification recorded as delivered")
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def test_an_unsubscribed_callback_gets_nothing_more(
        client: Client, sink: Sink, tmp_path: Path, make_release: Callable[..., Release],
        actors: dict[str, Membership]) -> None:
    worker = start_worker(tmp_path, extra={"WIREROOM_BASE_URL": wire_settings.BASE_URL})
    try:
        subscribe(client, "/feeds/all.atom", sink.url("/gone"))
        subscribe(client, "/feeds/all.atom", sink.url("/staying"))
        wait_until(lambda: not HubSubscription.objects.exclude(pending_mode="").exists(), timeout=60,
                   what="verification")
        answer = client.post("/websub/hub", {"hub.mode": "unsubscribe", "hub.topic": wire_settings.BASE_URL +
                                             "/feeds/all.atom", "hub.callback": sink.url("/gone")})
        assert answer.status_code == 202
        wait_until(lambda: not HubSubscription.objects.exclude(pending_mode="").exists(), timeout=60,
                   what="the unsubscription's verification")
        assert [request.query["hub.mode"] for request in sink.to("/gone")] == ["subscribe", "unsubscribe"]
        services.release_publish(release=make_release("approved"), by=actors["issuer_admin"])
        wait_until(lambda: len(notifications(sink, "/staying")) == 1, timeout=60, what="the notification")
        assert notifications(sink, "/gone") == []
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def test_the_feeds_subscribers_are_found_by_the_release_they_carry(
        make_release: Callable[..., Release], actors: dict[str, Membership], db: Any) -> None:
    now = timezone.now()
    lease = now + dt.timedelta(days=1)

    def subscriber(name: str, **facets: str) -> HubSubscription:
        return HubSubscription.objects.create(key=name, topic=f"{wire_settings.BASE_URL}/{name}",
                                              callback=f"https://example.com/{name}", expires_at=lease,
                                              created_at=now, **facets)

    wanted = [subscriber("all"), subscriber("ar", language="ar"), subscriber("issuer", issuer="nahr-energy"),
              subscriber("country", country="AE"), subscriber("both", language="en", country="SA")]
    subscriber("fr", language="fr")
    subscriber("other-issuer", issuer="someone-else")
    subscriber("other-country", country="FR")
    subscriber("sector", sector="energy")
    release = make_release("approved")
    services.release_publish(release=release, by=actors["issuer_admin"])
    reached = set(Delivery.objects.filter(channel="websub").values_list("hub_subscription__key", flat=True))
    assert reached == {row.key for row in wanted}
