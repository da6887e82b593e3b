"""The log keeps to what an operator should look at: a missing page warns only when someone signed in hit it."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.test import Client

from wireroom.accounts.models import Membership


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
