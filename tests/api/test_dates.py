"""Dates at the edge: out-of-range and past embargoes, and crafted cursors, are clear 4xx errors."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.support.api import ApiClient
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]

DRAFT: dict[str, Any] = {
    "original_language": "en",
    "sectors": ["energy"],
    "localizations": [{"language": "en", "headline": "Nahr Energy names a new chief engineer",
                       "body_html": "<p>The appointment takes effect in March.</p>"}],
}


def _invalid(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"]
    return error


def _draft_count() -> int:
    return Release.objects.count()


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_an_out_of_range_embargo_is_refused_on_create(api: Callable[[str | None], ApiClient], moment: str) -> None:
    _invalid(api("issuer_admin").post("/api/v1/releases", {**DRAFT, "embargo_at": moment}))
    assert _draft_count() == 0


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_an_out_of_range_embargo_is_refused_on_edit(api: Callable[[str | None], ApiClient],
                                                    make_release: Callable[..., Release], moment: str) -> None:
    release = make_release("draft")
    _invalid(api("issuer_admin").patch(f"/api/v1/releases/{release.id}", {"embargo_at": moment}))
    release.refresh_from_db()
    assert release.embargo_at is None


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_an_out_of_range_embargo_is_refused_on_publish(api: Callable[[str | None], ApiClient],
                                                       make_release: Callable[..., Release], moment: str) -> None:
    release = make_release("approved")
    _invalid(api("issuer_admin").post(f"/api/v1/releases/{release.id}/publish", {"embargo_at": moment}))
    release.refresh_from_db()
    assert release.state == "approved"


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_a_crafted_cursor_with_an_out_of_range_date_is_refused(api: Callable[[str | None], ApiClient],
                                                               make_release: Callable[..., Release],
                                                               moment: str) -> None:
    make_release("draft")
    cursor = base64.urlsafe_b64encode(f"{moment}|00000000-0000-0000-0000-000000000000".encode()).decode()
    error = _invalid(api("issuer_admin").get("/api/v1/releases", cursor=cursor))
    assert "cursor" in error["message"]


def test_a_past_embargo_is_refused_on_create_with_the_same_error_as_on_publish(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    past = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    issuer = api("issuer_admin")
    on_create = _invalid(issuer.post("/api/v1/releases", {**DRAFT, "embargo_at": past}))
    assert _draft_count() == 0
    release = make_release("approved")
    on_publish = _invalid(issuer.post(f"/api/v1/releases/{release.id}/publish", {"embargo_at": past}))
    assert on_create == on_publish
    assert "past" in on_create["message"]


def test_a_past_embargo_is_refused_on_edit(api: Callable[[str | None], ApiClient],
                                           make_release: Callable[..., Release]) -> None:
    release = make_release("draft")
    past = (timezone.now() - dt.timedelta(days=3)).isoformat()
    error = _invalid(api("issuer_admin").patch(f"/api/v1/releases/{release.id}", {"embargo_at": past}))
    assert "past" in error["message"]
    release.refresh_from_db()
    assert release.embargo_at is None


def test_a_future_embargo_given_on_create_schedules_the_later_publish(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    embargo = (timezone.now() + dt.timedelta(hours=3)).replace(microsecond=0)
    release = make_release("approved", embargo_at=embargo)
    published = api("issuer_admin").post(f"/api/v1/releases/{release.id}/publish")
    assert published.json()["state"] == "scheduled"
    assert dt.datetime.fromisoformat(published.json()["embargo_at"]) == embargo
