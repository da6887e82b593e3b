"""Fault tests with real worker processes, a real SMTP server and real HTTP endpoints on loopback."""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiohttp import web
from django.db.models import Q
from django.utils import timezone

from tests.support.email import RecordingHandler, smtp_server
from tests.support.factories import readers
from tests.support.workers import start_worker, wait_until
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def unfinished() -> int:
    return Delivery.objects.exclude(state__in=["delivered", "failed", "suppressed"]).count()


def time_passes() -> int:
    """Brings every waiting retry due now, as if its backoff had run out; returns how many are unfinished."""
    Delivery.objects.filter(state="retrying").update(next_attempt_at=timezone.now())
    return unfinished()


def message_ids(handler: RecordingHandler) -> list[str]:
    return [str(email.message_from_bytes(envelope.content)["Message-ID"]) for envelope in list(handler.envelopes)]


@contextmanager
def workers(tmp_path: Path, count: int, **options: object) -> Iterator[list[subprocess.Popen[bytes]]]:
    processes = [start_worker(tmp_path, **options) for _ in range(count)]  # type: ignore[arg-type]
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(30)


class Sink:
    """A real HTTP server on loopback whose answers a test scripts per path."""

    def __init__(self, answer: Callable[[str, int], int]) -> None:
        self.answer = answer
        self.received: list[tuple[str, dict[str, str], bytes, float]] = []
        self.port = 0
        self._ready = threading.Event()
        self._stop: object = None

    def __enter__(self) -> Sink:
        import asyncio

        async def handle(request: web.Request) -> web.Response:
            body = await request.read()
            self.received.append((request.path, dict(request.headers), body, time.time()))
            count = sum(1 for path, *_ in self.received if path == request.path)
            return web.Response(status=self.answer(request.path, count))

        def serve() -> None:
            loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/{tail:.*}", handle)
            runner = web.AppRunner(app, access_log=None)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self._stop = loop
            self._ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        loop = self._stop
        loop.call_soon_threadsafe(loop.stop)  # type: ignore[attr-defined]
        self._thread.join(10)


def hook(name: str, url: str) -> WebhookEndpoint:
    outlet = Outlet.objects.create(name=name, type=OutletType.NEWS_AGENCY, country_id="AE")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=url, secrets=[SECRET])
    Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    return endpoint


def test_a_worker_killed_mid_fan_out_loses_nothing_and_duplicates_only_its_batch_in_flight(
    make_release: Callable[..., Release], tmp_path: Path,
) -> None:
    readers(20_000)
    with smtp_server() as (url, handler):
        release = make_release("published")
        assert Delivery.objects.filter(release=release).count() == 20_000
        # Leases long enough that a loaded machine never lets one run out while its batch is being sent: the
        # only copies sent twice are then the killed worker's batches in flight.
        with workers(tmp_path, 1, smtp_url=url, batch_size=200, lease_seconds=10) as [first]:
            wait_until(lambda: handler.accepted >= 4000, timeout=180, what="a quarter of the fan-out")
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        with workers(tmp_path, 1, smtp_url=url, batch_size=200, lease_seconds=10):
            wait_until(lambda: unfinished() == 0, timeout=300, what="the fan-out to finish")
    assert Delivery.objects.filter(release=release, state="delivered").count() == 20_000
    received = Counter(message_ids(handler))
    assert len(received) == 20_000, "every recipient got the release"
    duplicates = sum(count - 1 for count in received.values())
    # At most the batches in flight at the kill (4 of 200) come again, under the same Message-ID.
    assert duplicates <= 4 * 200


def test_deferrals_and_dropped_connections_are_retried_until_every_recipient_is_delivered(
    make_release: Callable[..., Release], tmp_path: Path,
) -> None:
    readers(300)
    deferred = {f"reader{n}@example.com" for n in range(0, 300, 3)}
    dropped = {f"reader{n}@example.com" for n in range(1, 300, 50)}
    handler = RecordingHandler(rcpt_replies={address: "451 4.7.1 Try again later" for address in deferred},
                               drop_at_data=set(dropped))
    with smtp_server(handler) as (url, _):
        release = make_release("published")
        with workers(tmp_path, 1, smtp_url=url):
            wait_until(lambda: Delivery.objects.filter(state="retrying").count() >= len(deferred), timeout=120,
                       what="the deferred recipients to wait for a retry")
            handler.rcpt_replies.clear()
            handler.drop_at_data.clear()
            # Time passes: the retries come due.
            Delivery.objects.filter(state="retrying").update(next_attempt_at=timezone.now())
            wait_until(lambda: unfinished() == 0, timeout=120, what="the retries")
    rows = Delivery.objects.filter(release=release)
    assert rows.filter(state="delivered").count() == 300
    assert rows.filter(attempts__gte=2).count() >= len(deferred)
    assert len(set(message_ids(handler))) == 300


def test_a_webhook_that_fails_for_a_while_recovers_and_one_that_never_does_ends_failed_with_a_reason(
    make_release: Callable[..., Release], tmp_path: Path,
) -> None:
    def answer(path: str, count: int) -> int:
        return 500 if path == "/down" or (path == "/flaky" and count <= 2) else 204

    with Sink(answer) as sink:
        hook("Flaky", f"http://127.0.0.1:{sink.port}/flaky")
        hook("Down", f"http://127.0.0.1:{sink.port}/down")
        release = make_release("published")
        with workers(tmp_path, 1, extra={"WIREROOM_WEBHOOK_BREAKER_SECONDS": "0.2"}):
            wait_until(lambda: time_passes() == 0, timeout=120, what="both endpoints to settle")
    flaky = Delivery.objects.get(release=release, endpoint__url__endswith="/flaky")
    down = Delivery.objects.get(release=release, endpoint__url__endswith="/down")
    assert (flaky.state, flaky.attempts) == ("delivered", 3)
    assert down.state == "failed"
    assert "500" in down.last_error
    ids = {headers["webhook-id"] for path, headers, *_ in sink.received if path == "/flaky"}
    assert ids == {f"msg_{flaky.pk}"}, "every retry carries the same webhook-id"


def test_two_workers_share_one_fan_out_without_delivering_any_row_twice(
    make_release: Callable[..., Release], tmp_path: Path,
) -> None:
    readers(3000)
    handler = RecordingHandler()
    handler.hold.set()  # nothing is accepted until both workers are seen holding rows
    leasers: set[str] = set()

    def both_lease() -> bool:
        leasers.update(Delivery.objects.filter(state="leased").values_list("leased_by", flat=True).distinct())
        return len(leasers) == 2

    with smtp_server(handler) as (url, _):
        make_release("published")
        with workers(tmp_path, 2, smtp_url=url, batch_size=100, lease_seconds=60) as processes:
            wait_until(both_lease, timeout=120, what="both workers to lease rows")
            handler.hold.clear()
            wait_until(lambda: unfinished() == 0, timeout=180, what="the fan-out")
    # Worker names are <host>:<pid>:<random>: one name per process.
    assert {int(name.split(":")[1]) for name in leasers} == {process.pid for process in processes}
    assert list(Delivery.objects.exclude(state="delivered").values_list("state", "last_error")[:3]) == []
    received = Counter(message_ids(handler))
    assert len(received) == 3000
    assert max(received.values()) == 1
    assert Delivery.objects.values("leased_by").distinct().count() == 1  # all cleared after ack


def test_nothing_leaves_before_the_embargo_and_a_withdrawal_reaches_every_earlier_recipient(
    make_release: Callable[..., Release], actors: dict[str, Membership], tmp_path: Path,
) -> None:
    readers(50)
    with smtp_server() as (url, handler), Sink(lambda path, count: 204) as sink:
        hook("Agency", f"http://127.0.0.1:{sink.port}/agency")
        release = make_release("approved")
        embargo = (timezone.now() + dt.timedelta(seconds=3)).replace(microsecond=0)
        services.release_publish(release=release, by=actors["issuer_admin"], embargo_at=embargo)
        with workers(tmp_path, 1, smtp_url=url):
            wait_until(lambda: unfinished() == 0 and Release.objects.get(pk=release.pk).state == "published",
                       timeout=60, what="the embargo")
            first_arrival = sink.received[0][3] if sink.received else None
            assert first_arrival is not None and first_arrival >= embargo.timestamp()
            release.refresh_from_db()
            assert release.state == "published"
            services.release_withdraw(release=release, by=actors["wire_editor"], reason="Sent in error.")
            wait_until(lambda: unfinished() == 0, timeout=60, what="the kill notices")
    kills = Delivery.objects.filter(release=release, action="withdraw")
    assert kills.count() == 51
    assert not kills.filter(~Q(state="delivered")).exists()
    last_webhook = sink.received[-1][2]
    assert b'"pubStatus": "canceled"' in last_webhook or b'"pubStatus":"canceled"' in last_webhook
    per_reader = Counter(envelope.rcpt_tos[0] for envelope in handler.envelopes)
    assert set(per_reader.values()) == {2}
