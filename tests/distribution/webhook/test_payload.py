"""What a webhook carries: the Standard Webhooks envelope around one item per release version, in each endpoint's
format."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from django.test import override_settings
from standardwebhooks.webhooks import Webhook

from tests.support.http import sink_in_thread
from tests.support.renderings import store_renderings
from tests.support.standards import document_errors
from wireroom.distribution.channels.base import Job
from wireroom.distribution.channels.http import retry_after_seconds
from wireroom.distribution.channels.webhook.channel import WebhookChannel
from wireroom.distribution.channels.webhook.payload import body_bytes, event_key
from wireroom.distribution.models import Delivery, RenderedItem
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint


def rendered(release: Release, version: int, format_name: str = "ninjs") -> dict[str, Any]:
    payload = RenderedItem.objects.get(release=release, version=version, format=event_key(format_name),
                                       language="*").payload
    assert isinstance(payload, dict)
    return payload


def iso(moment: Any) -> str:
    return str(moment.isoformat().replace("+00:00", "Z"))


def test_a_published_release_becomes_a_release_published_event(make_release: Callable[..., Release]) -> None:
    release = make_release("published")

    store_renderings("webhook", release, release.version, "publish", ["ar", "en"])

    event = rendered(release, release.version)
    assert event["type"] == "release.published"
    assert event["timestamp"] == iso(release.versions.get(number=release.version).created_at)
    item = event["data"]
    assert (item["uri"], item["version"], item["pubStatus"]) == (release.urn, "1", "usable")
    assert item["standard"]["version"] == "3.1"
    assert [association["language"] for association in item["associations"]] == ["en"]


def test_a_correction_carries_its_note(make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")

    store_renderings("webhook", release, release.version, "correct", ["ar", "en"])

    event = rendered(release, release.version)
    assert event["type"] == "release.corrected"
    assert (event["data"]["version"], event["data"]["edNote"]) == ("2", "Fixed the plant's capacity.")


def test_a_withdrawal_is_a_kill_notice(make_release: Callable[..., Release]) -> None:
    release = make_release("withdrawn")

    store_renderings("webhook", release, release.version, "withdraw", ["ar", "en"])

    event = rendered(release, release.version)
    assert event["type"] == "release.withdrawn"
    assert event["data"]["pubStatus"] == "canceled"


def test_a_scheduled_release_is_rendered_as_it_will_be_at_its_embargo_second(
    make_release: Callable[..., Release]
) -> None:
    release = make_release("scheduled")

    store_renderings("webhook", release, release.version + 1, "publish", ["ar", "en"])

    event = rendered(release, release.version + 1)
    assert event["timestamp"] == iso(release.embargo_at)
    item = event["data"]
    assert (item["version"], item["pubStatus"]) == ("1", "usable")
    assert item["contentCreated"] == item["embargoedUntil"] == iso(release.embargo_at)


def test_preparing_again_keeps_the_rendering_that_may_already_have_gone_out(
    make_release: Callable[..., Release]
) -> None:
    release = make_release("published")
    store_renderings("webhook", release, release.version, "publish", [])
    first = RenderedItem.objects.get(release=release, version=release.version, format=event_key("ninjs"))
    RenderedItem.objects.filter(pk=first.pk).update(payload={"type": "release.published", "data": {"marker": 1}})

    store_renderings("webhook", release, release.version, "publish", [])

    assert rendered(release, release.version)["data"] == {"marker": 1}


def test_the_body_is_compact_utf8_json() -> None:
    assert body_bytes({"type": "release.published", "data": {"headlines": ["نهر"]}}) == (
        '{"type":"release.published","data":{"headlines":["نهر"]}}'.encode())


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    headers = ["7", "Sun, 01 Mar 2026 12:02:00 GMT", "Sun, 01 Mar 2026 11:00:00 GMT", "soon", None, "99999999"]
    waits = [retry_after_seconds(header, now) for header in headers]
    # A delay, a date two minutes on, a date already past, nonsense, nothing, and a day at most.
    assert waits == [7.0, 120.0, 0.0, None, None, 24 * 3600.0]


@override_settings(OUTBOUND_ALLOW_PRIVATE=True)
def test_a_release_published_to_a_subscribed_endpoint_is_staged_rendered_and_delivered(
    make_release: Callable[..., Release]
) -> None:
    secret = "whsec_" + base64.b64encode(b"the terminal partner's secret").decode()
    partner = Outlet.objects.create(name="Desk Terminal", type=OutletType.TERMINAL_PARTNER, country_id="SG")
    with sink_in_thread() as sink:
        endpoint = WebhookEndpoint.objects.create(outlet=partner, url=sink.url("/wire"), secrets=[secret])
        Subscription.objects.create(outlet=partner, channel=Channel.WEBHOOK, endpoint=endpoint)

        release = make_release("published")
        delivery = Delivery.objects.get(release=release, endpoint=endpoint)
        job = Job(delivery_id=delivery.pk, release_id=release.pk, version=delivery.version, action=delivery.action,
                  language=delivery.language, contact_id=None, endpoint_id=endpoint.pk, attempts=1, channel="webhook")

        async def batch() -> list[Any]:
            channel = WebhookChannel()
            try:
                return await channel.send([job])
            finally:
                await channel.close()

        [result] = async_to_sync(batch)()

    assert result.outcome == "delivered"
    [request] = sink.received
    event = Webhook(secret).verify(request.body, request.headers)
    assert (event["type"], event["data"]["uri"]) == ("release.published", release.urn)


@override_settings(OUTBOUND_ALLOW_PRIVATE=True)
def test_each_endpoint_gets_the_event_in_its_own_format(make_release: Callable[..., Release]) -> None:
    secret = "whsec_" + base64.b64encode(b"a secret shared by three desks").decode()
    partner = Outlet.objects.create(name="Desk Terminal", type=OutletType.TERMINAL_PARTNER, country_id="SG")
    with sink_in_thread() as sink:
        endpoints = {}
        for format_name in ("ninjs", "ninjs-2.2", "nitf", "newsml-g2"):
            endpoint = WebhookEndpoint.objects.create(outlet=partner, url=sink.url(f"/{format_name}"),
                                                      secrets=[secret], format=format_name)
            Subscription.objects.create(outlet=partner, channel=Channel.WEBHOOK, endpoint=endpoint)
            endpoints[endpoint.pk] = format_name

        release = make_release("published")
        jobs = [Job(delivery_id=delivery.pk, release_id=release.pk, version=delivery.version,
                    action=delivery.action, language=delivery.language, contact_id=None,
                    endpoint_id=delivery.endpoint_id, attempts=1, channel="webhook")
                for delivery in Delivery.objects.filter(release=release, channel="webhook")]

        async def batch() -> list[Any]:
            channel = WebhookChannel()
            try:
                return await channel.send(jobs)
            finally:
                await channel.close()

        results = async_to_sync(batch)()

    assert [result.outcome for result in results] == ["delivered"] * 4
    events = {request.path.strip("/"): Webhook(secret).verify(request.body, request.headers)
              for request in sink.received}
    assert events["ninjs"]["data"]["standard"]["version"] == "3.1"
    assert document_errors(json.dumps(events["ninjs-2.2"]["data"]).encode(), "ninjs-2.2") == []
    for format_name, media_type in (("nitf", "application/nitf+xml"),
                                    ("newsml-g2", "application/vnd.iptc.g2.newsitem+xml")):
        data = events[format_name]["data"]
        assert (data["format"], data["contentType"]) == (format_name, media_type)
        assert [item["language"] for item in data["items"]] == ["ar", "en"]
        for item in data["items"]:
            assert document_errors(item["value"].encode(), format_name) == []
    # Rendered once per version, format and language, and stored for every channel to share.
    stored = set(RenderedItem.objects.filter(release=release).exclude(format="email").values_list(
        "format", "language"))
    assert stored == {("ninjs", "*"), ("ninjs-2.2", "*"), ("nitf", "ar"), ("nitf", "en"), ("newsml-g2", "ar"),
                      ("newsml-g2", "en")} | {(event_key(name), "*") for name in endpoints.values()}


def test_an_endpoint_set_to_an_unknown_format_fails_alone(make_release: Callable[..., Release]) -> None:
    partner = Outlet.objects.create(name="Desk Terminal", type=OutletType.TERMINAL_PARTNER, country_id="SG")
    for format_name in ("ninjs", "rss-0.9"):
        endpoint = WebhookEndpoint.objects.create(outlet=partner, url="https://93.184.215.14/hook",
                                                  secrets=["whsec_" + base64.b64encode(b"k" * 24).decode()],
                                                  format=format_name)
        Subscription.objects.create(outlet=partner, channel=Channel.WEBHOOK, endpoint=endpoint)

    release = make_release("published")  # staging renders what it can; the publish goes through

    assert rendered(release, release.version)["type"] == "release.published"
    assert not RenderedItem.objects.filter(release=release, format=event_key("rss-0.9")).exists()
