"""The newsroom in Arabic and Japanese in Debian's Chromium: the anatomy in order, right to left where it
should be, dates and names isolated, no console errors (the JSON-LD data block included). Screenshots are kept
in the `artifacts` folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.support.factories import demo_sample
from wireroom.releases.models import Release

pytestmark = pytest.mark.browser
RLO_NAME = "Mariam \u202eiamiauN"
ARABIC_MONTHS = {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                 "نوفمبر", "ديسمبر"}
ANATOMY = ("headline", "lede", "body", "contacts", "disclaimer", "sectors", "boilerplate")


def _tops(page: Page, parts: tuple[str, ...]) -> list[float]:
    tops = []
    for part in parts:
        box = page.locator(f"article.wire-item .{part}").first.bounding_box()
        assert box is not None, part
        tops.append(box["y"])
    return tops


def _isolated(page: Page, selector: str) -> bool:
    """Every element `selector` finds (at least one) is a bidi isolate."""
    return bool(page.evaluate(
        "s => { const found = [...document.querySelectorAll(s)];"
        " return found.length > 0 && found.every(e => getComputedStyle(e).unicodeBidi === 'isolate'); }", selector))


@pytest.mark.django_db(transaction=True)
def test_an_arabic_release_reads_right_to_left_with_its_date_and_names_isolated(
    page: Page, live_server: Any, make_release: Callable[..., Release], artifacts: Path,
) -> None:
    overrides = demo_sample("gulf-solar-desalination")
    overrides["contacts"] = [*overrides["contacts"], {"name": RLO_NAME, "organization": "Nahr Energy"}]
    release = make_release("published", **overrides)
    page.goto(f"{live_server.url}/releases/{release.id}/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    tops = _tops(page, ANATOMY)
    assert tops == sorted(tops), "headline, lede, body, contacts, disclaimer, sectors line, boilerplate"
    article = page.locator("article.wire-item").bounding_box()
    credit = page.locator(".lede .credit").bounding_box()
    assert article is not None and credit is not None
    assert credit["x"] + credit["width"] >= article["x"] + article["width"] - 2, "the credit opens the line"
    dateline = page.locator(".lede .dateline").inner_text()
    assert dateline.startswith("دبي") and dateline.endswith("–")
    # The meta line's date: written in Arabic and isolated, so it cannot come out as 29-11-2026.
    assert _isolated(page, ".meta time")
    assert page.locator(".meta time").inner_text().split()[1] in ARABIC_MONTHS
    assert _isolated(page, ".meta .issuer")
    names = page.locator(".contacts .contact-name")
    assert RLO_NAME in names.all_inner_texts()
    assert _isolated(page, ".contacts .contact-name")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "{}")
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "ar"
    page.screenshot(path=artifacts / "newsroom-ar.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_japanese_release_renders_with_its_anatomy_in_order(
    page: Page, live_server: Any, make_release: Callable[..., Release], artifacts: Path,
) -> None:
    release = make_release("published", **demo_sample("sakura-sr-f7-launch"))
    page.goto(f"{live_server.url}/releases/{release.id}/ja/")
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.evaluate("document.documentElement.dir") == "ltr"
    tops = _tops(page, ANATOMY)
    assert tops == sorted(tops)
    lede = page.locator(".lede").inner_text()
    assert lede.startswith("（Wireroom）― 大阪、") and "日 ― サクラロボティクス株式会社は" in lede
    assert page.locator(".preview-banner").count() == 0
    assert "年" in page.locator(".meta time").inner_text()
    page.screenshot(path=artifacts / "newsroom-ja.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_home_page_in_arabic_is_right_to_left_and_lists_the_release_in_arabic(
    page: Page, live_server: Any, make_release: Callable[..., Release], artifacts: Path,
) -> None:
    arabic = make_release("published", **demo_sample("gulf-solar-desalination"))
    make_release("published", **demo_sample("sakura-sr-f7-launch"))
    page.goto(f"{live_server.url}/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("h1").inner_text() == "أحدث البيانات"
    assert page.locator(".language-switcher a").count() == 15
    assert page.locator('.language-switcher a[aria-current="page"]').inner_text() == "العربية"
    link = page.locator(f'.release-list a.headline[href="/releases/{arabic.id}/ar/"]')
    assert link.get_attribute("lang") == "ar"
    assert _isolated(page, ".release-list .meta time")
    main = page.locator("main").bounding_box()
    heading = page.locator("h1").bounding_box()
    assert main is not None and heading is not None
    assert heading["x"] + heading["width"] >= main["x"] + main["width"] - 30, "the heading starts at the right"
    page.screenshot(path=artifacts / "newsroom-home-ar.png", full_page=True)
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.django_db(transaction=True)
def test_a_thai_release_renders_with_its_anatomy_in_order(
    page: Page, live_server: Any, make_release: Callable[..., Release], artifacts: Path,
) -> None:
    release = make_release("published", **demo_sample("siam-orchid-frozen-desserts"))
    page.goto(f"{live_server.url}/releases/{release.id}/th/")
    assert page.evaluate("document.documentElement.lang") == "th"
    tops = _tops(page, ANATOMY)
    assert tops == sorted(tops)
    assert page.locator(".lede").inner_text().startswith("(Wireroom) – กรุงเทพฯ ")
    assert page.locator(".sectors").inner_text().startswith("หมวด")
    page.screenshot(path=artifacts / "newsroom-th.png", full_page=True)
