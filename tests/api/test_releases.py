"""The API: the whole life of a release over HTTP, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.support.api import ApiClient
from wireroom.accounts.models import ApiKey
from wireroom.audit.models import AuditEntry
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

DRAFT: dict[str, Any] = {
    "kind": "press_release",
    "original_language": "th",
    "sectors": ["food-beverage", "daily-news"],
    "countries": ["TH", "MY"],
    "regions": ["asean"],
    "languages": ["th", "en"],
    "dateline": "กรุงเทพฯ",
    "contacts": [{"name": "Pim Suksawat", "email": "press@siam-orchid.example", "phone": "+66 2 555 0100"}],
    "localizations": [
        {"language": "th", "headline": "สยามออร์คิดฟู้ดส์เปิดโรงงานแห่งใหม่ในเชียงใหม่",
         "summary": "โรงงานใหม่จะเพิ่มกำลังการผลิตขึ้นสองเท่า",
         "body_html": "<p>บริษัทประกาศเปิดโรงงานแห่งใหม่วันนี้</p><script>alert(1)</script>"},
    ],
}


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    assert body["error"]["message"]
    return dict(body["error"])


def test_the_whole_life_of_a_release_over_the_api(api: Callable[[str | None], ApiClient]) -> None:
    issuer, editor = api("issuer_admin"), api("wire_editor")
    created = issuer.post("/api/v1/releases", DRAFT)
    assert created.status_code == 201, created.content
    body = created.json()
    release_id = body["id"]
    assert body["state"] == "draft"
    assert body["removed_html"] == {"th": ["<script> element"]}
    assert "<script" not in str(body["item"])

    patched = issuer.patch(f"/api/v1/releases/{release_id}", {"localizations": [
        {"language": "en", "headline": "Siam Orchid Foods opens a new plant in Chiang Mai",
         "body_html": "<p>The company opened its new plant today.</p>", "origin": "machine",
         "engine": "apertium", "translated_from": "th"}]})
    assert patched.status_code == 200, patched.content
    assert [a["language"] for a in patched.json()["item"]["associations"]] == ["en"]

    assert issuer.post(f"/api/v1/releases/{release_id}/submit").json()["state"] == "submitted"
    assert editor.post(f"/api/v1/releases/{release_id}/review").json()["state"] == "in_review"
    sent_back = editor.post(f"/api/v1/releases/{release_id}/request-changes", {"note": "Add the plant's size."})
    assert sent_back.json()["review_note"] == "Add the plant's size."
    assert issuer.post(f"/api/v1/releases/{release_id}/submit").json()["state"] == "submitted"
    assert editor.post(f"/api/v1/releases/{release_id}/approve").json()["state"] == "approved"

    embargo = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    scheduled = issuer.post(f"/api/v1/releases/{release_id}/publish", {"embargo_at": embargo.isoformat()})
    assert scheduled.json()["state"] == "scheduled"
    assert issuer.post(f"/api/v1/releases/{release_id}/unschedule").json()["state"] == "approved"
    published = issuer.post(f"/api/v1/releases/{release_id}/publish")
    assert published.json()["state"] == "published"
    assert published.json()["item"]["pubStatus"] == "usable"

    corrected = editor.post(f"/api/v1/releases/{release_id}/correct", {"note": "Plant is in Lamphun."})
    assert corrected.json()["version"] == 2
    assert corrected.json()["item"]["edNote"] == "Plant is in Lamphun."
    withdrawn = editor.post(f"/api/v1/releases/{release_id}/withdraw", {"reason": "Duplicate."})
    assert withdrawn.json()["state"] == "withdrawn"
    assert withdrawn.json()["item"]["pubStatus"] == "canceled"
    got = issuer.get(f"/api/v1/releases/{release_id}")
    assert got.status_code == 200
    assert got["X-Wireroom-State"] == "withdrawn"
    assert got.json()["uri"] == f"urn:wireroom:release:{release_id}"


def test_item_renditions_include_the_public_page(api: Callable[[str | None], ApiClient],
                                                 make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    item = api("wire_editor").get(f"/api/v1/releases/{release.id}").json()
    pages = [r for r in item["renditions"] if r["contentType"] == "text/html"]
    assert pages and pages[0]["href"].endswith(f"/releases/{release.id}/ar/")


def test_another_organizations_unpublished_release_is_not_found_and_its_published_one_is_read_only(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    unpublished = make_release("approved")
    release = make_release("published")
    other = api("other_issuer_admin")
    for response in (other.get(f"/api/v1/releases/{unpublished.id}"),
                     other.post(f"/api/v1/releases/{release.id}/withdraw", {"reason": "mine now"}),
                     other.patch(f"/api/v1/releases/{release.id}", {"dateline": "Elsewhere"})):
        assert response.status_code == 404
        assert _error(response)["code"] == "not_found"
    assert other.get(f"/api/v1/releases/{release.id}").status_code == 200
    listed = [item["uri"].rsplit(":", 1)[1] for item in other.get("/api/v1/releases").json()["items"]]
    assert listed == [str(release.id)]


def test_issuers_list_only_their_own_releases_and_pages_follow_the_cursor(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release]
) -> None:
    ids = {str(make_release("draft").id) for _ in range(5)}
    client = api("issuer_member")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/releases", **params).json()
        seen += [item["uri"].rsplit(":", 1)[1] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5
    assert set(seen) == ids


@pytest.mark.parametrize(("path", "method", "body", "status", "code"), [
    ("/api/v1/releases", "post", "{not json", 400, None),
    ("/api/v1/releases", "post", '{"original_language": 7, "localizations": "many"}', 422, "invalid_input"),
    ("/api/v1/releases", "post", '{"original_language": "xx", "localizations": [{"language": "xx", '
                                 '"headline": "h", "body_html": "<p>b</p>"}]}', 422, "invalid_input"),
    ("/api/v1/releases", "post", '{"original_language": "en", "localizations": [{"language": "en", '
                                 '"headline": "h", "body_html": "<script>x</script>"}]}', 422, "invalid_input"),
    ("/api/v1/releases", "post", '[]', 422, "invalid_input"),
    ("/api/v1/releases?cursor=%%%", "get", None, 422, "invalid_input"),
    ("/api/v1/releases?cursor=MjAyNi0xMS0yOVQwMDowMDowMCswMDowMHxub3QtYS11dWlk", "get", None, 422,
     "invalid_input"),
    ("/api/v1/releases?cursor=MjAyNi0xMS0yOVQwMDowMDowMHw3ZDNjMWM0ZS00YThlLTRmNjEtOWQ1ZS0yZjBiOWE2YzFlNTU",
     "get", None, 422, "invalid_input"),
    ("/api/v1/releases?limit=100000", "get", None, 422, "invalid_input"),
    ("/api/v1/releases/not-a-uuid", "get", None, 404, "not_found"),
])
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    api: Callable[[str | None], ApiClient], path: str, method: str, body: str | None, status: int,
    code: str | None,
) -> None:
    client = api("issuer_admin")
    audit_before = AuditEntry.objects.count()
    response = client.post(path, raw=body) if method == "post" else client.get(path)
    assert response.status_code == status, response.content
    error = _error(response)
    if code:
        assert error["code"] == code
    assert not Release.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_huge_body_is_refused_with_413(api: Callable[[str | None], ApiClient]) -> None:
    body = dict(DRAFT, localizations=[dict(DRAFT["localizations"][0], body_html="<p>" + "x" * 20_000 + "</p>")])
    response = api("issuer_admin").post("/api/v1/releases", body)
    assert response.status_code == 413
    assert _error(response)["code"] == "too_large"
    assert not Release.objects.exists()


def test_illegal_transition_is_a_409_with_the_current_state(api: Callable[[str | None], ApiClient],
                                                           make_release: Callable[..., Release]) -> None:
    release = make_release("draft")
    response = api("wire_editor").post(f"/api/v1/releases/{release.id}/approve")
    assert response.status_code == 409
    assert _error(response)["details"] == {"state": "draft"}


def test_issuer_cannot_approve_its_own_release(api: Callable[[str | None], ApiClient],
                                              make_release: Callable[..., Release]) -> None:
    release = make_release("submitted")
    response = api("issuer_admin").post(f"/api/v1/releases/{release.id}/approve")
    assert response.status_code == 403
    release.refresh_from_db()
    assert release.state == "submitted"


def test_requests_without_a_valid_key_are_refused(api: Callable[[str | None], ApiClient],
                                                  api_key_for: Callable[[str], str]) -> None:
    assert api(None).get("/api/v1/releases").status_code == 401
    assert ApiClient("wr_not-a-real-key").get("/api/v1/releases").status_code == 401
    key = api_key_for("issuer_admin")
    ApiKey.objects.update(revoked_at=timezone.now())
    response = ApiClient(key).get("/api/v1/releases")
    assert response.status_code == 401
    assert _error(response)["code"] == "unauthenticated"


def test_api_keys_are_stored_only_as_digests(api_key_for: Callable[[str], str]) -> None:
    key = api_key_for("issuer_admin")
    stored = ApiKey.objects.get()
    assert key not in (stored.digest, stored.prefix)
    assert key.startswith(stored.prefix)


def test_openapi_document_is_served(api: Callable[[str | None], ApiClient]) -> None:
    response = api(None).get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/releases/{release_id}/withdraw" in paths


def test_editors_mark_a_machine_translation_reviewed_and_issuers_cannot(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    from wireroom.releases.models import Localization

    release = make_release("submitted")
    path = f"/api/v1/releases/{release.id}/localizations/en/review"
    assert api("issuer_admin").post(path).status_code == 403
    assert api("wire_editor").post(path).status_code == 200
    assert Localization.objects.get(release=release, language_id="en").review_state == "reviewed"
    assert AuditEntry.objects.filter(action="localization.review").count() == 1
    missing = api("wire_editor").post(f"/api/v1/releases/{release.id}/localizations/th/review")
    assert missing.status_code == 422
