"""The preference centre in Debian's Chromium, reached as from an e-mail's link: a journalist changes beats,
languages, regions and cadence, and the next release's targeting follows; then unsubscribes. In Arabic (right to left)
and Japanese, with screenshots kept in the `artifacts` folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.support.email import make_contact
from wireroom.distribution.channels.email.tokens import contact_token
from wireroom.distribution.targeting import Target, email_recipients
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.subscriptions.models import Subscription

pytestmark = pytest.mark.browser


def _targeted(contact: Contact, sector: str) -> bool:
    target = Target(sectors=[sector], countries=[], languages=[], available=["en"], original="en",
                    kind="press_release", issuer_id=1)
    return email_recipients(target).filter(pk=contact.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_an_arabic_journalist_changes_beats_languages_and_cadence_and_then_unsubscribes(
    page: Page, live_server: Any, artifacts: Path,
) -> None:
    contact = make_contact("layla@example.com", "Layla", languages=("ar",))
    assert _targeted(contact, "healthcare")  # no beat yet: every sector
    page.goto(f"{live_server.url}/preferences/{contact_token(contact.pk)}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.locator('input[name="sectors"][value="energy"]').check()
    page.locator('input[name="languages"][value="en"]').check()
    page.locator('input[name="cadence"][value="instant"]').check()
    page.locator('button[value="save"]').click()
    assert "تم حفظ اختياراتك." in page.locator(".saved").inner_text()
    page.screenshot(path=artifacts / "preferences-ar.png", full_page=False)
    assert _targeted(contact, "energy") and not _targeted(contact, "healthcare")
    assert list(ContactLanguage.objects.filter(contact=contact).values_list("language_id", flat=True)) == [
        "ar", "en"]

    page.locator('input[name="regions"][value="gcc"]').check()
    page.locator('button[value="save"]').click()
    assert list(contact.regions.values_list("slug", flat=True)) == ["gcc"]
    page.locator("fieldset.regions").screenshot(path=artifacts / "preferences-regions-ar.png")

    page.locator('input[name="cadence"][value="weekly"]').check()
    page.locator('button[value="save"]').click()
    assert list(Subscription.objects.filter(contact=contact).values_list("cadence", flat=True)) == ["weekly"]
    assert not _targeted(contact, "energy"), "left to the weekly digest"

    page.locator('button[value="unsubscribe"]').click()
    assert page.locator('button[value="resubscribe"]').is_visible()
    contact.refresh_from_db()
    assert contact.status == "unsubscribed"


@pytest.mark.django_db(transaction=True)
def test_a_japanese_journalist_pauses_mail_in_japanese(page: Page, live_server: Any, artifacts: Path) -> None:
    contact = make_contact("haruka@example.jp", "Haruka", languages=("ja",))
    page.goto(f"{live_server.url}/preferences/{contact_token(contact.pk)}/")
    assert page.evaluate("document.documentElement.lang") == "ja"
    page.locator('input[name="cadence"][value="paused"]').check()
    page.locator('button[value="save"]').click()
    assert "選択内容を保存しました。" in page.locator(".saved").inner_text()
    page.screenshot(path=artifacts / "preferences-ja.png", full_page=False)
    assert not _targeted(contact, "energy")
