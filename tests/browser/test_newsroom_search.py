"""Search in Debian's Chromium, as a visitor types it: Arabic, Chinese, Korean and Thai queries find the right
release and none of the others (a withdrawn one with the same words included); axe-core finds no serious
violation; the console shows no errors. Screenshots are kept in the `artifacts` folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.accessibility import serious_violations
from tests.support.factories import demo_sample, every_language
from wireroom.releases.models import Release

pytestmark = pytest.mark.browser


def _search(page: Page, query: str) -> list[str]:
    page.locator("#id_q").fill(query)
    page.locator("#id_q").press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#results-heading")).to_be_visible()
    return [href.split("/")[2] for href in
            page.locator(".results a.headline").evaluate_all("links => links.map(a => a.getAttribute('href'))")]


@pytest.mark.django_db(transaction=True)
def test_searches_in_arabic_chinese_korean_and_thai_find_the_right_release_and_no_other(
    page: Page, live_server: Any, make_release: Callable[..., Release], artifacts: Path,
) -> None:
    nahr = make_release("published", **every_language())
    quarter = make_release("published", **demo_sample("lotus-q3-results"))
    make_release("published", **demo_sample("lotus-pelangi-qr-payments"))
    desserts = make_release("published", **demo_sample("siam-orchid-frozen-desserts"))
    make_release("withdrawn")  # Arabic, with the same words about a solar plant

    page.goto(f"{live_server.url}/ar/")
    page.locator(".sections a", has_text="بحث").click()
    page.wait_for_url("**/ar/search/")
    assert _search(page, "الشمسية") == [str(nahr.id)]
    expect(page.locator(".results mark").first).to_have_text("الشمسية")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "newsroom-search-ar.png", full_page=True)

    page.goto(f"{live_server.url}/zh-Hans/search/")
    assert _search(page, "业绩") == [str(quarter.id)], "two characters, in one of the two Chinese releases"
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "newsroom-search-zh-Hans.png", full_page=True)

    page.goto(f"{live_server.url}/ko/search/")
    assert _search(page, "태양") == [str(nahr.id)], "two Hangul syllables inside a longer word"
    page.screenshot(path=artifacts / "newsroom-search-ko.png", full_page=True)

    page.goto(f"{live_server.url}/th/search/")
    assert _search(page, "ขนมไทย") == [str(desserts.id)]
    assert _search(page, "แสงอาทิตย์") == [str(nahr.id)]
    assert _search(page, "ภูเขาไฟ") == []
    expect(page.locator(".results .empty")).to_have_text("ไม่พบข่าวประชาสัมพันธ์ที่ตรงกับการค้นหา")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "newsroom-search-th.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_filter_is_chosen_with_the_keyboard_and_narrows_the_results(
    page: Page, live_server: Any, make_release: Callable[..., Release],
) -> None:
    energy = make_release("published", sectors=["energy"])
    make_release("published", sectors=["fintech"])
    page.goto(f"{live_server.url}/en/search/?q=Nahr")
    expect(page.locator(".results a.headline")).to_have_count(2)
    page.locator(".filters summary").focus()
    page.keyboard.press("Enter")
    page.locator("#id_sector").select_option("energy")
    page.locator("button[type=submit]").press("Enter")
    page.wait_for_url("**sector=energy**")
    assert _search(page, "Nahr") == [str(energy.id)]
