"""The newsroom in a real browser (Debian's Chromium, driven by Playwright): right-to-left really renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser

from wireroom.releases.models import Release

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_arabic_release_renders_right_to_left_with_the_anatomy_in_order(
    browser: Browser, live_server: Any, make_release: Callable[..., Release],
) -> None:
    release = make_release("published", kind="third_party_article")
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    page.goto(f"{live_server.url}/")
    page.click(f'a[href="/releases/{release.id}/ar/"][lang="ar"]')
    page.wait_for_url(f"**/releases/{release.id}/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('article.wire-item')).direction") == "rtl"
    article = page.locator("article.wire-item").bounding_box()
    credit = page.locator(".lede .credit").bounding_box()
    assert article is not None and credit is not None
    # Right to left: the credit line opens the lede at the article's right edge.
    assert credit["x"] + credit["width"] >= article["x"] + article["width"] - 2
    assert page.locator(".lede .credit").inner_text().strip() == "(Wireroom) –"
    tops = [page.locator(f".{part}").bounding_box()["y"]  # type: ignore[index]
            for part in ("lede", "body", "disclaimer", "sectors", "boilerplate")]
    assert tops == sorted(tops), "lede, body, disclaimer, sectors line and boilerplate, top to bottom"
    assert page.locator(".sectors").inner_text().startswith("القطاعات")
    page.close()


@pytest.mark.django_db(transaction=True)
def test_an_embargoed_release_is_not_in_the_browser_newsroom(
    browser: Browser, live_server: Any, make_release: Callable[..., Release],
) -> None:
    release = make_release("scheduled")
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    assert page.locator(f'a[href^="/releases/{release.id}/"]').count() == 0
    response = page.goto(f"{live_server.url}/releases/{release.id}/ar/")
    assert response is not None and response.status == 404
    assert "نهر" not in page.content()
    page.close()
