"""The WebSub channel in-process against a subscriber on loopback: embargoes, leases, 410, signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as wire_settings
from django.utils import timezone

from tests.support.http import Answer, Sink, sink_in_thread
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.websub.channel import WebSubChannel
from wireroom.distribution.models import Delivery, HubSubscription
from wireroom.releases.models import Release


@pytest.fixture(autouse=True)
def _loopback_callbacks(settings: Any) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def sink() -> Iterator[Sink]:
    with sink_in_thread() as running:
        yield running


def subscriber(sink: Sink, *, secret: str = "", lease: dt.timedelta = dt.timedelta(days=1)) -> HubSubscription:
    now = timezone.now()
    return HubSubscription.objects.create(key=f"k{now.timestamp()}", topic=f"{wire_settings.BASE_URL}/feeds/all.atom",
                                          callback=sink.url("/cb"), secret=secret, expires_at=now + lease,
                                          lease_seconds=86400, created_at=now)


def jobs_of(release: Release) -> list[Job]:
    return [Job(delivery_id=row.pk, release_id=row.release_id, version=row.version, action=row.action,
                language=row.language, contact_id=None, endpoint_id=row.hub_subscription_id, attempts=1,
                channel="websub")
            for row in Delivery.objects.filter(release=release, channel="websub")]


def send(jobs: list[Job]) -> list[Result]:
    channel = WebSubChannel()

    async def batch() -> list[Result]:
        try:
            return await channel.send(jobs)
        finally:
            await channel.close()

    return async_to_sync(batch)()


def test_the_channel_is_registered_with_nothing_to_render_ahead() -> None:
    spec = registry.get("websub")
    assert spec.targeting is not None and spec.targeting.column == "hub_subscription"
    assert spec.keys(registry.Recipients(languages=frozenset({"*"}))) == frozenset()
    assert spec.background is not None
    assert (spec.factory().name, spec.factory().max_attempts) == ("websub", 8)


def test_a_notification_is_the_feed_signed_with_the_subscribers_secret(
        sink: Sink, make_release: Callable[..., Release]) -> None:
    subscriber(sink, secret="sesame")
    release = make_release("published")
    [result] = send(jobs_of(release))
    assert result.outcome == "delivered"
    [request] = sink.to("/cb")
    assert request.headers["X-Hub-Signature"] == "sha256=" + hmac.new(b"sesame", request.body,
                                                                      hashlib.sha256).hexdigest()
    assert release.urn.encode() in request.body


def test_nothing_of_an_embargoed_release_leaves_before_the_clock_publishes_it(
        sink: Sink, make_release: Callable[..., Release]) -> None:
    subscriber(sink)
    release = make_release("scheduled")
    [row] = Delivery.objects.filter(release=release, channel="websub")
    assert row.next_attempt_at == release.embargo_at
    # Leased early (a clock late by a moment): held back without a try, and the feed not sent.
    [result] = send(jobs_of(release))
    assert (result.outcome, result.attempted) == ("retry", False)
    assert sink.received == []


def test_a_subscriber_whose_lease_ran_out_gets_nothing(sink: Sink, make_release: Callable[..., Release]) -> None:
    subscription = subscriber(sink)
    release = make_release("published")
    HubSubscription.objects.filter(pk=subscription.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    [result] = send(jobs_of(release))
    assert result.outcome == "failed" and "lease" in result.error
    assert sink.received == []
    # Nor is it targeted by the next release.
    assert not Delivery.objects.filter(release=make_release("published"), channel="websub").exists()


def test_a_subscriber_that_answers_410_is_unsubscribed(sink: Sink, make_release: Callable[..., Release]) -> None:
    subscription = subscriber(sink)
    sink.answer("/cb", Answer(410))
    [result] = send(jobs_of(make_release("published")))
    assert result.outcome == "failed" and "HTTP 410" in result.error
    ended = HubSubscription.objects.get(pk=subscription.pk)
    assert ended.expires_at is not None and ended.expires_at <= timezone.now()


def test_a_failing_subscriber_is_retried_on_the_webhook_schedule(
        sink: Sink, make_release: Callable[..., Release]) -> None:
    subscriber(sink)
    sink.answer("/cb", Answer(500, body="down"))
    [result] = send(jobs_of(make_release("published")))
    assert result.outcome == "retry" and "HTTP 500" in result.error
    assert [WebSubChannel().retry_delay(attempts) for attempts in (1, 2, 3)] == [5, 300, 1800]


def test_the_admin_lists_subscribers_without_showing_their_secrets(sink: Sink, admin_client: Any) -> None:
    subscription = subscriber(sink, secret="never-shown")
    listing = admin_client.get("/admin/distribution/hubsubscription/")
    assert listing.status_code == 200 and sink.url("/cb") in listing.content.decode()
    page = admin_client.get(f"/admin/distribution/hubsubscription/{subscription.pk}/change/")
    assert page.status_code == 200 and "never-shown" not in page.content.decode()
