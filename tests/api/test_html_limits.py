"""Body HTML that would cost the server too much is refused at once, in the API's error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.api import ApiClient
from wireroom.audit.models import AuditEntry
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

DEEP = "<ul>" * 49_999 + "x"
LANGUAGES = ["en", "ar", "de", "fr", "es", "pt", "ru", "ja", "ko"]


def _draft(bodies: dict[str, str]) -> dict[str, Any]:
    return {
        "original_language": "en",
        "sectors": ["energy"],
        "localizations": [{"language": language, "headline": "Nahr Energy opens a plant", "body_html": body}
                          for language, body in bodies.items()],
    }


def test_nine_deeply_nested_bodies_are_refused_as_too_much_html(api: Callable[[str | None], ApiClient]) -> None:
    response = api("issuer_admin").post("/api/v1/releases", _draft(dict.fromkeys(LANGUAGES, DEEP)))
    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "at most 1,000,000" in error["message"]
    assert error["details"] == {"limit": 1_000_000, "received": 9 * len(DEEP)}
    assert not Release.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="release.").exists()


def test_a_deeply_nested_body_is_refused_naming_the_language_and_the_limit(
    api: Callable[[str | None], ApiClient],
) -> None:
    response = api("issuer_admin").post("/api/v1/releases", _draft({"en": "<p>Fine.</p>", "ar": DEEP}))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("The ar body nests its HTML more than 64 elements deep")
    assert error["details"] == {"language": "ar", "limit": 64}
    assert not Release.objects.exists()


def test_an_edit_with_a_deeply_nested_body_changes_nothing(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    release = make_release("draft")
    response = api("issuer_admin").patch(f"/api/v1/releases/{release.pk}", {
        "dateline": "Muscat", "localizations": [{"language": "en", "headline": "Deeper", "body_html": DEEP}]})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["details"] == {"language": "en", "limit": 64}
    release.refresh_from_db()
    assert release.dateline == "دبي"
    assert release.localizations.get(language="en").headline == "Nahr Energy opens a solar-powered desalination plant"
