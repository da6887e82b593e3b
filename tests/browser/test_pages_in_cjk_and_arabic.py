"""Four signed-in pages in Japanese, Simplified Chinese, Korean and Arabic, in Debian's Chromium: an outlet's
connections, the console's brand and wording, an issuer's signing keys and a translator's update of a corrected
release. Each is in its reader's language and direction, with no English left in its headings, and its screenshot
is kept in `artifacts` (the ones in docs/ are copies of these)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import signed_in_context
from tests.support.factories import outlet_with_member
from tests.support.signing import new_key, public_pem
from tests.support.translation import corrected_after_a_human_translation, english_release, make_translator
from wireroom.accounts.models import Membership, Organization, User
from wireroom.accounts.services import api_key_issue, user_language_set
from wireroom.releases.models import Release
from wireroom.subscriptions.services import webhook_endpoint_create
from wireroom.translation import services
from wireroom.trust.services import issuer_key_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("ja", "zh-Hans", "ko", "ar")


def _each_language(browser: Browser, base: str, user: User, path: str,
                   shoot: Callable[[Page, str], None]) -> None:
    """The page at `path` in each language, as `user` reads it once their profile says that language."""
    context = signed_in_context(browser, base, user, viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for tag in LANGUAGES:
        user_language_set(user=user, language=tag.lower())  # Django spells it `zh-hans`
        page.goto(base + path)
        assert page.evaluate("document.documentElement.lang") == tag
        assert page.evaluate("document.documentElement.dir") == ("rtl" if tag == "ar" else "ltr")
        shoot(page, tag)
    context.close()
    assert errors == [], "\n".join(errors)


def _headings(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("main h1, main h2, main h3, main legend, main th").all_inner_texts()
            if text.strip()]


def _no_english(texts: list[str], *english: str) -> None:
    for text in texts:
        assert text not in english, f"{text!r} is not translated"


def test_the_connections_page_with_an_endpoint_and_a_key(
        browser: Browser, live_server: Any, artifacts: Path, settings: Any) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    outlet, reader = outlet_with_member("Gulf Daily", "gulfdesk")
    webhook_endpoint_create(outlet=outlet, url="http://127.0.0.1:9/wire", by=reader, sectors=["energy"])
    api_key_issue(membership=reader, name="newsroom CMS")

    def shoot(page: Page, tag: str) -> None:
        _no_english(_headings(page), "Connections", "Endpoints", "API keys", "Add a webhook endpoint",
                    "Name of the key", "Begins with", "Whose", "Last used")
        page.screenshot(path=artifacts / f"connect-{tag}.png", full_page=True)

    _each_language(browser, live_server.url, reader.user, "/connect/", shoot)


def test_the_brand_and_wording_page_of_each_language(
        browser: Browser, live_server: Any, artifacts: Path, actors: dict[str, Membership]) -> None:
    def shoot(page: Page, tag: str) -> None:
        page.goto(f"{live_server.url}/console/brand/{tag}/")
        _no_english(_headings(page), "Brand and wording", "Save")
        page.screenshot(path=artifacts / f"console-brand-{tag}.png", full_page=True)

    _each_language(browser, live_server.url, actors["wire_admin"].user, "/console/brand/", shoot)


def test_the_signing_keys_of_an_organization(
        browser: Browser, live_server: Any, artifacts: Path, actors: dict[str, Membership]) -> None:
    admin = actors["issuer_admin"]
    issuer_key_register(by=admin, organization=admin.organization, public_key=public_pem(new_key()),
                        label="newsroom laptop")

    def shoot(page: Page, tag: str) -> None:
        signing = page.locator("#signing")
        _no_english([text.strip() for text in signing.locator("h2, th, label").all_inner_texts()],
                    "Signing keys", "Fingerprint", "Registered", "Label")
        signing.screenshot(path=artifacts / f"workspace-signing-keys-{tag}.png")

    _each_language(browser, live_server.url, admin.user, "/workspace/organization/", shoot)


def test_a_translators_update_of_a_corrected_release(
        browser: Browser, live_server: Any, artifacts: Path, wire_org: Organization,
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft", **english_release(languages=["en", "es"]))
    translator = make_translator(wire_org, "ortega", "es")
    corrected_after_a_human_translation(release=release, translator=translator, actors=actors)
    services.translation_claim(release=release, language="es", by=translator)

    def shoot(page: Page, tag: str) -> None:
        page.locator(".prose-editor [contenteditable=true]").wait_for()
        _no_english(_headings(page), "What changed in the original", "Original", "Translation", "Field")
        page.screenshot(path=artifacts / f"translator-update-{tag}.png", full_page=True)

    _each_language(browser, live_server.url, translator.user, f"/translate/{release.pk}/es/", shoot)
