"""A visitor finds their way around the newsroom in Debian's Chromium: from the home page to another language,
to a sector and an issuer's newsroom, in Arabic (right to left) and Japanese; the archive and a release too.
axe-core finds no serious or critical violation on any of them; the keyboard reaches every link with a visible
focus ring; the console shows no errors. Screenshots are kept in the `artifacts` folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.accessibility import serious_violations
from tests.support.factories import demo_sample
from wireroom.accounts.models import Organization
from wireroom.releases.models import Release

pytestmark = pytest.mark.browser


def _releases(make_release: Callable[..., Release], issuer_org: Organization) -> dict[str, Release]:
    issuer_org.about = "Nahr Energy builds and runs solar power and water plants across the Gulf."
    issuer_org.website = "https://nahr.example/"
    issuer_org.save()
    return {key: make_release("published", **demo_sample(key))
            for key in ("gulf-solar-desalination", "gulf-water-reuse-forum", "sakura-sr-f7-launch")}


def _accessible(page: Page) -> None:
    assert serious_violations(page) == [], page.url


@pytest.mark.django_db(transaction=True)
def test_a_visitor_switches_to_arabic_and_opens_a_sector_and_an_issuer_newsroom(
    page: Page, live_server: Any, make_release: Callable[..., Release], issuer_org: Organization, artifacts: Path,
) -> None:
    releases = _releases(make_release, issuer_org)
    page.goto(f"{live_server.url}/en/")
    _accessible(page)
    page.locator('.language-switcher a[hreflang="ar"]').click()
    page.wait_for_url("**/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    top = page.locator(".featured")
    expect(top.locator("h2")).to_have_text("أبرز الأخبار")
    assert top.locator(f'a.headline[href="/releases/{releases["gulf-water-reuse-forum"].id}/ar/"]').count() == 1
    _accessible(page)
    page.screenshot(path=artifacts / "newsroom-home-ar-top-stories.png", full_page=True)

    page.locator(".sections a", has_text="تصفّح").click()
    page.wait_for_url("**/ar/browse/")
    page.locator(".terms a", has_text="الطاقة").first.click()
    page.wait_for_url("**/ar/sectors/energy/")
    expect(page.locator("h1")).to_have_text("الطاقة")
    headlines = page.locator(".release-list a.headline")
    expect(headlines).to_have_count(1)
    assert headlines.get_attribute("href") == f'/releases/{releases["gulf-solar-desalination"].id}/ar/'
    expect(page.locator(".release-list .kind").first).to_have_text("بيان صحفي")
    main = page.locator("main").bounding_box()
    heading = page.locator("h1").bounding_box()
    assert main is not None and heading is not None
    assert heading["x"] + heading["width"] >= main["x"] + main["width"] - 30, "the heading starts at the right"
    _accessible(page)
    page.screenshot(path=artifacts / "newsroom-sector-ar.png", full_page=True)

    page.locator(".release-list a.issuer").first.click()
    page.wait_for_url("**/ar/issuers/nahr-energy/")
    expect(page.locator("h1")).to_have_text("Nahr Energy")
    expect(page.locator(".issuer-about")).to_contain_text("solar power and water plants")
    assert "sponsored" in (page.locator(".issuer-about a").get_attribute("rel") or "").split()
    expect(page.locator(".release-list a.headline")).to_have_count(len(releases))
    _accessible(page)
    page.screenshot(path=artifacts / "newsroom-issuer-ar.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_visitor_opens_a_sector_and_an_issuer_newsroom_in_japanese(
    page: Page, live_server: Any, make_release: Callable[..., Release], issuer_org: Organization, artifacts: Path,
) -> None:
    releases = _releases(make_release, issuer_org)
    page.goto(f"{live_server.url}/ja/")
    expect(page.locator("h1")).to_have_text("最新のリリース")
    page.locator(".sections a", has_text="一覧").click()
    page.wait_for_url("**/ja/browse/")
    page.locator(".terms a", has_text="テクノロジー").first.click()
    page.wait_for_url("**/ja/sectors/technology/")
    expect(page.locator("h1")).to_have_text("テクノロジー")
    headline = page.locator(".release-list a.headline")
    expect(headline).to_have_count(1)
    assert headline.get_attribute("href") == f'/releases/{releases["sakura-sr-f7-launch"].id}/ja/'
    expect(headline).to_have_attribute("lang", "ja")
    _accessible(page)
    page.screenshot(path=artifacts / "newsroom-sector-ja.png", full_page=True)
    page.locator(".release-list a.issuer").first.click()
    page.wait_for_url("**/ja/issuers/nahr-energy/")
    expect(page.locator("#about-issuer")).to_have_text("概要")
    _accessible(page)
    page.screenshot(path=artifacts / "newsroom-issuer-ja.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_archive_and_a_release_pass_axe_and_the_keyboard_reaches_every_link_with_a_visible_focus(
    page: Page, live_server: Any, make_release: Callable[..., Release], issuer_org: Organization, artifacts: Path,
) -> None:
    releases = _releases(make_release, issuer_org)
    page.goto(f'{live_server.url}/releases/{releases["gulf-solar-desalination"].id}/ar/')
    _accessible(page)
    page.goto(f"{live_server.url}/ar/archive/")
    _accessible(page)
    page.locator(".periods a").first.click()
    page.wait_for_url("**/ar/archive/*/")
    _accessible(page)
    page.screenshot(path=artifacts / "newsroom-archive-ar.png", full_page=True)

    page.keyboard.press("Tab")
    skip = page.locator(".skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link shows itself when focused"
    links = page.locator("a:visible").count()
    for _ in range(links - 1):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        assert focused["tag"] == "A" and focused["outline"] != "none" and focused["width"] >= 2, focused


def test_the_accessibility_check_reports_what_it_should(page: Page) -> None:
    """The check above is no formality: a page with unreadable text and an image without words fails it."""
    page.set_content('<html lang="en"><body><main><p style="color:#bbb;background:#fff">faint</p>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                     '</main></body></html>')
    rules = {violation["rule"] for violation in serious_violations(page)}
    assert {"color-contrast", "image-alt"} <= rules
