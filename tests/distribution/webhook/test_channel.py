"""The webhook channel against a real HTTP receiver on loopback: signing, retries, 410, 429, the circuit breaker."""

from __future__ import annotations

import base64
import datetime as dt
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.support.clock import Clock
from tests.support.http import Answer, Sink, sink_in_thread
from tests.support.renderings import store_renderings
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.distribution import staging
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.gate import UNSCHEDULED, WITHDRAWN
from wireroom.distribution.channels.health import BREAKER_COOLDOWN, BREAKER_THRESHOLD
from wireroom.distribution.channels.webhook.channel import WebhookChannel
from wireroom.distribution.channels.webhook.payload import keys, render
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.releases.services import LocalizationInput
from wireroom.subscriptions.models import WebhookEndpoint

SECRET = "whsec_" + base64.b64encode(b"first secret for the gulf daily").decode()
NEW_SECRET = "whsec_" + base64.b64encode(b"second secret, after rotation").decode()
allow_private = override_settings(OUTBOUND_ALLOW_PRIVATE=True)


@pytest.fixture
def sink() -> Iterator[Sink]:
    with sink_in_thread() as running:
        yield running


@pytest.fixture
def release(make_release: Callable[..., Release]) -> Release:
    release = make_release("published")
    store_renderings("webhook", release, release.version, "publish", [])
    return release


@pytest.fixture
def outlet(db: Any) -> Outlet:
    return Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")


def make_endpoint(outlet: Outlet, url: str, **fields: Any) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(outlet=outlet, url=url, secrets=fields.pop("secrets", [SECRET]), **fields)


def make_delivery(release: Release, endpoint: WebhookEndpoint, *, state: str = DeliveryState.LEASED,
                  version: int | None = None, action: str = "publish") -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        release=release, version=version or release.version, action=action, channel="webhook",
        recipient_key=f"e:{endpoint.pk}", endpoint=endpoint, language="*", state=state, attempts=1,
        next_attempt_at=now, created_at=now, leased_by="test" if state == DeliveryState.LEASED else "",
    )


def job_for(delivery: Delivery, attempts: int = 1) -> Job:
    return Job(delivery_id=delivery.pk, release_id=delivery.release_id, version=delivery.version,
               action=delivery.action, language=delivery.language, contact_id=None,
               endpoint_id=delivery.endpoint_id, attempts=attempts, channel="webhook")


def send(channel: WebhookChannel, jobs: list[Job]) -> list[Result]:
    """One batch, as the dispatcher would hand it over; ORM work runs back in this (the test's) thread."""

    async def batch() -> list[Result]:
        try:
            return await channel.send(jobs)
        finally:
            await channel.close()

    return async_to_sync(batch)()


def prepared_batch(sink: Sink, release: Release, outlet: Outlet) -> tuple[WebhookChannel, list[Job]]:
    """A channel with one copy prepared, as the dispatcher prepares a batch while it waits for its second."""
    jobs = [job_for(make_delivery(release, make_endpoint(outlet, sink.url("/hook"))))]
    channel = WebhookChannel()
    async_to_sync(channel.prepare)(jobs)
    return channel, jobs


def verify(secret: str, request: Any) -> Any:
    return Webhook(secret).verify(request.body, request.headers)


def test_the_channel_is_registered_with_its_rendering_steps() -> None:
    spec = registry.get("webhook")
    assert (spec.keys, spec.render) == (keys, render)
    channel = spec.factory()
    assert (channel.name, channel.max_attempts) == ("webhook", 8)


def test_the_retry_schedule_follows_standard_webhooks() -> None:
    channel = WebhookChannel()
    assert [channel.retry_delay(attempts) for attempts in range(1, 9)] == [
        5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600, 10 * 3600]


@allow_private
def test_a_delivery_arrives_signed_and_the_standard_webhooks_library_verifies_it(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    endpoint = make_endpoint(outlet, sink.url("/hook"))
    delivery = make_delivery(release, endpoint)

    [result] = send(WebhookChannel(), [job_for(delivery)])

    assert result == Result(delivery.pk, "delivered", receiver_ref="HTTP 200")
    [request] = sink.received
    event = verify(SECRET, request)
    assert event["type"] == "release.published"
    assert event["data"]["uri"] == release.urn
    assert event["data"]["pubStatus"] == "usable"
    assert request.headers["webhook-id"] == f"msg_{delivery.pk}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith("Wireroom/")
    with pytest.raises(WebhookVerificationError):
        verify(NEW_SECRET, request)


@allow_private
def test_during_a_secret_rotation_each_secret_alone_verifies_the_signature(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    endpoint = make_endpoint(outlet, sink.url("/hook"), secrets=[SECRET, NEW_SECRET])

    send(WebhookChannel(), [job_for(make_delivery(release, endpoint))])

    [request] = sink.received
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verify(SECRET, request) == verify(NEW_SECRET, request)
    stranger = "whsec_" + base64.b64encode(b"someone else's secret").decode()
    with pytest.raises(WebhookVerificationError):
        verify(stranger, request)


@allow_private
def test_every_endpoint_gets_the_same_body_bytes_each_signed_with_its_own_secret(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    first = make_endpoint(outlet, sink.url("/first"))
    second = make_endpoint(outlet, sink.url("/second"), secrets=[NEW_SECRET])

    results = send(WebhookChannel(), [job_for(make_delivery(release, first)),
                                      job_for(make_delivery(release, second))])

    assert {result.outcome for result in results} == {"delivered"}
    [to_first], [to_second] = sink.to("/first"), sink.to("/second")
    assert to_first.body == to_second.body
    verify(SECRET, to_first)
    verify(NEW_SECRET, to_second)


@allow_private
def test_a_retry_carries_the_same_webhook_id_and_body(sink: Sink, release: Release, outlet: Outlet) -> None:
    sink.answer("/hook", Answer(500, body="database is down"), Answer(200))
    delivery = make_delivery(release, make_endpoint(outlet, sink.url("/hook")))
    channel = WebhookChannel()

    [first] = send(channel, [job_for(delivery, attempts=1)])
    [second] = send(channel, [job_for(delivery, attempts=2)])

    assert (first.outcome, first.error) == ("retry", "HTTP 500: database is down")
    assert second.outcome == "delivered"
    before, after = sink.received
    assert before.headers["webhook-id"] == after.headers["webhook-id"] == f"msg_{delivery.pk}"
    assert before.body == after.body
    verify(SECRET, after)


@allow_private
def test_an_endpoint_that_fails_for_a_while_then_recovers_gets_the_delivery(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    sink.answer("/hook", Answer(503), Answer(500), Answer(404), Answer(204))
    endpoint = make_endpoint(outlet, sink.url("/hook"))
    delivery = make_delivery(release, endpoint)
    channel = WebhookChannel()

    outcomes = []
    for attempt in range(1, 5):
        [result] = send(channel, [job_for(delivery, attempts=attempt)])
        outcomes.append(result.outcome)
        endpoint.refresh_from_db()
        if attempt == 1:
            assert endpoint.failing_since is not None

    assert outcomes == ["retry", "retry", "retry", "delivered"]
    assert endpoint.failing_since is None
    assert endpoint.active


@allow_private
def test_an_unreachable_endpoint_is_retried(release: Release, outlet: Outlet) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound but never listening: connections to it are refused
        delivery = make_delivery(release, make_endpoint(outlet, f"http://127.0.0.1:{port}/hook"))

        [result] = send(WebhookChannel(), [job_for(delivery)])

    assert result.outcome == "retry"
    assert "ClientConnectorError" in result.error


@override_settings(OUTBOUND_ALLOW_PRIVATE=True, WEBHOOK_TIMEOUT_SECONDS=0.2)
def test_an_endpoint_that_does_not_answer_in_time_is_retried(sink: Sink, release: Release, outlet: Outlet) -> None:
    sink.pause = 5
    delivery = make_delivery(release, make_endpoint(outlet, sink.url("/slow")))

    [result] = send(WebhookChannel(), [job_for(delivery)])

    assert (result.outcome, result.error) == ("retry", "no answer within 0.2 s")


@allow_private
def test_a_410_disables_the_endpoint_and_fails_its_other_waiting_deliveries(
    sink: Sink, release: Release, outlet: Outlet, make_release: Callable[..., Release]
) -> None:
    sink.answer("/gone", Answer(410, body="we stopped taking the wire"))
    endpoint = make_endpoint(outlet, sink.url("/gone"))
    delivery = make_delivery(release, endpoint)
    other = make_release("published", original_language="en", languages=["en"], localizations=[
        LocalizationInput(language="en", headline="Lotus Fintech opens a Jakarta office",
                          body_html="<p>Lotus Fintech opened its Jakarta office today.</p>")])
    waiting = make_delivery(other, endpoint, state=DeliveryState.RETRYING)
    channel = WebhookChannel()

    [result] = send(channel, [job_for(delivery)])

    assert result.outcome == "failed"
    assert "HTTP 410" in result.error
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_reason) == (False, "410 Gone")
    assert endpoint.disabled_at is not None
    waiting.refresh_from_db()
    assert (waiting.state, waiting.last_error) == (DeliveryState.FAILED, "endpoint disabled: 410 Gone")
    actions = set(AuditEntry.objects.filter(target_id=str(endpoint.pk)).values_list("action", flat=True))
    assert actions == {"webhook.disabled", "webhook.disabled_notice"}
    # Nothing more goes to a disabled endpoint.
    [again] = send(channel, [job_for(make_delivery(release, endpoint, version=release.version + 1))])
    assert (again.outcome, again.error) == ("failed", "endpoint disabled: 410 Gone")
    assert len(sink.received) == 1


@allow_private
def test_a_429_with_retry_after_7_is_retried_after_7_seconds_and_the_endpoint_slowed_down(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    sink.answer("/busy", Answer(429, headers={"Retry-After": "7"}))
    endpoint = make_endpoint(outlet, sink.url("/busy"), max_concurrency=8)
    channel = WebhookChannel()

    [result] = send(channel, [job_for(make_delivery(release, endpoint))])

    assert (result.outcome, result.retry_after, result.receiver_ref) == ("retry", 7.0, "HTTP 429")
    health = channel.health(endpoint.pk)
    assert health is not None and health.limit() == 4
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None  # a 429 comes from a live endpoint


@allow_private
def test_retry_after_never_brings_a_retry_sooner_than_the_schedule(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    sink.answer("/busy", Answer(429, headers={"Retry-After": "1"}))
    endpoint = make_endpoint(outlet, sink.url("/busy"))
    channel = WebhookChannel()

    [result] = send(channel, [job_for(make_delivery(release, endpoint), attempts=3)])

    assert result.retry_after == channel.retry_delay(3) == 30 * 60


@allow_private
def test_a_503_with_an_http_date_in_retry_after_is_retried_when_it_says(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    later = timezone.now() + dt.timedelta(hours=1)
    sink.answer("/maintenance", Answer(503, headers={"Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")}))
    endpoint = make_endpoint(outlet, sink.url("/maintenance"))

    [result] = send(WebhookChannel(), [job_for(make_delivery(release, endpoint))])

    assert result.outcome == "retry"
    assert result.retry_after is not None and 3000 < result.retry_after <= 3600


@allow_private
def test_an_endpoint_has_as_many_requests_in_flight_as_its_max_concurrency_and_never_more(
    sink: Sink, make_release: Callable[..., Release], outlet: Outlet
) -> None:
    # The first requests wait for a third to join them: a channel that kept the limit never lets it, one that
    # didn't would; either way the most in flight at once is then plain to see.
    sink.gather = 3
    endpoint = make_endpoint(outlet, sink.url("/hook"), max_concurrency=2)
    release = make_release("published")
    store_renderings("webhook", release, release.version, "publish", [])
    deliveries = [make_delivery(release, endpoint)]
    for version in range(2, 9):
        # Versions of a release we pretend were corrected; each has its own rendering.
        store_renderings("webhook", release, version, "publish", [])
        deliveries.append(make_delivery(release, endpoint, version=version))

    results = send(WebhookChannel(), [job_for(delivery) for delivery in deliveries])

    assert [result.outcome for result in results] == ["delivered"] * 8
    assert sink.most_in_flight == 2


@allow_private
@override_settings(WEBHOOK_CONNECTIONS_PER_HOST=3)
def test_one_host_gets_no_more_requests_at_once_than_the_limit_per_host_whatever_its_endpoints(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    # Twenty endpoints on one receiver, each allowed eight at once: together they would send all twenty at once.
    sink.gather = 4
    deliveries = [make_delivery(release, make_endpoint(outlet, sink.url(f"/outlet/{n}"), max_concurrency=8))
                  for n in range(20)]

    results = send(WebhookChannel(), [job_for(delivery) for delivery in deliveries])

    assert [result.outcome for result in results] == ["delivered"] * 20
    assert len(sink.received) == 20
    assert sink.most_in_flight == 3


@allow_private
def test_the_circuit_opens_after_consecutive_failures_and_one_probe_goes_through_after_the_cool_down(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    sink.answer("/down", Answer(500))
    endpoint = make_endpoint(outlet, sink.url("/down"), max_concurrency=1)
    clock = Clock()
    channel = WebhookChannel(clock=clock)
    versions = iter(range(release.version, 1000))

    def batch(size: int) -> list[Result]:
        jobs = []
        for version in (next(versions) for _ in range(size)):
            store_renderings("webhook", release, version, "publish", [])
            jobs.append(job_for(make_delivery(release, endpoint, version=version)))
        return send(channel, jobs)

    assert {result.outcome for result in batch(BREAKER_THRESHOLD)} == {"retry"}
    assert len(sink.received) == BREAKER_THRESHOLD

    held = batch(3)
    assert len(sink.received) == BREAKER_THRESHOLD  # the circuit is open: nothing was attempted
    assert all(result.outcome == "retry" and "not attempted" in result.error for result in held)
    assert all(result.retry_after is not None and result.retry_after >= BREAKER_COOLDOWN for result in held)

    clock.now += BREAKER_COOLDOWN + 1
    assert [result.outcome for result in batch(1)] == ["retry"]  # the probe went, and failed
    assert len(sink.received) == BREAKER_THRESHOLD + 1
    batch(2)
    assert len(sink.received) == BREAKER_THRESHOLD + 1  # open again, for twice as long

    clock.now += 2 * BREAKER_COOLDOWN + 1
    sink.answer("/down", Answer(200))
    assert [result.outcome for result in batch(1)] == ["delivered"]
    assert [result.outcome for result in batch(3)] == ["delivered"] * 3  # closed again


@allow_private
def test_an_endpoint_failing_for_more_than_five_days_is_disabled_and_its_owner_told(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    sink.answer("/broken", Answer(500))
    endpoint = make_endpoint(outlet, sink.url("/broken"), failing_since=timezone.now() - dt.timedelta(days=6))
    waiting = make_delivery(release, endpoint, state=DeliveryState.PENDING, version=release.version + 1)

    [result] = send(WebhookChannel(), [job_for(make_delivery(release, endpoint))])

    assert result.outcome == "failed"
    assert result.error == "HTTP 500: ok (endpoint disabled)"
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_reason) == (False, "failing for more than 5 days")
    waiting.refresh_from_db()
    assert waiting.state == DeliveryState.FAILED
    notice = AuditEntry.objects.get(action="webhook.disabled_notice", target_id=str(endpoint.pk))
    assert notice.data["reason"] == "failing for more than 5 days"


@allow_private
def test_a_redirect_is_not_followed_and_the_delivery_is_retried(sink: Sink, release: Release, outlet: Outlet) -> None:
    sink.answer("/moved", Answer(301, headers={"Location": "/new-home"}))
    endpoint = make_endpoint(outlet, sink.url("/moved"))

    [result] = send(WebhookChannel(), [job_for(make_delivery(release, endpoint))])

    assert result.outcome == "retry"
    assert "redirects are not followed; Location: /new-home" in result.error
    assert [request.path for request in sink.received] == ["/moved"]


def test_a_private_address_without_the_allow_setting_fails_with_the_refusal_reason(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    endpoint = make_endpoint(outlet, sink.url("/hook"))

    [result] = send(WebhookChannel(), [job_for(make_delivery(release, endpoint))])

    assert result.outcome == "failed"
    assert result.error == "Refused to connect to 127.0.0.1: a loopback address (127.0.0.0/8)."
    assert sink.received == []
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None


def test_an_endpoint_without_a_signing_secret_fails_and_nothing_is_sent_unsigned(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    endpoint = make_endpoint(outlet, sink.url("/hook"), secrets=[])

    with allow_private:
        [result] = send(WebhookChannel(), [job_for(make_delivery(release, endpoint))])

    assert (result.outcome, result.error) == ("failed", "the endpoint has no signing secret")
    assert sink.received == []



@allow_private
def test_a_copy_leased_before_a_withdrawal_is_suppressed_at_send_time_and_the_kill_notice_goes(
    sink: Sink, release: Release, outlet: Outlet, actors: dict[str, Membership],
) -> None:
    endpoint = make_endpoint(outlet, sink.url("/hook"))
    copy = make_delivery(release, endpoint)  # leased before the withdrawal, not yet sent
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    kill = Delivery.objects.get(release=release, action="withdraw")
    kill.state = DeliveryState.LEASED
    kill.save()

    results = {result.delivery_id: result for result in send(WebhookChannel(), [job_for(copy), job_for(kill)])}

    assert (results[copy.pk].outcome, results[copy.pk].error) == ("suppressed", WITHDRAWN)
    assert results[kill.pk].outcome == "delivered"
    [request] = sink.received
    assert request.headers["webhook-id"] == f"msg_{kill.pk}"
    assert b'"canceled"' in request.body


@allow_private
def test_a_batch_prepared_before_its_second_reads_no_endpoint_or_body_at_the_second(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    channel, jobs = prepared_batch(sink, release, outlet)

    with CaptureQueriesContext(connection) as queries:
        [result] = send(channel, jobs)

    assert result.outcome == "delivered"
    [request] = sink.received
    assert verify(SECRET, request)["type"] == "release.published"
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert Release._meta.db_table in read  # the withdrawal: the one check left for the second
    assert '"secrets"' not in read and RenderedItem._meta.db_table not in read


@allow_private
def test_a_copy_prepared_before_its_second_and_withdrawn_meanwhile_is_suppressed(
    sink: Sink, release: Release, outlet: Outlet, actors: dict[str, Membership],
) -> None:
    channel, jobs = prepared_batch(sink, release, outlet)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")

    [result] = send(channel, jobs)

    assert (result.outcome, result.error) == ("suppressed", WITHDRAWN)
    assert sink.received == []


@allow_private
def test_a_copy_prepared_before_its_second_of_a_release_unscheduled_meanwhile_is_not_sent(
    sink: Sink, release: Release, outlet: Outlet
) -> None:
    channel, jobs = prepared_batch(sink, release, outlet)
    # What unscheduling does to the version it had staged: its rows and its bodies are dropped.
    staging.unstage(release=release, version=release.version)

    [result] = send(channel, jobs)

    assert (result.outcome, result.error) == ("suppressed", UNSCHEDULED)
    assert sink.received == []
