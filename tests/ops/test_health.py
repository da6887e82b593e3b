"""/healthz says the web server answers; /readyz says the wire works: database, migrations, a worker, the clock."""

from __future__ import annotations

import datetime as dt
import json
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.workers import start_worker, wait_until
from wireroom.distribution.heartbeat import heartbeat_record
from wireroom.releases import embargo
from wireroom.releases.models import Release, State

pytestmark = pytest.mark.django_db(transaction=True)


def readiness(client: Client) -> tuple[int, dict[str, Any]]:
    answer = client.get("/readyz")
    assert answer["Content-Type"] == "application/json"
    return answer.status_code, json.loads(answer.content)


def failing(body: dict[str, Any]) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_healthz_answers_without_asking_anything_of_the_database(client: Client,
                                                                django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        answer = client.get("/healthz")
    assert (answer.status_code, json.loads(answer.content)) == (200, {"status": "ok"})


@pytest.mark.slow
def test_readyz_turns_unready_when_the_worker_stops_and_ready_again_when_one_starts(
        client: Client, tmp_path: Path, settings: Any) -> None:
    settings.READY_WORKER_SECONDS = 2
    status, body = readiness(client)
    assert (status, body["status"], failing(body)) == (503, "unready", {"worker"})
    assert body["checks"]["database"] == {"ok": True} and body["checks"]["migrations"] == {"ok": True}

    beats = {"WIREROOM_WORKER_HEARTBEAT_SECONDS": "0.3"}
    worker = start_worker(tmp_path, extra=beats)
    try:
        wait_until(lambda: readiness(client)[0] == 200, timeout=60, what="the worker's first heartbeat")
        status, body = readiness(client)
        assert (body["status"], failing(body)) == ("ready", set())
        # Killed outright, the worker cannot say goodbye: its last heartbeat ages past the limit.
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        wait_until(lambda: readiness(client)[0] == 503, timeout=30, what="the heartbeat to age out")
        status, body = readiness(client)
        assert failing(body) == {"worker"}
        assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] >= 2
    finally:
        worker.kill()
        worker.wait(timeout=30)

    worker = start_worker(tmp_path, extra=beats)
    try:
        wait_until(lambda: readiness(client)[0] == 200, timeout=60, what="a new worker's heartbeat")
        # Stopped cleanly, a worker removes its heartbeat at once: what is left is the killed one's, long stale.
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        status, body = readiness(client)
        assert (status, failing(body)) == (503, {"worker"})
        assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] >= 2
    finally:
        worker.kill()
        worker.wait(timeout=30)


def test_readyz_turns_unready_while_a_due_release_waits_past_its_embargo_and_ready_once_it_is_published(
        client: Client, make_release: Callable[..., Release], settings: Any) -> None:
    settings.READY_EMBARGO_LATE_SECONDS = 5
    heartbeat_record(worker="a worker whose clock is stuck", clock=True)
    release = make_release("scheduled")
    assert readiness(client)[0] == 200  # its embargo is an hour away

    Release.objects.filter(pk=release.pk).update(embargo_at=timezone.now() - dt.timedelta(seconds=3))
    assert readiness(client)[0] == 200  # due, but within the allowed lateness

    Release.objects.filter(pk=release.pk).update(embargo_at=timezone.now() - dt.timedelta(seconds=30))
    status, body = readiness(client)
    assert (status, failing(body)) == (503, {"embargo_clock"})
    assert body["checks"]["embargo_clock"]["late_seconds"] >= 30
    assert body["checks"]["embargo_clock"]["limit_seconds"] == 5

    assert embargo.publish_due() == 1  # the clock's next tick catches up
    assert Release.objects.get(pk=release.pk).state != State.SCHEDULED
    status, body = readiness(client)
    assert (status, failing(body)) == (200, set())
    assert body["checks"]["embargo_clock"] == {"ok": True, "late_seconds": 0.0, "limit_seconds": 5}
