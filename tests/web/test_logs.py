"""The log keeps to what an operator should look at: a missing page warns only when someone signed in hit it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.email import make_contact, make_delivery
from tests.support.workers import child_database_url
from wireroom.accounts.models import Membership
from wireroom.distribution import ledger
from wireroom.distribution.channels.base import Result
from wireroom.lib.logs import JsonFormatter, event_fields
from wireroom.releases.models import Release


def _request_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name == "django.request" and record.levelno == logging.WARNING]


@pytest.mark.django_db
def test_missing_pages_asked_for_anonymously_do_not_warn(caplog: pytest.LogCaptureFixture) -> None:
    client = Client()
    with caplog.at_level(logging.INFO):
        assert client.get("/favicon.ico").status_code == 200
        assert client.get("/wp-login.php").status_code == 404
        assert client.get(f"/releases/{uuid.uuid4()}/en/").status_code == 404  # the view looked at the user
    assert _request_warnings(caplog) == []


@pytest.mark.django_db
def test_a_missing_page_a_signed_in_user_hit_warns(caplog: pytest.LogCaptureFixture,
                                                   actors: dict[str, Membership]) -> None:
    client = Client()
    client.force_login(actors["wire_editor"].user)
    with caplog.at_level(logging.INFO):
        assert client.get(f"/releases/{uuid.uuid4()}/en/").status_code == 404
        assert client.get("/console/nothing/").status_code == 404
    assert len(_request_warnings(caplog)) == 2


@pytest.mark.django_db
def test_client_errors_other_than_not_found_still_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        assert Client().post("/").status_code == 405
    assert _request_warnings(caplog) == ["Method Not Allowed (POST): /"]


def _worker_once(fmt: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_DATABASE_URL": child_database_url(),
            "WIREROOM_LOG_FORMAT": fmt}
    return subprocess.run([sys.executable, "-m", "wireroom", "worker", "--once"], env=env, capture_output=True,
                          text=True, timeout=120, check=True)


def _due(make_release: Callable[..., Release]) -> Release:
    release = make_release("scheduled")
    Release.objects.filter(pk=release.pk).update(embargo_at=timezone.now() - dt.timedelta(seconds=1))
    return release


@pytest.mark.django_db(transaction=True)
def test_with_json_logs_each_line_is_one_json_object_and_a_publication_names_its_release_and_version(
        make_release: Callable[..., Release], tmp_path: Path) -> None:
    release = _due(make_release)
    lines = _worker_once("json", tmp_path).stderr.splitlines()
    entries = [json.loads(line) for line in lines]  # every line parses: nothing else is written there
    published = [entry for entry in entries if entry.get("release") == str(release.pk)]
    assert len(published) == 1
    assert published[0]["version"] == 1
    assert published[0]["level"] == "INFO"
    assert published[0]["logger"] == "wireroom.releases.embargo"
    assert published[0]["message"].startswith(f"published {release.urn}")


@pytest.mark.django_db(transaction=True)
def test_with_text_logs_a_publication_line_ends_with_its_ids(make_release: Callable[..., Release],
                                                             tmp_path: Path) -> None:
    release = _due(make_release)
    lines = [line for line in _worker_once("text", tmp_path).stderr.splitlines() if release.urn in line]
    assert len(lines) == 1
    assert lines[0].endswith(f" release={release.pk} version=1")
    assert " INFO wireroom.releases.embargo published " in lines[0]


def test_a_json_line_keeps_a_traceback_inside_it() -> None:
    try:
        raise RuntimeError("the relay hung up")
    except RuntimeError:
        record = logging.getLogger("wireroom.distribution.dispatcher").makeRecord(
            "wireroom.distribution.dispatcher", logging.ERROR, __file__, 1, "channel %s failed on a batch of %d",
            ("email", 100), sys.exc_info(), extra={"channel": "email", "worker": "host:1:abc"})
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "channel email failed on a batch of 100"
    assert (entry["channel"], entry["worker"], entry["level"]) == ("email", "host:1:abc", "ERROR")
    assert "RuntimeError: the relay hung up" in entry["exception"]


@pytest.mark.django_db
def test_a_recorded_failure_warns_with_its_ids_and_a_delivered_copy_says_nothing_at_info(
        make_release: Callable[..., Release], caplog: pytest.LogCaptureFixture) -> None:
    release = make_release("published")
    rows = [make_delivery(release, make_contact(f"reader{n}@example.com"), "en", version=1) for n in range(2)]
    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=60, channel="email")
    assert {job.delivery_id for job in jobs} == {row.pk for row in rows}
    with caplog.at_level(logging.INFO, logger="wireroom.distribution.ledger"):
        ledger.ack(worker="w1", jobs=jobs, max_attempts=5, retry_delay=lambda _tries: 60.0, results=[
            Result(rows[0].pk, "delivered", receiver_ref="250 queued"),
            Result(rows[1].pk, "failed", error="550 5.1.1 no such user")])
    records = [record for record in caplog.records if record.name == "wireroom.distribution.ledger"]
    assert [(record.levelno, record.getMessage()) for record in records] == [
        (logging.WARNING, f"delivery {rows[1].pk} failed: 550 5.1.1 no such user")]
    assert event_fields(records[0]) == {"release": release.pk, "version": 1, "channel": "email",
                                        "delivery": rows[1].pk, "state": "failed", "worker": "w1"}


@pytest.mark.django_db
def test_an_unready_answer_to_a_health_probe_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        assert Client().get("/readyz").status_code == 503  # no worker runs here
        assert Client().get("/healthz").status_code == 200
    assert [record for record in caplog.records if record.name == "django.request"] == []
