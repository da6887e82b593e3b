"""Prometheus metrics: a real worker process's counters and the web server's figures from the database."""

from __future__ import annotations

import datetime as dt
import re
import signal
import socket
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.email import smtp_server
from tests.support.factories import readers
from tests.support.workers import start_worker, wait_until
from wireroom.distribution.models import Delivery
from wireroom.lib.metrics import error_class
from wireroom.releases.models import Release, State


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus's text format (the test fails if the series is missing)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.compile(rf"^{re.escape(name)}(\{{(?P<labels>[^}}]*)\}})? (?P<value>\S+)$", re.M)
    for match in pattern.finditer(text):
        found = ",".join(sorted((match.group("labels") or "").split(","))) if match.group("labels") else ""
        if found == wanted:
            return float(match.group("value"))
    raise AssertionError(f"no series {name}{{{wanted}}} in the metrics")


def scrape_web() -> str:
    response = Client().get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_metrics_follow_a_fan_out_from_its_backlog_to_every_copy_delivered(
        make_release: Callable[..., Release], tmp_path: Path) -> None:
    readers(120)
    release = make_release("published")
    assert Delivery.objects.filter(release=release, channel="email").count() == 120

    before = scrape_web()
    assert sample(before, "wireroom_ledger_backlog", channel="email", state="pending") == 120
    assert sample(before, "wireroom_ledger_due", channel="email") == 120
    assert sample(before, "wireroom_ledger_oldest_due_seconds", channel="email") >= 0
    assert sample(before, "wireroom_event_log_head_seq") >= 1

    port = free_port()
    with smtp_server() as (url, mailbox):
        worker = start_worker(tmp_path, smtp_url=url, extra={"WIREROOM_WORKER_METRICS_PORT": str(port)})
        try:
            wait_until(lambda: Delivery.objects.filter(release=release, state="delivered").count() == 120,
                       timeout=120, what="every copy delivered")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
                worker_metrics = response.read().decode()
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
    assert len(mailbox.envelopes) == 120
    assert sample(worker_metrics, "wireroom_deliveries_total", channel="email", outcome="delivered") == 120
    assert sample(worker_metrics, "wireroom_send_seconds_count", channel="email") == 120
    # The worker's own memory, for the capacity figures (`worker_rss_mb`).
    assert sample(worker_metrics, "process_resident_memory_bytes") > 0

    after = scrape_web()
    assert sample(after, "wireroom_ledger_backlog", channel="email", state="pending") == 0
    assert sample(after, "wireroom_ledger_due", channel="email") == 0
    assert sample(after, "wireroom_ledger_oldest_due_seconds", channel="email") == 0


@pytest.mark.django_db
def test_a_clock_that_falls_behind_shows_how_long_the_oldest_due_release_has_waited(
        make_release: Callable[..., Release]) -> None:
    assert sample(scrape_web(), "wireroom_embargo_clock_behind_seconds") == 0
    release = make_release("scheduled")
    # No worker runs here: the release's embargo passes and nobody publishes it.
    Release.objects.filter(pk=release.pk).update(embargo_at=timezone.now() - dt.timedelta(seconds=90))
    assert Release.objects.get(pk=release.pk).state == State.SCHEDULED
    assert sample(scrape_web(), "wireroom_embargo_clock_behind_seconds") >= 90


@pytest.mark.django_db
def test_metrics_are_refused_to_remote_clients_unless_they_bring_the_token(settings: object) -> None:
    remote = Client(REMOTE_ADDR="203.0.113.7")
    refused = remote.get("/metrics")
    assert refused.status_code == 403
    assert "WIREROOM_METRICS_TOKEN" in refused.json()["error"]["message"]

    settings.METRICS_TOKEN = "a-long-scrape-token"  # type: ignore[attr-defined]
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer a-long-scrape-token").status_code == 200
    # With a token set, loopback needs it too: behind a proxy every request comes from loopback.
    assert Client().get("/metrics").status_code == 403
    assert Client().post("/metrics").status_code == 405


@pytest.mark.parametrize(("channel", "error", "expected"), [
    ("webhook", "HTTP 503 Service Unavailable", "http_5xx"),
    ("webhook", "HTTP 410 ", "http_4xx"),
    ("webhook", "no answer within 10 s", "timeout"),
    ("webhook", "ClientConnectorError: Connection refused", "connection"),
    ("email", " 451 4.7.1 Try again later", "smtp_4xx"),
    ("email", " 550 5.1.1 No such user", "smtp_5xx"),
    ("webhook", "endpoint disabled: too many failures", "endpoint_disabled"),
    ("sftp", "host key changed", "other"),
])
def test_errors_are_counted_under_a_few_classes_so_the_series_stay_few(channel: str, error: str, expected: str) -> None:
    assert error_class(channel, error) == expected
