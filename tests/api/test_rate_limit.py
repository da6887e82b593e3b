"""Every API key has an allowance of requests per minute; beyond it, 429 in the API's error shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import override_settings

from tests.support.api import ApiClient


@pytest.mark.django_db
@override_settings(API_RATE_PER_MINUTE=3)
def test_a_key_over_its_allowance_gets_429_with_retry_after_and_ratelimit_headers(
        api: Callable[[str | None], ApiClient]) -> None:
    issuer = api("issuer_admin")
    answers = [issuer.get("/api/v1/releases") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer["RateLimit"] for answer in answers] == [
        '"per-key";r=2;t=20', '"per-key";r=1;t=40', '"per-key";r=0;t=60']
    assert answers[0]["RateLimit-Policy"] == '"per-key";q=3;w=60'
    assert "Retry-After" not in answers[0]

    refused = issuer.get("/api/v1/releases")
    assert refused.status_code == 429
    assert refused.json()["error"] == {
        "code": "rate_limited",
        "message": "Too many requests with this API key: at most 3 in 60 s. Try again in 20 s.",
        "details": {"limit": 3, "window_seconds": 60, "retry_after_seconds": 20},
    }
    assert refused["Retry-After"] == "20"
    assert refused["RateLimit"] == '"per-key";r=0;t=60'
    # Writes are refused the same way, before they change anything.
    assert issuer.post("/api/v1/releases", {}).status_code == 429

    # Another key of the same organization has an allowance of its own.
    assert api("issuer_admin").get("/api/v1/releases").status_code == 200


@pytest.mark.django_db
@override_settings(API_RATE_PER_MINUTE=1)
def test_requests_without_a_valid_key_get_401_and_no_allowance_headers(
        api: Callable[[str | None], ApiClient]) -> None:
    for _ in range(3):
        answer = ApiClient("wr_not-a-key").get("/api/v1/releases")
        assert answer.status_code == 401
        assert "RateLimit" not in answer
