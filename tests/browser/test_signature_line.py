"""The issuer's signature on the newsroom page, in a real browser: right to left in Arabic, the key kept whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.signing import kid_of, new_key, public_pem, release_payload, sign_detached
from wireroom.accounts.models import Membership
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.trust.services import issuer_key_register

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_signed_arabic_release_shows_its_signature_right_to_left_with_the_key_left_to_right(
    browser: Browser, live_server: Any, make_release: Callable[..., Release], actors: dict[str, Membership],
    artifacts: Path,
) -> None:
    author = actors["issuer_admin"]
    key = new_key()
    issuer_key_register(by=author, organization=author.organization, public_key=public_pem(key))
    release = make_release("draft")
    original = release.localizations.get(language="ar")
    payload = release_payload(urn=release.urn, language="ar", headline=original.headline, summary=original.summary,
                              body_html=original.body_html)
    services.release_submit(release=release, by=author, signature=sign_detached(key, payload))
    editor = actors["wire_editor"]
    services.release_start_review(release=release, by=editor)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=editor)

    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    page.goto(f"{live_server.url}/releases/{release.id}/ar/")
    line = page.locator("p.signature")
    assert line.inner_text().startswith("وقّعته Nahr Energy")
    assert page.evaluate("getComputedStyle(document.querySelector('p.signature')).direction") == "rtl"
    assert page.locator("p.signature code").inner_text() == kid_of(key)
    line.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "newsroom-signature-ar.png", full_page=True)
    page.close()
