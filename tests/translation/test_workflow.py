from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from tests.support.translation import chinese_release, configure, english_release, libretranslate_server
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from wireroom.releases import services as releases
from wireroom.releases.models import Localization, Release
from wireroom.releases.services import LocalizationInput, ReleaseInput, release_update
from wireroom.translation import services
from wireroom.translation.models import JobState, TranslationJob
from wireroom.translation.worker import lease, work_due

pytestmark = pytest.mark.django_db

MakeRelease = Callable[..., Release]


@pytest.fixture
def english(make_release: MakeRelease, actors: dict[str, Membership]) -> Release:
    release = make_release("draft", **english_release())
    services.glossary_set(organization=release.issuer, language="es", by=actors["issuer_admin"],
                          terms={"Nahr Energy": "", "Sun Cloud": "Nube Solar"})
    services.glossary_set(organization=release.issuer, language="pt", by=actors["issuer_admin"],
                          terms={"Nahr Energy": "", "Sun Cloud": "Nuvem Solar"})
    return release


def test_requesting_languages_queues_jobs_and_translates_nothing_yet(english: Release,
                                                                    actors: dict[str, Membership]) -> None:
    jobs = services.translation_request(release=english, languages=["es", "pt"], by=actors["issuer_member"])
    assert [(job.language_id, job.state) for job in jobs] == [("es", "pending"), ("pt", "pending")]
    assert list(english.localizations.values_list("language_id", flat=True)) == ["en"]
    entry = AuditEntry.objects.get(action="translation.request")
    assert entry.data == {"languages": ["es", "pt"]}


def test_the_worker_drafts_spanish_with_apertium_and_portuguese_by_pivot(english: Release,
                                                                          actors: dict[str, Membership]) -> None:
    services.translation_request(release=english, languages=["es", "pt"], by=actors["issuer_admin"])
    assert work_due(worker="w1") == 2
    spanish = Localization.objects.get(release=english, language="es")
    assert spanish.origin == "machine" and spanish.translated_from_id == "en"
    assert spanish.review_state == "unreviewed"
    assert spanish.headline.startswith("Nahr Energy ")
    assert "<strong>1,250" in spanish.body_html and "50,000" in spanish.body_html
    assert '<a href="https://nahr.example/plant-2026"' in spanish.body_html
    assert "https://nahr.example/press" in spanish.body_html and "press@nahr.example" in spanish.body_html
    assert "Nube Solar" in spanish.body_html and "Sun Cloud" not in spanish.body_html
    assert [hop["engine"] for hop in spanish.engine_chain] == ["apertium"]
    assert spanish.engine == "apertium"
    assert spanish.checks["language"] == []
    assert not [f for f in spanish.checks["quality"] if f["check"] in ("number_lost", "url_lost", "glossary")]

    portuguese = Localization.objects.get(release=english, language="pt")
    assert [(hop["source"], hop["target"]) for hop in portuguese.engine_chain] == [("en", "es"), ("es", "pt")]
    assert portuguese.engine == "apertium via es"
    assert "Nuvem Solar" in portuguese.body_html and "1,250" in portuguese.body_html
    assert portuguese.checks["language"] == []
    assert set(TranslationJob.objects.values_list("state", flat=True)) == {"done"}
    assert AuditEntry.objects.filter(action="translation.draft").count() == 2


def test_a_simplified_chinese_release_gets_a_traditional_draft_from_opencc(
        make_release: MakeRelease, actors: dict[str, Membership], monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, opencc_variant="taiwan")
    release = make_release("draft", **chinese_release())
    services.translation_request(release=release, languages=["zh-Hant"], by=actors["issuer_admin"])
    work_due(worker="w1")
    draft = Localization.objects.get(release=release, language="zh-Hant")
    assert draft.headline == "納爾能源在深圳啟用太陽能海水淡化廠"
    assert "<strong>1,250立方米</strong>" in draft.body_html and "press@nahr.example" in draft.body_html
    assert draft.engine_chain[0]["engine"] == "opencc" and "s2tw" in draft.engine_chain[0]["version"]
    assert draft.checks["language"] == []


def test_a_language_no_engine_reaches_is_refused_and_nothing_is_queued(english: Release,
                                                                     actors: dict[str, Membership]) -> None:
    with pytest.raises(InvalidInput, match="reaches th from en") as refused:
        services.translation_request(release=english, languages=["es", "th"], by=actors["issuer_admin"])
    assert refused.value.details == {"languages": ["th"]}
    assert not TranslationJob.objects.exists()


@pytest.mark.parametrize(("languages", "message"), [
    ([], "at least one language"), (["xx"], "Unknown languages: xx"), (["en"], "original language"),
])
def test_bad_language_lists_are_refused(english: Release, actors: dict[str, Membership], languages: list[str],
                                        message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        services.translation_request(release=english, languages=languages, by=actors["issuer_admin"])


def test_a_localization_a_person_wrote_is_never_replaced_by_a_machine_draft(english: Release,
                                                                           actors: dict[str, Membership]) -> None:
    release_update(release=english, by=actors["issuer_admin"], data=ReleaseInput(localizations=[LocalizationInput(
        language="es", headline="Nahr Energy abre una planta", body_html="<p>Texto.</p>", origin="human",
        translated_from="en", translator="Lucía Pérez")]))
    with pytest.raises(InvalidInput, match="written by a person: es"):
        services.translation_request(release=english, languages=["es"], by=actors["issuer_admin"])


def test_another_organization_cannot_request_translations(english: Release, actors: dict[str, Membership]) -> None:
    with pytest.raises(NotFound):
        services.translation_request(release=english, languages=["es"], by=actors["other_issuer_admin"])


def test_an_issuer_cannot_request_translations_once_the_release_is_submitted(
        make_release: MakeRelease, actors: dict[str, Membership]) -> None:
    release = make_release("submitted", **english_release())
    with pytest.raises(IllegalTransition):
        services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    assert services.translation_request(release=release, languages=["es"], by=actors["wire_editor"])


def test_a_draft_for_a_release_published_meanwhile_is_not_written(make_release: MakeRelease,
                                                                  actors: dict[str, Membership]) -> None:
    release = make_release("approved", **english_release())
    services.translation_request(release=release, languages=["es"], by=actors["wire_editor"])
    Release.objects.filter(pk=release.pk).update(state="published")
    work_due(worker="w1")
    job = TranslationJob.objects.get()
    assert job.state == "failed" and "became published" in job.last_error
    assert not Localization.objects.filter(release=release, language="es").exists()


def test_an_engine_failure_is_retried_later_and_given_up_after_the_last_attempt(
        english: Release, actors: dict[str, Membership], monkeypatch: pytest.MonkeyPatch) -> None:
    with libretranslate_server() as server:
        configure(monkeypatch, engines=["libretranslate"], libretranslate_url=server.url())
        services.translation_request(release=english, languages=["fr"], by=actors["issuer_admin"])
        server.fail_with = 503
        now = timezone.now()
        work_due(worker="w1", now=now)
        job = TranslationJob.objects.get()
        assert job.state == "retrying" and job.attempts == 1 and "answered 503" in job.last_error
        assert job.next_attempt_at >= now + dt.timedelta(seconds=services.RETRY_BASE_SECONDS)
        assert work_due(worker="w1", now=now) == 0  # not due yet
        for _ in range(services.MAX_ATTEMPTS - 1):
            now += dt.timedelta(hours=1)
            work_due(worker="w1", now=now)
        job.refresh_from_db()
        assert job.state == "failed" and job.attempts == services.MAX_ATTEMPTS
        assert job.last_error.startswith(f"gave up after {services.MAX_ATTEMPTS} attempts")
        server.fail_with = None
        services.translation_request(release=english, languages=["fr"], by=actors["issuer_admin"])
        work_due(worker="w1")
    assert Localization.objects.get(release=english, language="fr").engine_chain[0]["engine"] == "libretranslate"


def test_a_job_whose_worker_died_is_taken_up_again_when_its_lease_runs_out(english: Release,
                                                                          actors: dict[str, Membership]) -> None:
    services.translation_request(release=english, languages=["es"], by=actors["issuer_admin"])
    now = timezone.now()
    [held] = lease(worker="dead", now=now)
    assert lease(worker="w2", now=now) == []
    [again] = lease(worker="w2", now=now + dt.timedelta(seconds=601))
    assert again.pk == held.pk and again.attempts == 2
    assert services.translation_job_run(job=held, worker="dead") == JobState.LEASED  # its late result is dropped
    assert not Localization.objects.filter(release=english, language="es").exists()
    assert services.translation_job_run(job=again, worker="w2") == JobState.DONE
    assert Localization.objects.filter(release=english, language="es", origin="machine").exists()


def test_only_issuer_admins_and_editors_change_a_glossary(english: Release, actors: dict[str, Membership]) -> None:
    with pytest.raises(NotAllowed):
        services.glossary_set(organization=english.issuer, language="es", terms={}, by=actors["issuer_member"])
    with pytest.raises(NotAllowed):
        services.glossary_set(organization=english.issuer, language="es", terms={},
                              by=actors["other_issuer_admin"])
    rows = services.glossary_set(organization=english.issuer, language="es", terms={" Nahr  Energy ": ""},
                                 by=actors["wire_editor"])
    assert [(row.term, row.translation) for row in rows] == [("Nahr Energy", "")]




def test_a_release_without_its_original_text_cannot_be_translated(make_release: MakeRelease,
                                                                  actors: dict[str, Membership]) -> None:
    release = make_release("draft", original_language="en", localizations=[LocalizationInput(
        language="ar", headline="نهر للطاقة", body_html="<p>نص.</p>")])
    with pytest.raises(InvalidInput, match="Add the en text"):
        services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])


def test_text_the_issuer_sends_over_a_machine_draft_is_theirs_and_needs_no_acceptance(
        english: Release, actors: dict[str, Membership]) -> None:
    services.translation_request(release=english, languages=["es"], by=actors["issuer_admin"])
    work_due(worker="w1")
    assert Localization.objects.get(release=english, language="es").issuer_acceptance == "pending"
    release_update(release=english, by=actors["issuer_admin"], data=ReleaseInput(localizations=[LocalizationInput(
        language="es", headline="Nahr Energy abre una planta desaladora", body_html="<p>Texto revisado.</p>",
        origin="machine", engine="apertium", translated_from="en")]))
    edited = Localization.objects.get(release=english, language="es")
    # The draft's quality findings go with it; the text is checked afresh for its language.
    assert (edited.issuer_acceptance, edited.engine_chain, edited.checks) == ("", [], {"language": []})


def test_a_localization_declared_german_but_written_in_french_is_flagged_when_written_and_at_submission(
        english: Release, actors: dict[str, Membership]) -> None:
    release_update(release=english, by=actors["issuer_admin"], data=ReleaseInput(localizations=[LocalizationInput(
        language="de", headline="Nahr Energy ouvre une usine de dessalement à Valence",
        body_html="<p>La société a ouvert aujourd’hui sa nouvelle usine, qui fonctionne entièrement à l’énergie "
                  "solaire et produit de l’eau potable pour cinquante mille foyers.</p>",
        origin="human", translated_from="en", translator="Jean Martin")]))
    german = english.localizations.get(language_id="de")
    assert [(f["check"], f["detected"]) for f in german.checks["language"]] == [("language", "fr")]
    # Findings stored before the checks ran at submission are made afresh when the release is submitted.
    english.localizations.update(checks={})
    releases.release_submit(release=english, by=actors["issuer_admin"])
    checked = {loc.language_id: loc.checks["language"] for loc in english.localizations.all()}
    assert [(f["check"], f["detected"]) for f in checked["de"]] == [("language", "fr")]
    assert checked["en"] == []
