"""The wire's translators: their queue, claiming, the editor beside the original, submitting for the issuer's
acceptance; and who may open what."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.support.translation import english_release, make_translator
from wireroom.accounts.models import Membership, Organization, User
from wireroom.accounts.navigation import TRANSLATE, home_path
from wireroom.lib.errors import IllegalTransition, NotAllowed, NotFound
from wireroom.releases import services as releases
from wireroom.releases.models import Acceptance, Origin, Release
from wireroom.translation import services
from wireroom.translation.models import Claim, TranslatorLanguage
from wireroom.translation.selectors import translator_queue
from wireroom.translation.worker import work_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def translators(wire_org: Organization) -> dict[str, Membership]:
    return {"spanish": make_translator(wire_org, "ortega", "es", "fr"),
            "other": make_translator(wire_org, "vidal", "es"),
            "portuguese": make_translator(wire_org, "sousa", "pt")}


@pytest.fixture
def in_review(make_release: Callable[..., Release], actors: dict[str, Membership]) -> Release:
    """An English release in review with a Spanish machine draft waiting for the issuer, and Portuguese asked
    for with no text yet."""
    release = make_release("draft", **english_release())
    services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    work_due(worker="w1")
    releases.release_submit(release=release, by=actors["issuer_admin"])
    releases.release_start_review(release=release, by=actors["wire_editor"])
    release.refresh_from_db()
    return release


def _client(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def test_a_translator_sees_only_their_languages_in_the_queue(in_review: Release,
                                                              translators: dict[str, Membership]) -> None:
    spanish = translator_queue(membership=translators["spanish"])
    assert [(item.release.pk, item.language, item.task) for item in spanish] == [(in_review.pk, "es", "post_edit")]
    portuguese = translator_queue(membership=translators["portuguese"])
    assert [(item.language, item.task) for item in portuguese] == [("pt", "write")]


def test_the_queue_holds_no_draft_and_nothing_scheduled_or_out(make_release: Callable[..., Release],
                                                               translators: dict[str, Membership]) -> None:
    for state in ("draft", "scheduled", "published", "withdrawn"):
        make_release(state, **english_release())
    assert translator_queue(membership=translators["portuguese"]) == []


def test_the_queue_puts_the_nearest_embargo_first(make_release: Callable[..., Release],
                                                  actors: dict[str, Membership],
                                                  translators: dict[str, Membership]) -> None:
    import datetime as dt

    from django.utils import timezone

    later = make_release("in_review", **english_release())
    sooner = make_release("in_review", **english_release())
    for release, hours in ((later, 48), (sooner, 5)):
        Release.objects.filter(pk=release.pk).update(embargo_at=timezone.now() + dt.timedelta(hours=hours))
    unembargoed = make_release("in_review", **english_release())
    order = [item.release.pk for item in translator_queue(membership=translators["portuguese"])]
    assert order == [sooner.pk, later.pk, unembargoed.pk]


def test_a_translator_signs_in_to_the_queue(translators: dict[str, Membership], actors: dict[str, Membership]) -> None:
    translator = translators["spanish"]
    assert home_path(user=translator.user, memberships=[translator]) == TRANSLATE
    page = _client(translator).get("/translate/").content.decode()
    assert 'href="/translate/"' in page and "Nahr Energy" not in page
    # An editor who also translates works the desk first.
    editor = actors["wire_editor"]
    assert home_path(user=editor.user, memberships=[editor, translator]) == "/desk/"


@pytest.mark.parametrize("path", ["/translate/", "/translate/{id}/es/", "/translate/{id}/es/claim/"])
def test_anonymous_visitors_are_sent_to_sign_in(in_review: Release, path: str) -> None:
    method = "post" if path.endswith("claim/") else "get"
    response = getattr(Client(), method)(path.format(id=in_review.pk))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["issuer_admin", "issuer_member", "wire_editor", "wire_admin"])
@pytest.mark.parametrize("path", ["/translate/", "/translate/{id}/es/", "/translate/{id}/es/claim/"])
def test_no_other_role_opens_the_translators_pages(in_review: Release, actors: dict[str, Membership],
                                                   role: str, path: str) -> None:
    method = "post" if path.endswith("claim/") else "get"
    assert getattr(_client(actors[role]), method)(path.format(id=in_review.pk)).status_code == 403


def test_a_translator_of_the_issuers_organization_is_not_one_of_the_wires(
        in_review: Release, issuer_org: Organization) -> None:
    outsider = make_translator(issuer_org, "inhouse", "es")
    assert _client(outsider).get("/translate/").status_code == 403
    with pytest.raises(NotAllowed):
        services.translation_claim(release=in_review, language="es", by=outsider)


@pytest.mark.parametrize("path", ["/translate/{id}/pt/", "/translate/{id}/pt/claim/", "/translate/{id}/en/",
                                  "/translate/{id}/xx/", "/translate/00000000-0000-0000-0000-000000000000/es/"])
def test_another_language_or_release_is_missing_for_a_translator(in_review: Release,
                                                                 translators: dict[str, Membership],
                                                                 path: str) -> None:
    method = "post" if path.endswith("claim/") else "get"
    assert getattr(_client(translators["spanish"]), method)(path.format(id=in_review.pk)).status_code == 404


def test_a_draft_release_is_missing_for_a_translator(make_release: Callable[..., Release],
                                                     translators: dict[str, Membership]) -> None:
    draft = make_release("draft", **english_release())
    client = _client(translators["portuguese"])
    assert client.get(f"/translate/{draft.pk}/pt/").status_code == 404
    assert client.post(f"/translate/{draft.pk}/pt/claim/").status_code == 404
    assert not Claim.objects.exists()


def test_a_translator_post_edits_the_machine_draft_and_the_issuer_accepts_it(
        in_review: Release, translators: dict[str, Membership], actors: dict[str, Membership]) -> None:
    client = _client(translators["spanish"])
    machine = in_review.localizations.get(language_id="es")
    chain = machine.engine_chain
    response = client.post(f"/translate/{in_review.pk}/es/claim/")
    assert response.status_code == 302 and response["Location"] == f"/translate/{in_review.pk}/es/"
    page = client.get(response["Location"]).content.decode()
    assert machine.headline in page and "Nahr Energy opens a solar desalination plant in Valencia" in page
    assert 'class="rich-text"' in page and "workspace/editor.js" in page

    saved = client.post(f"/translate/{in_review.pk}/es/", {
        "headline": "Nahr Energy inaugura una planta desalinizadora solar en Valencia", "summary": "Agua.",
        "body_html": "<p>Texto revisado.</p><script>alert(1)</script>", "save": "1"})
    assert saved.status_code == 302
    machine.refresh_from_db()
    assert machine.origin == Origin.MACHINE and machine.body_html != "<p>Texto revisado.</p>"
    assert Claim.objects.get().body_html == "<p>Texto revisado.</p>"

    submitted = client.post(f"/translate/{in_review.pk}/es/", {
        "headline": "Nahr Energy inaugura una planta desalinizadora solar en Valencia", "summary": "Agua potable.",
        "body_html": "<p>La nueva planta de Nahr Energy produce agua potable para 50.000 hogares.</p>",
        "submit": "1"})
    assert submitted.status_code == 302 and submitted["Location"] == "/translate/"
    localization = in_review.localizations.get(language_id="es")
    assert localization.origin == Origin.HUMAN and localization.translator == "Lucía Ortega"
    assert localization.engine_chain == chain and localization.translated_from_id == "en"
    assert localization.issuer_acceptance == Acceptance.PENDING and not Claim.objects.exists()
    assert translator_queue(membership=translators["spanish"]) == []

    releases.release_approve(release=in_review, by=actors["wire_editor"])
    with pytest.raises(IllegalTransition):
        releases.release_publish(release=in_review, by=actors["issuer_admin"])
    with pytest.raises(Exception, match="only a machine draft goes out unreviewed"):
        services.localization_accept(release=in_review, language="es", by=actors["issuer_admin"], unreviewed=True)
    services.localization_accept(release=in_review, language="es", by=actors["issuer_admin"])
    releases.release_publish(release=in_review, by=actors["issuer_admin"])
    assert "Nahr Energy inaugura" in Client().get(f"/releases/{in_review.pk}/es/").content.decode()


def test_a_translator_writes_a_language_that_has_no_text(in_review: Release,
                                                         translators: dict[str, Membership]) -> None:
    client = _client(translators["portuguese"])
    client.post(f"/translate/{in_review.pk}/pt/claim/")
    assert Claim.objects.get().body_html == ""
    client.post(f"/translate/{in_review.pk}/pt/", {
        "headline": "Nahr Energy inaugura uma usina de dessalinização solar em Valência", "summary": "",
        "body_html": "<p>A nova usina produz água potável para 50.000 casas.</p>", "submit": "1"})
    localization = in_review.localizations.get(language_id="pt")
    assert localization.origin == Origin.HUMAN and localization.engine_chain == []
    assert localization.translator == "Lucía Sousa"


def test_a_claimed_translation_is_not_another_translators(in_review: Release,
                                                          translators: dict[str, Membership]) -> None:
    services.translation_claim(release=in_review, language="es", by=translators["spanish"])
    with pytest.raises(IllegalTransition):
        services.translation_claim(release=in_review, language="es", by=translators["other"])
    other = _client(translators["other"])
    page = other.get(f"/translate/{in_review.pk}/es/").content.decode()
    assert "Lucía Ortega" not in page and 'name="submit"' not in page
    refused = other.post(f"/translate/{in_review.pk}/es/", {"headline": "Mío", "body_html": "<p>x</p>",
                                                           "submit": "1"})
    assert refused.status_code == 302
    assert in_review.localizations.get(language_id="es").origin == Origin.MACHINE
    with pytest.raises(IllegalTransition):
        services.translation_save(release=in_review, language="es", by=translators["other"], headline="Mío",
                                  summary="", body_html="<p>x</p>", submit=True)


def test_an_empty_or_oversized_translation_is_refused_and_nothing_changes(
        in_review: Release, translators: dict[str, Membership]) -> None:
    client = _client(translators["spanish"])
    client.post(f"/translate/{in_review.pk}/es/claim/")
    empty = client.post(f"/translate/{in_review.pk}/es/", {"headline": "", "body_html": "", "submit": "1"})
    assert empty.status_code == 400
    huge = client.post(f"/translate/{in_review.pk}/es/", {"headline": "x" * 301, "body_html": "<p>y</p>",
                                                          "submit": "1"})
    assert huge.status_code == 400
    assert in_review.localizations.get(language_id="es").origin == Origin.MACHINE


def test_a_release_that_leaves_review_leaves_the_queue(in_review: Release, translators: dict[str, Membership],
                                                       actors: dict[str, Membership]) -> None:
    services.translation_claim(release=in_review, language="es", by=translators["spanish"])
    services.localization_accept(release=in_review, language="es", by=actors["issuer_admin"])
    with pytest.raises(NotFound):
        services.translation_save(release=in_review, language="es", by=translators["spanish"], headline="Tarde",
                                  summary="", body_html="<p>x</p>", submit=True)
    assert _client(translators["spanish"]).get(f"/translate/{in_review.pk}/es/").status_code == 404


def test_operators_assign_languages_to_the_wires_translators_only(translators: dict[str, Membership],
                                                                   actors: dict[str, Membership]) -> None:
    operator = Client()
    operator.force_login(User.objects.create(username="ops", is_staff=True, is_superuser=True))
    form = operator.get("/admin/translation/translatorlanguage/add/").content.decode()
    assert f'<option value="{translators["spanish"].pk}"' in form
    assert f'<option value="{actors["wire_editor"].pk}"' not in form
    assert f'<option value="{actors["issuer_admin"].pk}"' not in form
    response = operator.post("/admin/translation/translatorlanguage/add/",
                             {"membership": actors["wire_editor"].pk, "language": "de"})
    assert response.status_code == 200 and not TranslatorLanguage.objects.filter(language_id="de").exists()
    operator.post("/admin/translation/translatorlanguage/add/", {"membership": translators["other"].pk,
                                                                 "language": "de"})
    assert [item.language for item in translator_queue(membership=translators["other"])] == []
    assert TranslatorLanguage.objects.filter(membership=translators["other"], language_id="de").exists()
