"""Issue 11's acceptance: real engines, real worker code, real pages and API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.support.api import ApiClient
from tests.support.translation import chinese_release, configure, english_release
from wireroom.accounts.models import Membership
from wireroom.distribution.channels.email.render import render_email
from wireroom.releases import services as releases
from wireroom.releases.models import Release
from wireroom.translation import services
from wireroom.translation.worker import work_due

pytestmark = pytest.mark.django_db


def _publish(release: Release, actors: dict[str, Membership]) -> None:
    releases.release_submit(release=release, by=actors["issuer_admin"])
    releases.release_approve(release=release, by=actors["wire_editor"])
    releases.release_publish(release=release, by=actors["issuer_admin"])


def test_an_english_release_goes_out_in_spanish_and_portuguese_machine_drafts_labelled_as_such(
        make_release: Callable[..., Release], actors: dict[str, Membership],
        api: Callable[[str | None], ApiClient]) -> None:
    release = make_release("draft", **english_release())
    services.glossary_set(organization=release.issuer, language="pt", by=actors["issuer_admin"],
                          terms={"Nahr Energy": "", "Sun Cloud": "Nuvem Solar"})
    services.translation_request(release=release, languages=["es", "pt"], by=actors["issuer_admin"])
    work_due(worker="w1")
    services.localization_accept(release=release, language="es", by=actors["issuer_admin"])
    services.localization_accept(release=release, language="pt", by=actors["issuer_admin"], unreviewed=True)
    _publish(release, actors)

    page = Client().get(f"/releases/{release.pk}/pt/").content.decode()
    assert "Tradução automática não revista (apertium via es) do inglês" in page
    assert '<a href="https://nahr.example/plant-2026"' in page and "Nuvem Solar" in page and "1,250" in page
    spanish = Client().get(f"/releases/{release.pk}/es/").content.decode()
    assert "Traducción automática (apertium) del inglés" in spanish
    assert "press@nahr.example" in spanish and "https://nahr.example/press" in spanish

    release.refresh_from_db()
    email = render_email(release, release.version, "publish", "pt")
    assert "Tradução automática não revista (apertium via es) do inglês" in email["text"]
    assert "Tradução automática não revista (apertium via es) do inglês" in email["html"]
    assert "Traducción automática (apertium) del inglés" in render_email(release, 1, "publish", "es")["text"]

    item = api("issuer_admin").get(f"/api/v1/releases/{release.pk}").json()
    translations = {association["language"]: association for association in item["associations"]}
    assert translations["pt"]["digitalSourceType"]["literal"] == "apertium via es"
    assert translations["pt"]["digitalSourceType"]["name"] == "machine translation, unreviewed"
    assert translations["es"]["digitalSourceType"]["name"] == "machine translation"


def test_a_simplified_chinese_release_goes_out_in_traditional_chinese_from_opencc(
        make_release: Callable[..., Release], actors: dict[str, Membership],
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, opencc_variant="taiwan")
    release = make_release("draft", **chinese_release())
    services.translation_request(release=release, languages=["zh-Hant"], by=actors["issuer_admin"])
    work_due(worker="w1")
    services.localization_accept(release=release, language="zh-Hant", by=actors["issuer_admin"])
    _publish(release, actors)
    page = Client().get(f"/releases/{release.pk}/zh-Hant/").content.decode()
    assert "納爾能源在深圳啟用太陽能海水淡化廠" in page
    assert "機器翻譯（opencc），譯自" in page
    release.refresh_from_db()
    assert "機器翻譯（opencc），譯自" in render_email(release, release.version, "publish", "zh-Hant")["text"]
    assert "https://nahr.example/press" in page and "1,250" in page


def test_a_release_with_an_unaccepted_machine_draft_waits_and_says_why(
        make_release: Callable[..., Release], actors: dict[str, Membership],
        api: Callable[[str | None], ApiClient]) -> None:
    release = make_release("draft", **english_release())
    services.translation_request(release=release, languages=["es", "pt"], by=actors["issuer_admin"])
    work_due(worker="w1")
    services.localization_accept(release=release, language="es", by=actors["issuer_admin"])
    releases.release_submit(release=release, by=actors["issuer_admin"])
    releases.release_approve(release=release, by=actors["wire_editor"])
    answer = api("issuer_admin").post(f"/api/v1/releases/{release.pk}/publish")
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "illegal_transition" and error["details"] == {"state": "approved", "unaccepted": ["pt"]}
    assert "waits for the issuer to accept its machine translations (pt)" in error["message"]
    release.refresh_from_db()
    assert release.state == "approved" and release.version == 0
    progress = api("issuer_admin").get(f"/api/v1/releases/{release.pk}/translations").json()
    assert {job["language"]: job["issuer_acceptance"] for job in progress["jobs"]} == {"es": "accepted",
                                                                                        "pt": "pending"}
    accepted = api("issuer_admin").post(f"/api/v1/releases/{release.pk}/localizations/pt/accept",
                                        {"unreviewed": True})
    assert accepted.status_code == 200
    assert api("issuer_admin").post(f"/api/v1/releases/{release.pk}/publish").status_code == 200


def test_only_the_issuers_admins_accept_a_machine_draft(make_release: Callable[..., Release],
                                                        actors: dict[str, Membership],
                                                        api: Callable[[str | None], ApiClient]) -> None:
    release = make_release("draft", **english_release())
    services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    work_due(worker="w1")
    path = f"/api/v1/releases/{release.pk}/localizations/es/accept"
    assert api("issuer_member").post(path).status_code == 403
    assert api("wire_editor").post(path).status_code == 403
    assert api("other_issuer_admin").post(path).status_code == 404
    missing = api("issuer_admin").post(f"/api/v1/releases/{release.pk}/localizations/fr/accept")
    assert missing.status_code == 422 and "no fr translation waiting" in missing.json()["error"]["message"]
    assert api("issuer_admin").post(path).status_code == 200
