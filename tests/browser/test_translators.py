"""A translator of the wire in Debian's Chromium: sign in, land on the queue, claim a Spanish machine draft,
post-edit it in the rich-text editor beside the English original, and submit it for the issuer's acceptance.
The editor page's screenshot is kept in the `artifacts` folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import sign_in
from tests.support.factories import member
from tests.support.translation import corrected_after_a_human_translation, english_release, make_translator
from wireroom.accounts.models import Membership, Organization, Role
from wireroom.releases import services as releases
from wireroom.releases.models import Acceptance, Origin, Release
from wireroom.translation import services
from wireroom.translation.models import TranslatorLanguage
from wireroom.translation.worker import work_due

pytestmark = pytest.mark.browser
PASSWORD = "a long translator password"


@pytest.mark.django_db(transaction=True)
def test_a_translator_claims_a_spanish_draft_post_edits_it_beside_the_original_and_submits(
    page: Page, live_server: Any, artifacts: Path, wire_org: Organization,
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("draft", **english_release())
    services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    work_due(worker="browser")
    releases.release_submit(release=release, by=actors["issuer_admin"])
    releases.release_start_review(release=release, by=actors["wire_editor"])
    translator = member(wire_org, "ortega", Role.TRANSLATOR)
    translator.user.first_name, translator.user.last_name = "Lucía", "Ortega"
    translator.user.set_password(PASSWORD)
    translator.user.save()
    TranslatorLanguage.objects.create(membership=translator, language_id="es")

    sign_in(page, live_server.url, "ortega", PASSWORD, lands_on="/translate/")
    assert "Post-edit the machine draft" in page.locator("table").inner_text()
    page.click("button:has-text('Claim')")
    page.wait_for_url(f"{live_server.url}/translate/{release.pk}/es/")

    original = page.locator(".side-by-side > section").first
    assert "Nahr Energy opens a solar desalination plant in Valencia" in original.inner_text()
    assert original.get_attribute("lang") == "en"
    editor = page.locator(".prose-editor [contenteditable=true]")
    editor.wait_for()
    assert editor.inner_text().strip(), "the machine draft is in the editor"
    page.fill("#id_headline", "Nahr Energy inaugura una planta desalinizadora solar en Valencia")
    editor.locator("p").last.click()
    # The caret goes to the very end of the text, as a translator clicking after its last word puts it; a click
    # and Control+End raced the editor's start-up on a busy machine and sometimes left the caret at the top.
    editor.evaluate("""element => {
        const range = document.createRange();
        range.selectNodeContents(element);
        range.collapse(false);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""")
    page.keyboard.press("Enter")
    page.keyboard.type("Revisado por una traductora de la agencia.")
    # On a busy machine the keystrokes can still be on their way when the button is pressed: wait until the
    # editor has copied them into the form's field.
    expect(page.locator("textarea.rich-text[name=body_html]")).to_have_value(
        re.compile("Revisado por una traductora de la agencia."))
    page.screenshot(path=str(artifacts / "translator-editor.png"), full_page=True)
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/translate/")
    assert "Nothing is waiting for a translation in your languages." in page.content()

    spanish = release.localizations.get(language_id="es")
    assert spanish.origin == Origin.HUMAN and spanish.translator == "Lucía Ortega"
    assert spanish.headline == "Nahr Energy inaugura una planta desalinizadora solar en Valencia"
    assert "<p>Revisado por una traductora de la agencia.</p>" in spanish.body_html
    assert spanish.engine_chain and spanish.issuer_acceptance == Acceptance.PENDING


@pytest.mark.django_db(transaction=True)
def test_after_a_correction_a_translator_updates_their_translation_seeing_what_changed_in_the_original(
    page: Page, live_server: Any, artifacts: Path, wire_org: Organization,
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("draft", **english_release(languages=["en", "es"]))
    translator = make_translator(wire_org, "ortega", "es")
    translator.user.set_password(PASSWORD)
    translator.user.save()
    corrected_after_a_human_translation(release=release, translator=translator, actors=actors)

    sign_in(page, live_server.url, "ortega", PASSWORD, lands_on="/translate/")
    assert "Update the translation: the original was corrected" in page.locator("table").inner_text()
    page.click("button:has-text('Claim')")
    page.wait_for_url(f"{live_server.url}/translate/{release.pk}/es/")
    changes = page.locator("section.changes")
    expect(changes.locator("h2")).to_have_text("What changed in the original")
    row = changes.locator("tbody tr")
    expect(row).to_have_count(1)
    assert "1,250" in row.locator("td").first.inner_text() and "1,400" in row.locator("td").last.inner_text()
    editor = page.locator(".prose-editor [contenteditable=true]")
    editor.wait_for()
    assert "1,250" in editor.inner_text(), "the editor starts from the translation as distributed"
    page.screenshot(path=str(artifacts / "translator-update.png"), full_page=True)
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/translate/")
    assert "Nothing is waiting for a translation in your languages." in page.content()
