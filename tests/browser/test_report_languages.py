"""The distribution report in Debian's Chromium, in Arabic: right to left, its headings, tables and charts in
Arabic script with real glyphs. The screenshot is kept in the `artifacts` folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.support.browser import sign_in
from tests.support.report import sent_release
from wireroom.accounts.models import Membership
from wireroom.releases.models import Release

pytestmark = pytest.mark.browser
PASSWORD = "a long demo password"


@pytest.mark.django_db(transaction=True)
def test_an_issuer_reads_the_report_in_arabic_right_to_left(
    page: Page, live_server: Any, artifacts: Path, make_release: Callable[..., Release],
    actors: dict[str, Membership],
) -> None:
    release = sent_release(make_release)
    user = actors["issuer_admin"].user
    user.language = "ar"
    user.set_password(PASSWORD)
    user.save()
    sign_in(page, live_server.url, user.get_username(), PASSWORD, lands_on="/workspace/")
    page.goto(f"{live_server.url}/workspace/releases/{release.id}/report/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "تقرير التوزيع" in page.title()
    # Laid out right to left: the tables' first column (the names) is at the right.
    table = page.locator("table.tally").first
    assert table.evaluate("element => getComputedStyle(element).direction") == "rtl"
    first = table.locator("thead th").first.bounding_box()
    last = table.locator("thead th").last.bounding_box()
    assert first is not None and last is not None and first["x"] > last["x"]
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.chart title").first.text_content() == "النسخ المُسلَّمة منذ رفع الحظر"
    # The charts' axes run left to right in every language: the country codes stand left of their bars.
    chart = page.locator('svg.chart[aria-labelledby="chart-country-title"]')
    # A tick label is anchored at its end, by the axis: it must end there, not start there.
    ends = chart.locator("text", has_text="AE").evaluate(
        "text => [text.getBBox().x + text.getBBox().width, Number(text.getAttribute('x'))]")
    assert abs(ends[0] - ends[1]) < 1, ends
    page.screenshot(path=artifacts / "report-ar.png", full_page=True)
