"""Corrections of a translated release: the corrected original goes out at once, its translations go out marked
"pending update", and each follows as a correction of its own: machine ones translated again by the worker (the
changed fields only), the translators' ones through their queue; with real Apertium (en→es, en→pt by pivot)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.support.api import ApiClient
from tests.support.factories import contact
from tests.support.standards import document_errors
from tests.support.translation import english_release, make_translator
from wireroom.accounts.models import Membership, Organization
from wireroom.distribution.channels.email.render import render_email
from wireroom.distribution.models import RenderedItem
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.releases import services as releases
from wireroom.releases.models import Acceptance, Localization, Origin, Release, TranslationUpdate
from wireroom.releases.services import LocalizationInput
from wireroom.translation import services
from wireroom.translation.models import JobState, TranslationJob
from wireroom.translation.selectors import UPDATE, translator_item, translator_queue, update_changes
from wireroom.translation.worker import work_due

pytestmark = pytest.mark.django_db

NEW_BODY = ("<p>Nahr Energy today opened its new desalination plant in Valencia. The plant produces "
            "<strong>1,400 cubic metres</strong> of drinking water every hour, enough for 56,000 homes.</p>")
PENDING_ES = "Traducción pendiente de actualización: el original se ha corregido y esta traducción lo seguirá."
UPDATED_ES = "Traducción actualizada según el original corregido."
PENDING_PT = "Tradução a aguardar atualização: o original foi corrigido e esta tradução vai segui-lo."
UPDATED_PT = "Tradução atualizada de acordo com o original corrigido."


@pytest.fixture
def translator(wire_org: Organization) -> Membership:
    return make_translator(wire_org, "moreau", "fr")


@pytest.fixture
def published(make_release: Callable[..., Release], actors: dict[str, Membership],
              translator: Membership) -> Release:
    """Out in English; Spanish by Apertium, accepted; Portuguese by Apertium through Spanish, let out unreviewed;
    French written by one of the wire's translators, accepted. Read by a journalist in each language."""
    release = make_release("draft", **english_release(languages=["en", "es", "pt", "fr"]))
    services.translation_request(release=release, languages=["es", "pt"], by=actors["issuer_admin"])
    work_due(worker="w1")
    admin = actors["issuer_admin"]
    services.localization_accept(release=release, language="es", by=admin)
    services.localization_accept(release=release, language="pt", by=admin, unreviewed=True)
    releases.release_submit(release=release, by=admin)
    services.translation_claim(release=release, language="fr", by=translator)
    services.translation_save(release=release, language="fr", by=translator, submit=True,
                              headline="Nahr Energy ouvre une usine de dessalement solaire à Valence",
                              summary="La nouvelle usine produit de l'eau potable pour 50 000 foyers.",
                              body_html="<p>Nahr Energy a ouvert aujourd'hui sa nouvelle usine de dessalement à "
                                        "Valence. L'usine produit <strong>1 250 mètres cubes</strong> d'eau potable "
                                        "par heure.</p>")
    services.localization_accept(release=release, language="fr", by=admin)
    releases.release_approve(release=release, by=actors["wire_editor"])
    for name, language in (("Ana", "es"), ("Joao", "pt"), ("Jeanne", "fr")):
        contact(name, languages=(language,))
    releases.release_publish(release=release, by=admin)
    release.refresh_from_db()
    return release


def _correct_the_body(release: Release, actors: dict[str, Membership]) -> None:
    original = release.localizations.get(language="en")
    releases.release_correct(release=release, by=actors["wire_editor"], note="The plant makes 1,400 m³ an hour.",
                             localizations=[LocalizationInput(language="en", headline=original.headline,
                                                              summary=original.summary, body_html=NEW_BODY)])
    release.refresh_from_db()


def _state(release: Release) -> dict[str, str]:
    return dict(release.localizations.values_list("language_id", "translation_update"))


def test_a_correction_of_the_original_goes_out_at_once_with_its_translations_marked_pending_update(
        published: Release, actors: dict[str, Membership], api: Callable[[str | None], ApiClient]) -> None:
    spanish_before = published.localizations.get(language="es").body_html
    _correct_the_body(published, actors)
    assert published.version == 2 and published.state == "corrected"
    assert _state(published) == {"en": "", "es": "pending", "pt": "pending", "fr": "pending"}
    assert set(published.localizations.exclude(language="en").values_list("update_since", flat=True)) == {2}
    # Nothing is translated in the correction's request: the worker does it.
    assert published.localizations.get(language="es").body_html == spanish_before
    jobs = {job.language_id: job for job in TranslationJob.objects.filter(release=published)}
    assert {code: (job.state, job.update_fields) for code, job in jobs.items()} == {
        "es": (JobState.PENDING, ["body_html"]), "pt": (JobState.PENDING, ["body_html"])}

    page = Client().get(f"/releases/{published.pk}/es/").content.decode()
    assert PENDING_ES in page and "<strong>1,400" not in page
    assert PENDING_ES in render_email(published, 2, "correct", "es", note="x")["text"]
    staged = RenderedItem.objects.get(release=published, version=2, format="email", language="es")
    assert PENDING_ES in staged.payload["text"] and PENDING_ES in staged.payload["html"]
    english = Client().get(f"/releases/{published.pk}/en/").content.decode()
    assert "1,400" in english and "pending" not in english
    item = api("issuer_admin").get(f"/api/v1/releases/{published.pk}").json()
    translations = {association["language"]: association for association in item["associations"]}
    assert translations["es"]["edNote"] == PENDING_ES
    assert translations["pt"]["edNote"] == PENDING_PT


def test_the_worker_retranslates_only_the_changed_fields_and_an_unreviewed_translation_follows_at_once(
        published: Release, actors: dict[str, Membership]) -> None:
    spanish_headline = published.localizations.get(language="es").headline
    _correct_the_body(published, actors)
    Localization.objects.filter(release=published, language="es").update(headline="Titular del traductor")
    assert work_due(worker="w1") == 2
    published.refresh_from_db()
    # Portuguese was let out unreviewed: its update goes out at once, still labelled unreviewed.
    assert published.version == 3
    assert published.versions.get(number=3).note == "The Portuguese translation is updated to follow the corrected " \
                                                     "original."
    portuguese = published.localizations.get(language="pt")
    assert portuguese.translation_update == TranslationUpdate.UPDATED
    assert portuguese.issuer_acceptance == Acceptance.UNREVIEWED and portuguese.origin == Origin.MACHINE
    assert "<strong>1,400" in portuguese.body_html and "56,000" in portuguese.body_html
    assert [hop["target"] for hop in portuguese.engine_chain] == ["es", "pt"]
    page = Client().get(f"/releases/{published.pk}/pt/").content.decode()
    assert UPDATED_PT in page and "Tradução automática não revista (apertium via es) do inglês" in page
    staged = RenderedItem.objects.get(release=published, version=3, format="email", language="pt")
    assert UPDATED_PT in staged.payload["text"]
    # Spanish was accepted: its update waits for the issuer, and the release says it is still pending.
    spanish = published.localizations.get(language="es")
    assert spanish.translation_update == TranslationUpdate.PENDING and "1,400" not in spanish.body_html
    draft = TranslationJob.objects.get(release=published, language="es").draft
    assert "<strong>1,400" in draft["body_html"]
    # Only the body was translated again: the headline stays as the translation had it.
    assert draft["headline"] == "Titular del traductor" != spanish_headline


def test_the_issuer_accepting_the_update_sends_it_as_a_correction_of_its_own(
        published: Release, actors: dict[str, Membership], api: Callable[[str | None], ApiClient]) -> None:
    _correct_the_body(published, actors)
    work_due(worker="w1")
    progress = api("issuer_admin").get(f"/api/v1/releases/{published.pk}/translations").json()
    rows = {row["language"]: row for row in progress["jobs"]}
    assert rows["es"]["update_waiting"] is True and rows["es"]["update_fields"] == ["body_html"]
    assert rows["pt"]["update_waiting"] is False
    response = api("issuer_admin").post(f"/api/v1/releases/{published.pk}/localizations/es/accept", {})
    assert response.status_code == 200, response.content
    published.refresh_from_db()
    assert published.version == 4
    spanish = published.localizations.get(language="es")
    assert spanish.translation_update == TranslationUpdate.UPDATED and spanish.issuer_acceptance == "accepted"
    assert "<strong>1,400" in spanish.body_html
    page = Client().get(f"/releases/{published.pk}/es/").content.decode()
    assert UPDATED_ES in page and "Traducción automática (apertium) del inglés" in page
    item = api("issuer_admin").get(f"/api/v1/releases/{published.pk}").json()
    translations = {association["language"]: association for association in item["associations"]}
    assert translations["es"]["edNote"] == UPDATED_ES
    newsml = api("issuer_admin").get(f"/api/v1/releases/{published.pk}?format=newsml-g2&language=es")
    assert f'<edNote xml:lang="es">{UPDATED_ES}</edNote>' in newsml.text
    assert document_errors(newsml.content, "newsml-g2") == []
    # Portuguese's note belonged to the version that carried its update; this one says nothing of it.
    assert _state(published)["pt"] == ""
    assert "edNote" not in translations["pt"]
    again = api("issuer_admin").post(f"/api/v1/releases/{published.pk}/localizations/es/accept", {})
    assert again.status_code == 422 and "no update" in again.text


def test_a_translators_translation_goes_back_to_their_queue_showing_what_changed(
        published: Release, actors: dict[str, Membership], translator: Membership) -> None:
    _correct_the_body(published, actors)
    [item] = translator_queue(membership=translator)
    assert (item.release.pk, item.language, item.task) == (published.pk, "fr", UPDATE)
    [change] = update_changes(item=item)
    assert change["field"] == "body_html" and "1,250" in change["before"] and "1,400" in change["after"]
    claim = services.translation_claim(release=published, language="fr", by=translator)
    assert claim.headline == "Nahr Energy ouvre une usine de dessalement solaire à Valence"
    page = Client()
    page.force_login(translator.user)
    editor = page.get(f"/translate/{published.pk}/fr/").content.decode()
    assert "What changed in the original" in editor or "Ce qui a changé dans l’original" in editor
    services.translation_save(release=published, language="fr", by=translator, submit=True,
                              headline=claim.headline, summary=claim.summary,
                              body_html="<p>L'usine produit <strong>1 400 mètres cubes</strong> par heure.</p>")
    # Submitted: it waits for the issuer, out of the queue; the French still distributed is the old one.
    assert translator_queue(membership=translator) == []
    with pytest.raises(NotFound):
        translator_item(membership=translator, release_id=published.pk, language="fr")
    assert "1 400" not in published.localizations.get(language="fr").body_html
    with pytest.raises(InvalidInput, match="only a machine draft goes out unreviewed"):
        services.localization_accept(release=published, language="fr", by=actors["issuer_admin"], unreviewed=True)
    services.localization_accept(release=published, language="fr", by=actors["issuer_admin"])
    french = published.localizations.get(language="fr")
    assert french.translation_update == TranslationUpdate.UPDATED and french.origin == Origin.HUMAN
    assert "1 400" in french.body_html and french.translator == "Lucía Moreau"
    assert "Traduction mise à jour d’après l’original corrigé." in Client().get(
        f"/releases/{published.pk}/fr/").content.decode()


def test_a_correction_that_brings_a_translation_itself_leaves_it_current(
        published: Release, actors: dict[str, Membership]) -> None:
    original = published.localizations.get(language="en")
    releases.release_correct(release=published, by=actors["wire_editor"], note="Capacity.", localizations=[
        LocalizationInput(language="en", headline=original.headline, summary=original.summary, body_html=NEW_BODY),
        LocalizationInput(language="es", headline="Nahr Energy abre una planta", body_html="<p>1.400 m³.</p>",
                          origin="human", translated_from="en", translator="Ana")])
    assert _state(published) == {"en": "", "es": "", "pt": "pending", "fr": "pending"}
    assert list(TranslationJob.objects.filter(release=published).exclude(update_fields=[])
                .values_list("language_id", flat=True)) == ["pt"]


def test_a_correction_of_a_translation_alone_leaves_the_others_as_they_are(
        published: Release, actors: dict[str, Membership]) -> None:
    releases.release_correct(release=published, by=actors["wire_editor"], note="Spanish typo.", localizations=[
        LocalizationInput(language="es", headline="Nahr Energy abre una planta", body_html="<p>Texto.</p>",
                          origin="human", translated_from="en", translator="Ana")])
    assert _state(published) == {"en": "", "es": "", "pt": "", "fr": ""}
    assert not TranslationJob.objects.filter(release=published).exclude(update_fields=[]).exists()


def test_a_second_correction_before_the_update_translates_every_field_either_changed(
        published: Release, actors: dict[str, Membership]) -> None:
    _correct_the_body(published, actors)
    original = published.localizations.get(language="en")
    releases.release_correct(release=published, by=actors["wire_editor"], note="Headline.", localizations=[
        LocalizationInput(language="en", headline="Nahr Energy opens its second plant in Valencia",
                          summary=original.summary, body_html=original.body_html)])
    job = TranslationJob.objects.get(release=published, language="es")
    assert job.update_fields == ["headline", "body_html"]
    assert published.localizations.get(language="es").update_since == 2
    work_due(worker="w1")
    assert "1,400" in TranslationJob.objects.get(release=published, language="es").draft["body_html"]


def test_an_update_of_a_withdrawn_release_is_not_made(published: Release, actors: dict[str, Membership]) -> None:
    _correct_the_body(published, actors)
    releases.release_withdraw(release=published, by=actors["wire_editor"], reason="Issued in error.")
    work_due(worker="w1")
    jobs = TranslationJob.objects.filter(release=published)
    assert set(jobs.values_list("state", flat=True)) == {JobState.FAILED}
    assert "not distributed any more" in jobs.first().last_error  # type: ignore[union-attr]
    published.refresh_from_db()
    assert published.state == "withdrawn"


def test_the_workspace_shows_a_waiting_update_and_the_issuers_admin_accepts_it_there(
        published: Release, actors: dict[str, Membership]) -> None:
    _correct_the_body(published, actors)
    work_due(worker="w1")
    page_url = f"/workspace/releases/{published.pk}/localizations/es/"
    member = Client()
    member.force_login(actors["issuer_member"].user)
    seen = member.get(page_url).content.decode()
    # A member sees the update; only an admin may accept it in the issuer's name.
    assert "An update of this translation is ready" in seen and "<strong>1,400" in seen
    assert "Accept this machine translation" not in seen

    admin = Client()
    admin.force_login(actors["issuer_admin"].user)
    assert "Accept this machine translation" in admin.get(page_url).content.decode()
    accepted = admin.post(f"/workspace/releases/{published.pk}/localizations/es/accept/")
    assert accepted.status_code == 302
    published.refresh_from_db()
    assert published.version == 4
    assert published.localizations.get(language="es").translation_update == TranslationUpdate.UPDATED
    assert "An update of this translation is ready" not in admin.get(page_url).content.decode()
