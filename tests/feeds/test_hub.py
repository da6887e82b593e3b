"""The wire's own WebSub hub: what a subscription request must hold, and the verification of intent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from asgiref.sync import async_to_sync
from django.test import Client, override_settings
from django.utils import timezone

from tests.support.http import Answer, Sink, sink_in_thread
from wireroom.accounts.models import Membership
from wireroom.distribution.channels.websub.publish import notify_due
from wireroom.distribution.channels.websub.subscriptions import VERIFY_DELAYS
from wireroom.distribution.channels.websub.verify import verify_due
from wireroom.distribution.models import HubSubscription
from wireroom.lib import outbound
from wireroom.releases import services
from wireroom.releases.models import Release

BASE = "http://127.0.0.1:8000"
allow_private = override_settings(OUTBOUND_ALLOW_PRIVATE=True)


@pytest.fixture
def sink() -> Iterator[Sink]:
    with sink_in_thread() as running:
        running.confirms_intent = True
        yield running


def ask(client: Client, **fields: str) -> Any:
    return client.post("/websub/hub", {f"hub.{name}": value for name, value in fields.items()})


def verify_now() -> int:
    async def once() -> int:
        session = outbound.new_session()
        try:
            return await verify_due(session)
        finally:
            await session.close()

    return async_to_sync(once)()


def notify_now() -> tuple[int, str]:
    async def once() -> tuple[int, str]:
        session = outbound.new_session()
        try:
            return await notify_due(session)
        finally:
            await session.close()

    return async_to_sync(once)()


@allow_private
def test_a_subscription_takes_effect_only_once_the_subscriber_has_echoed_the_challenge(
        client: Client, sink: Sink, db: Any) -> None:
    answer = ask(client, mode="subscribe", topic=f"{BASE}/feeds/language/ar.atom", callback=sink.url("/cb?me=1"),
                 lease_seconds="3600", secret="s3cret")
    assert answer.status_code == 202
    waiting = HubSubscription.objects.get()
    assert (waiting.expires_at, waiting.pending_mode, waiting.language) == (None, "subscribe", "ar")
    # Nothing reached the subscriber in the request: the worker verifies.
    assert sink.received == []
    assert verify_now() == 1
    [check] = sink.received
    assert check.method == "GET"
    assert check.query["me"] == "1"
    assert (check.query["hub.mode"], check.query["hub.topic"], check.query["hub.lease_seconds"]) == (
        "subscribe", f"{BASE}/feeds/language/ar.atom", "3600")
    active = HubSubscription.objects.get()
    assert active.pending_mode == "" and active.secret == "s3cret" and active.lease_seconds == 3600
    assert active.expires_at is not None


@allow_private
def test_a_subscriber_that_does_not_echo_the_challenge_is_not_subscribed(client: Client, sink: Sink,
                                                                          db: Any) -> None:
    sink.confirms_intent = False
    sink.answer("/cb", Answer(200, body="yes please"))
    assert ask(client, mode="subscribe", topic=f"{BASE}/feeds/all.rss", callback=sink.url("/cb")).status_code == 202
    verify_now()
    assert not HubSubscription.objects.exists()


@allow_private
def test_an_unreachable_subscriber_is_asked_again_then_dropped(client: Client, sink: Sink, db: Any) -> None:
    sink.confirms_intent = False
    sink.answer("/cb", Answer(503))
    ask(client, mode="subscribe", topic=f"{BASE}/feeds/all.rss", callback=sink.url("/cb"))
    for _attempt in VERIFY_DELAYS:
        verify_now()
        row = HubSubscription.objects.get()
        assert row.pending_mode == "subscribe" and "HTTP 503" in row.last_error
        HubSubscription.objects.update(verify_after=row.created_at)
    verify_now()
    assert not HubSubscription.objects.exists()
    assert len(sink.to("/cb")) == len(VERIFY_DELAYS) + 1


@allow_private
def test_unsubscribing_is_verified_too_and_ends_the_subscription(client: Client, sink: Sink, db: Any) -> None:
    topic = f"{BASE}/feeds/all.json"
    ask(client, mode="subscribe", topic=topic, callback=sink.url("/cb"))
    verify_now()
    assert ask(client, mode="unsubscribe", topic=topic, callback=sink.url("/cb")).status_code == 202
    # Until the unsubscription is verified the subscription goes on.
    assert HubSubscription.objects.get().expires_at is not None
    verify_now()
    assert sink.received[-1].query["hub.mode"] == "unsubscribe"
    ended = HubSubscription.objects.get()
    assert ended.pending_mode == "" and ended.expires_at is not None and ended.expires_at <= timezone.now()


@allow_private
def test_a_topic_is_kept_in_the_form_the_feed_names_itself(client: Client, sink: Sink, db: Any) -> None:
    ask(client, mode="subscribe", topic=f"{BASE}/feeds/sector/energy.atom?language=ar", callback=sink.url("/cb"))
    row = HubSubscription.objects.get()
    assert row.topic == f"{BASE}/feeds/sector/energy.atom?language=ar"
    assert (row.sector, row.language, row.issuer) == ("energy", "ar", "")


BAD = [
    ({"mode": "publish", "topic": f"{BASE}/feeds/all.rss"}, "hub.mode", 400),
    ({"topic": f"{BASE}/feeds/all.rss"}, "hub.mode", 400),
    ({"mode": "subscribe"}, "hub.topic", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss", "callback": ""}, "hub.callback", 400),
    ({"mode": "subscribe", "topic": "https://elsewhere.example/feeds/all.rss"}, "hub.topic", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/releases/"}, "hub.topic", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/language/xx.rss"}, "hub.topic", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss?colour=red"}, "hub.topic", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss?before=2026-01-01T00:00:00.000000Z_"
                                    "0123456789abcdef0123456789abcdef"}, "hub.topic", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss", "lease_seconds": "forever"}, "hub.lease_seconds", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss", "lease_seconds": "5"}, "hub.lease_seconds", 400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss", "lease_seconds": "99999999"}, "hub.lease_seconds",
     400),
    ({"mode": "subscribe", "topic": f"{BASE}/feeds/all.rss", "secret": "x" * 200}, "hub.secret", 400),
    ({"mode": "unsubscribe", "topic": f"{BASE}/feeds/all.rss"}, None, 404),
]


@allow_private
@pytest.mark.parametrize(("fields", "parameter", "status"), BAD)
def test_a_bad_request_is_refused_with_a_message_and_saves_nothing(
        client: Client, sink: Sink, db: Any, fields: dict[str, str], parameter: str | None, status: int) -> None:
    answer = ask(client, **{"callback": sink.url("/cb"), **fields})
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["message"]
    if parameter:
        assert error["details"]["parameter"] == parameter
    assert not HubSubscription.objects.exists()
    assert sink.received == []


@pytest.mark.parametrize("callback", ["http://10.0.0.7/cb", "http://192.168.1.1/cb", "http://127.0.0.1:9/cb",
                                      "ftp://example.com/cb", "http://user:pw@93.184.215.14/cb"])
def test_a_callback_on_a_private_network_or_not_over_http_is_refused(client: Client, db: Any,
                                                                     callback: str) -> None:
    answer = ask(client, mode="subscribe", topic=f"{BASE}/feeds/all.rss", callback=callback)
    assert answer.status_code == 400
    assert answer.json()["error"]["details"] == {"parameter": "hub.callback"}
    assert not HubSubscription.objects.exists()


def test_the_hub_takes_only_posts(client: Client, db: Any) -> None:
    assert client.get("/websub/hub").status_code == 405


def test_with_an_external_hub_set_the_own_hub_sends_subscribers_there(client: Client, db: Any,
                                                                      settings: Any) -> None:
    settings.WEBSUB_HUB = "https://hub.example.net/"
    answer = ask(client, mode="subscribe", topic=f"{BASE}/feeds/all.rss", callback="https://example.com/cb")
    assert answer.status_code == 404
    assert "https://hub.example.net/" in answer.json()["error"]["message"]
    assert not HubSubscription.objects.exists()




def test_with_an_external_hub_set_each_change_is_told_to_it_for_every_feed_the_release_is_in(
        sink: Sink, settings: Any, make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.WEBSUB_HUB = sink.url("/hub")
    earlier = make_release("published")
    assert notify_now() == (0, "")  # the first look only marks where the log stands: no archive replayed
    release = make_release("approved")
    services.release_publish(release=release, by=actors["issuer_admin"])
    services.release_withdraw(release=earlier, by=actors["wire_editor"], reason="Issued in error.")
    assert notify_now() == (2, "")
    told = [parse_qs(request.body.decode()) for request in sink.to("/hub")]
    assert all(fields["hub.mode"] == ["publish"] for fields in told)
    feeds = [fields["hub.url"][0] for fields in told]
    # The release's feeds of each kind, once for its publication and once for the other's withdrawal.
    for kind in ("atom", "rss", "json"):
        for path in ("all", "language/ar", "language/en", "sector/daily-news", "issuer/nahr-energy", "country/AE"):
            assert feeds.count(f"{BASE}/feeds/{path}.{kind}") == 2
    assert not [feed for feed in feeds if "/feeds/language/fr." in feed]
    assert notify_now() == (0, "")


def test_a_failing_external_hub_is_asked_again_before_the_log_moves_on(
        sink: Sink, settings: Any, make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.WEBSUB_HUB = sink.url("/hub")
    notify_now()
    sink.answer("/hub", Answer(503))
    make_release("published")
    assert notify_now() == (0, "HTTP 503")
    sink.answer("/hub", Answer(204))
    assert notify_now() == (1, "")
    assert notify_now() == (0, "")


def test_a_private_network_external_hub_is_refused_by_the_guard(
        settings: Any, make_release: Callable[..., Release]) -> None:
    settings.WEBSUB_HUB = "http://10.1.2.3/hub"
    notify_now()
    make_release("published")
    done, error = notify_now()
    assert done == 0 and "10.1.2.3" in error
