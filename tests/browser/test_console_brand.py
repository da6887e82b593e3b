"""Brand and wording in the console, in Debian's Chromium: an Arabic-speaking operator (right to left) edits the
Arabic disclaimer, sees an unknown placeholder refused beside its field, saves, and the newsroom's page of a
release in Arabic carries the new disclaimer. Screenshots are kept in `artifacts`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.browser import signed_in_context
from wireroom.accounts.models import Membership
from wireroom.accounts.services import user_language_set
from wireroom.brand.models import Wording
from wireroom.releases.models import Release

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_an_arabic_operator_edits_the_arabic_disclaimer_and_the_page_shows_it(
        browser: Browser, live_server: Any, actors: dict[str, Membership], artifacts: Path,
        make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    user_language_set(user=actors["wire_admin"].user, language="ar")
    context = signed_in_context(browser, live_server.url, actors["wire_admin"].user,
                                viewport={"width": 1200, "height": 1500})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/console/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.get_by_role("link", name="العلامة والصياغة").click()
    page.get_by_role("link", name="العربية").click()
    page.get_by_label("اسم الوكالة").fill("وكالة الخليج")
    page.get_by_label("تنويه البيانات الصحفية").fill("نشرت {issuer} هذا البيان عبر {wires}.")
    page.get_by_role("button", name="حفظ").click()
    assert "لم يُحفظ شيء" in page.locator("[role=alert]").inner_text()
    assert "عنصر نائب غير معروف {wires}" in page.locator("#id_disclaimer_press_release_error").inner_text()
    assert not Wording.objects.exists()
    page.screenshot(path=str(artifacts / "console-brand-ar-refused.png"), full_page=True)

    page.get_by_label("تنويه البيانات الصحفية").fill("نشرت {issuer} هذا البيان عبر {wire}.")
    page.get_by_role("button", name="حفظ").click()
    assert "حُفظت الصياغة" in page.locator(".messages").inner_text()
    page.screenshot(path=str(artifacts / "console-brand-ar-list.png"), full_page=False)

    page.goto(f"{live_server.url}/releases/{release.id}/ar/")
    assert page.locator(".disclaimer").inner_text() == "نشرت \u2068Nahr Energy\u2069 هذا البيان عبر وكالة الخليج."
    assert page.locator(".credit").inner_text() == "(وكالة الخليج) –"
    context.close()
    assert errors == [], "\n".join(errors)
