from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.api import ApiClient
from tests.support.translation import english_release
from wireroom.releases.models import Release
from wireroom.releases.services import LocalizationInput
from wireroom.translation.models import TranslationJob
from wireroom.translation.worker import work_due

pytestmark = pytest.mark.django_db

Api = Callable[[str | None], ApiClient]

FRENCH_AS_GERMAN = LocalizationInput(
    language="de", headline="Nahr Energy ouvre une usine de dessalement à Valence",
    body_html="<p>La société a ouvert aujourd’hui sa nouvelle usine, qui fonctionne entièrement à l’énergie "
              "solaire et produit de l’eau potable pour cinquante mille foyers.</p>",
    origin="human", translated_from="en", translator="Jean Martin",
)


def test_an_issuer_requests_languages_and_follows_the_drafts_through_the_api(make_release: Callable[..., Release],
                                                                            api: Api) -> None:
    release = make_release("draft", **english_release())
    client = api("issuer_member")
    answer = client.post(f"/api/v1/releases/{release.pk}/translations", {"languages": ["es", "pt"]})
    assert answer.status_code == 202, answer.content
    assert [(job["language"], job["state"]) for job in answer.json()["jobs"]] == [("es", "pending"),
                                                                                   ("pt", "pending")]
    work_due(worker="w1")
    progress = client.get(f"/api/v1/releases/{release.pk}/translations").json()
    portuguese = progress["jobs"][1]
    assert portuguese["state"] == "done" and portuguese["review_state"] == "unreviewed"
    assert [hop["target"] for hop in portuguese["engine_chain"]] == ["es", "pt"]
    assert portuguese["checks"]["language"] == []


def test_an_unreachable_language_is_a_422_in_the_one_error_shape(make_release: Callable[..., Release],
                                                               api: Api) -> None:
    release = make_release("draft", **english_release())
    answer = api("issuer_admin").post(f"/api/v1/releases/{release.pk}/translations", {"languages": ["th"]})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"
    assert answer.json()["error"]["details"] == {"languages": ["th"]}
    assert not TranslationJob.objects.exists()


def test_an_empty_language_list_is_a_422(make_release: Callable[..., Release], api: Api) -> None:
    release = make_release("draft", **english_release())
    answer = api("issuer_admin").post(f"/api/v1/releases/{release.pk}/translations", {"languages": []})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "invalid_input"


def test_another_organizations_release_is_404(make_release: Callable[..., Release], api: Api) -> None:
    release = make_release("draft", **english_release())
    client = api("other_issuer_admin")
    assert client.post(f"/api/v1/releases/{release.pk}/translations", {"languages": ["es"]}).status_code == 404
    assert client.get(f"/api/v1/releases/{release.pk}/translations").status_code == 404


def test_a_localization_declared_german_but_written_in_french_is_flagged_on_import(
        make_release: Callable[..., Release], api: Api) -> None:
    release = make_release("draft", **english_release())
    answer = api("issuer_admin").patch(f"/api/v1/releases/{release.pk}", {"localizations": [{
        "language": "de", "headline": FRENCH_AS_GERMAN.headline, "body_html": FRENCH_AS_GERMAN.body_html,
        "origin": "human", "translated_from": "en", "translator": "Jean Martin"}]})
    assert answer.status_code == 200
    assert [(f["check"], f["detected"]) for f in answer.json()["language_flags"]["de"]] == [("language", "fr")]
    flags = api("wire_editor").get(f"/api/v1/releases/{release.pk}/translations").json()["language_flags"]
    assert [(f["check"], f["declared"], f["detected"]) for f in flags["de"]] == [("language", "de", "fr")]
    assert set(flags) == {"de"}


def test_the_issuer_admin_sets_and_reads_the_glossary(api: Api, issuer_org: object) -> None:
    client = api("issuer_admin")
    body = '{"terms": [{"term": "Sun Cloud", "translation": "Nube Solar"}, {"term": "Nahr Energy"}]}'
    answer = client.client.put("/api/v1/glossary/es", body, content_type="application/json", headers=client.headers)
    assert answer.status_code == 200, answer.content
    assert client.get("/api/v1/glossary/es").json() == {
        "organization": "nahr-energy", "language": "es",
        "terms": [{"term": "Nahr Energy", "translation": ""}, {"term": "Sun Cloud", "translation": "Nube Solar"}]}
    member = api("issuer_member")
    refused = member.client.put("/api/v1/glossary/es", '{"terms": []}', content_type="application/json",
                                headers=member.headers)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_a_glossary_for_an_unknown_language_is_refused(api: Api) -> None:
    client = api("issuer_admin")
    answer = client.client.put("/api/v1/glossary/xx", '{"terms": []}', content_type="application/json",
                               headers=client.headers)
    assert answer.status_code == 422


