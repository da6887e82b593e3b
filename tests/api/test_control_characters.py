"""Control characters are refused at the edge, naming the field, and nothing is saved (on SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.api import ApiClient
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

DRAFT: dict[str, Any] = {
    "original_language": "en",
    "sectors": ["energy"],
    "dateline": "Muscat",
    "contacts": [{"name": "Layla Haddad", "email": "press@nahr-energy.example", "phone": "+968 2400 0000"}],
    "localizations": [{"language": "en", "headline": "Nahr Energy signs a solar supply deal in Oman",
                       "summary": "The deal runs fifteen years.",
                       "body_html": "<p>Supplies start in 2027.</p>"}],
}


def _with(path: tuple[Any, ...], value: str) -> dict[str, Any]:
    body = copy.deepcopy(DRAFT)
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def _refused(response: Any, where: str, code: str) -> None:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert where in error["message"] and code in error["message"]
    assert {"where": where, "problem": f"holds the control character {code}"} in error["details"]


@pytest.mark.parametrize(("path", "value", "where", "code"), [
    (("localizations", 0, "headline"), "Nahr Energy\x00 signs", "localizations.0.headline", "U+0000"),
    (("localizations", 0, "summary"), "Fifteen\x00 years.", "localizations.0.summary", "U+0000"),
    (("localizations", 0, "body_html"), "<p>Supplies\x00 start.</p>", "localizations.0.body_html", "U+0000"),
    (("contacts", 0, "name"), "Layla\x00 Haddad", "contacts.0.name", "U+0000"),
    (("contacts", 0, "email"), "press@nahr-energy.example\r\nBcc: all@example.com", "contacts.0.email", "U+000D"),
    (("contacts", 0, "phone"), "+968\n2400 0000", "contacts.0.phone", "U+000A"),
    (("contacts", 0, "organization"), "Nahr\x1b[31m Energy", "contacts.0.organization", "U+001B"),
    (("localizations", 0, "headline"), "Nahr Energy\nsigns a deal", "localizations.0.headline", "U+000A"),
    (("dateline",), "Muscat\r\nX-Injected: 1", "dateline", "U+000D"),
    (("localizations", 0, "summary"), "Fifteen\x07 years.", "localizations.0.summary", "U+0007"),
])
def test_a_control_character_is_refused_on_create_naming_the_field(
    api: Callable[[str | None], ApiClient], path: tuple[Any, ...], value: str, where: str, code: str,
) -> None:
    _refused(api("issuer_admin").post("/api/v1/releases", _with(path, value)), where, code)
    assert not Release.objects.exists()


def test_line_breaks_stay_allowed_in_a_summary_and_white_space_around_one_line_fields_is_trimmed(
    api: Callable[[str | None], ApiClient],
) -> None:
    body = _with(("localizations", 0, "summary"), "The deal runs\r\nfifteen years.\tIt starts in 2027.")
    body["contacts"][0]["email"] = "  press@nahr-energy.example\n"
    response = api("issuer_admin").post("/api/v1/releases", body)
    assert response.status_code == 201, response.content
    release = Release.objects.get()
    assert release.contacts[0]["email"] == "press@nahr-energy.example"
    assert release.localizations.get().summary == "The deal runs fifteen years. It starts in 2027."


def test_a_control_character_is_refused_on_edit_and_leaves_the_release_as_it_was(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    release = make_release("draft")
    response = api("issuer_admin").patch(f"/api/v1/releases/{release.id}", {
        "dateline": "Dubai", "localizations": [{"language": "en", "headline": "New\x00 headline",
                                                "body_html": "<p>New body.</p>"}]})
    _refused(response, "localizations.0.headline", "U+0000")
    release.refresh_from_db()
    assert release.dateline == "دبي"
    assert release.localizations.get(language="en").headline == "Nahr Energy opens a solar-powered desalination plant"


@pytest.mark.parametrize(("state", "action", "body", "where"), [
    ("submitted", "request-changes", {"note": "Add\x00 a contact."}, "note"),
    ("published", "correct", {"note": "Fixed\x00 the figure."}, "note"),
    ("published", "withdraw", {"reason": "Issued\x00 in error."}, "reason"),
])
def test_a_nul_in_a_note_or_reason_is_refused(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release], state: str, action: str,
    body: dict[str, str], where: str,
) -> None:
    release = make_release(state)
    _refused(api("wire_editor").post(f"/api/v1/releases/{release.id}/{action}", body), where, "U+0000")
    release.refresh_from_db()
    assert release.state == state


@pytest.mark.parametrize(("field", "value"), [("sectors", ["energy\x00"]), ("languages", ["en\x00"]),
                                              ("original_language", "en\x00"), ("countries", ["O\x00M"])])
def test_a_nul_in_a_taxonomy_key_is_an_unknown_value_not_a_server_error(
    api: Callable[[str | None], ApiClient], field: str, value: Any,
) -> None:
    response = api("issuer_admin").post("/api/v1/releases", {**DRAFT, field: value})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"


def test_a_nul_in_the_issuer_slug_is_refused(api: Callable[[str | None], ApiClient]) -> None:
    response = api("wire_editor").post("/api/v1/releases", {**DRAFT, "issuer": "nahr-energy\x00"})
    _refused(response, "issuer", "U+0000")


def test_a_nul_in_the_language_of_a_localization_review_is_refused(
    api: Callable[[str | None], ApiClient], make_release: Callable[..., Release],
) -> None:
    release = make_release("submitted")
    response = api("wire_editor").post(f"/api/v1/releases/{release.id}/localizations/en%00/review")
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"


def test_a_right_to_left_override_is_kept_in_the_stored_text(api: Callable[[str | None], ApiClient]) -> None:
    # Bidi formatting characters are legitimate in Arabic text: they are kept and isolated where shown.
    headline = "Nahr Energy \u202egnirts desrever\u202c signs a deal"
    response = api("issuer_admin").post("/api/v1/releases", _with(("localizations", 0, "headline"), headline))
    assert response.status_code == 201, response.content
    assert Release.objects.get().localizations.get().headline == headline


@pytest.mark.parametrize(("body", "where", "code"), [
    ({"url": "https://93.184.215.14/hook", "sectors": ["energy\x00"]}, "sectors.0", "U+0000"),
    ({"url": "https://93.184.215.14/hook\x00", "kinds": ["press_release"]}, "url", "U+0000"),
    ({"url": "https://93.184.215.14/hook", "kinds": ["press\r\nrelease"]}, "kinds.0", "U+000D"),
])
def test_a_control_character_in_a_webhook_endpoint_is_refused_before_anything_is_resolved(
    api: Callable[[str | None], ApiClient], body: dict[str, Any], where: str, code: str,
) -> None:
    from wireroom.mediadb.models import Outlet, OutletType
    from wireroom.subscriptions.models import WebhookEndpoint

    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    response = api("wire_editor").post(f"/api/v1/outlets/{outlet.pk}/endpoints", body)
    _refused(response, where, code)
    assert not WebhookEndpoint.objects.exists()
