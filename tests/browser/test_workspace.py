"""The issuer workspace in Debian's Chromium, as an issuer uses it: sign in, write a release by pasting HTML
from a word processor into the rich-text editor, pick sectors and countries and watch the reach change,
schedule it 20 seconds ahead in the issuer's time zone, and submit it. The same pages in Arabic, right to left.
Screenshots are kept in the `artifacts` folder; the browser console must stay free of errors (a refusal by
the content security policy would be one)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from tests.support.browser import sign_in
from tests.support.factories import contact, member
from wireroom.accounts.models import Organization, OrganizationKind, Role
from wireroom.releases.models import Release, State

pytestmark = pytest.mark.browser
PASSWORD = "a long demo password"
# What a word processor puts on the clipboard: its classes, inline styles, Office tags and empty spans.
WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->'
    '<p class="MsoNormal" style="margin-bottom:0cm;line-height:normal"><b><span style="font-size:12pt;'
    'font-family:Calibri">Nahr Energy</span></b><span style="font-size:12pt"> switched on its new plant in '
    'Dubai today.<o:p></o:p></span></p>'
    '<ul style="margin-top:0cm"><li class="MsoListParagraph" style="mso-list:l0 level1 lfo1">45 MW of solar '
    'panels</li><li class="MsoListParagraph">60,000 m³ of water a day</li></ul>'
    '<p class="MsoNormal"><span style="color:red">Read <a href="https://nahr.example/plant">more</a>.</span></p>'
    '<!--EndFragment--></body></html>'
)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = browser.new_page(viewport={"width": 1280, "height": 1600}, locale="en-US")
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    opened.close()
    assert errors == [], "\n".join(errors)


def _journalists(page: Page) -> int:
    return int(page.locator("#reach-journalists").inner_text())


def _wait_for_reach(page: Page, previous: int | None) -> int:
    page.wait_for_function(
        "previous => { const f = document.querySelector('#reach-journalists');"
        " return f && (previous === null || Number(f.textContent) !== previous); }", arg=previous)
    return _journalists(page)


@pytest.mark.django_db(transaction=True)
def test_an_issuer_writes_a_release_from_pasted_html_watches_the_reach_schedules_and_submits(
    page: Page, live_server: Any, artifacts: Path,
) -> None:
    issuer = Organization.objects.create(name="Nahr Energy", slug="nahr-energy", kind=OrganizationKind.ISSUER)
    user = member(issuer, "layla", Role.ISSUER_ADMIN).user
    user.set_password(PASSWORD)
    user.save()
    contact("Amal", beats=("energy",), countries=("AE",), languages=("ar",))
    contact("Bashir", beats=("energy",), countries=("SA",), languages=("en",))
    contact("Chen", beats=("sports",), countries=("AE",), languages=("en",))
    contact("Dana", beats=("healthcare",), countries=("DE",), languages=("en",))

    sign_in(page, live_server.url, "layla", PASSWORD, lands_on="/workspace/")
    assert "Nahr Energy" in page.locator(".who").inner_text()
    page.click("text=Write a release")
    page.wait_for_url(f"{live_server.url}/workspace/releases/new/")

    page.select_option("#id_original_language", "en")
    page.fill("#id_headline", "Nahr Energy opens a solar-powered desalination plant")
    page.fill("#id_dateline", "Dubai")
    editor = page.locator(".prose-editor[data-ready=true] .ProseMirror[contenteditable=true]")
    editor.click()
    editor.evaluate("""(element, html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'Nahr Energy switched on its new plant.');
        element.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""", WORD_HTML)
    assert "switched on its new plant" in editor.inner_text()
    assert editor.locator("ul li").count() == 2, "the list survives the paste"

    everyone = _wait_for_reach(page, None)
    assert everyone == 4, "no sector chosen yet: every journalist"
    page.check('input[name="sectors"][value="energy"]')
    energy = _wait_for_reach(page, everyone)
    assert energy == 2
    page.select_option("#id_countries", ["AE"])
    gulf = _wait_for_reach(page, energy)
    assert gulf == 1
    page.screenshot(path=artifacts / "workspace-compose-en.png", full_page=True)

    zone = zoneinfo.ZoneInfo("Asia/Dubai")
    embargo = (timezone.now() + dt.timedelta(seconds=20)).astimezone(zone).replace(microsecond=0)
    page.check('input[name="timing"][value="embargo"]')
    page.select_option("#id_time_zone", "Asia/Dubai")
    page.fill("#id_embargo_local", embargo.strftime("%Y-%m-%dT%H:%M:%S"))
    page.click("#save-release")
    page.wait_for_url(re.compile(r".*/workspace/releases/[0-9a-f-]{36}/$"))
    assert "The draft is saved." in page.locator(".messages").inner_text()
    status = page.locator(".status").inner_text()
    assert f"{embargo:%Y-%m-%d %H:%M:%S} Asia/Dubai" in status
    assert f"{embargo.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC" in status

    release = Release.objects.get()
    body = release.localizations.get(language="en").body_html
    assert "Mso" not in body and "style=" not in body and "<o:p>" not in body and "<span" not in body
    assert "<li>" in body and '<a href="https://nahr.example/plant"' in body
    assert release.embargo_at == embargo.astimezone(dt.UTC)

    page.click("#submit-release")
    page.wait_for_selector(".messages .success")
    page.screenshot(path=artifacts / "workspace-submitted-en.png", full_page=True)
    release.refresh_from_db()
    assert release.state == State.SUBMITTED
    assert release.embargo_at > timezone.now(), "still ahead when submitted"

    page.goto(f"{live_server.url}/workspace/")
    assert "Nahr Energy opens a solar-powered desalination plant" in page.locator("table.listing").inner_text()
    page.screenshot(path=artifacts / "workspace-list-en.png", full_page=True)

    page.select_option("#layout-language", "ar")
    page.click(".language-choice button")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.goto(f"{live_server.url}/workspace/releases/new/")
    page.wait_for_selector(".prose-editor[data-ready=true]")
    _wait_for_reach(page, None)
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.screenshot(path=artifacts / "workspace-compose-ar.png", full_page=False)
