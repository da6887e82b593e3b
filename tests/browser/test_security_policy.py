"""The content security policy in a real browser: the pages, the sign-in and Swagger UI work under it with
nothing refused, and the outbox's preview of an e-mail shows its styles but runs none of its scripts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser

from tests.support.browser import sign_in
from wireroom.accounts.models import User
from wireroom.distribution.channels.email.message import MessageTemplate, Recipient
from wireroom.distribution.channels.email.outbox import Outbox
from wireroom.distribution.channels.email.render import NAME
from wireroom.releases.models import Release

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_pages_sign_in_and_the_api_docs_work_under_the_policy_with_nothing_refused(
    browser: Browser, live_server: Any, make_release: Callable[..., Release],
) -> None:
    release = make_release("published")
    User.objects.create_user("desk", password="a long demo password", is_staff=True)
    refused: list[str] = []
    page = browser.new_page()
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/releases/{release.id}/en/")
    # The project's stylesheet applies (the masthead's rule), so it was not refused either.
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).borderBottomWidth") == "3px"
    # An operator without a membership lands on the admin.
    sign_in(page, live_server.url, "desk", "a long demo password", lands_on="/admin/")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Wireroom API" in page.inner_text(".swagger-ui .info .title")
    assert refused == []
    page.close()


@pytest.mark.django_db(transaction=True)
def test_the_outbox_preview_shows_the_messages_styles_and_runs_none_of_its_scripts(
    browser: Browser, live_server: Any, tmp_path: Path,
) -> None:
    payload = {
        "subject": "Styled message",
        "html": f'<html><body><p id="lede" style="color: rgb(179, 38, 30)">Dear {NAME}</p>'
                '<script>document.body.dataset.ran = "yes"</script></body></html>',
        "text": f"Dear {NAME}\n",
        "language": "en",
    }
    template = MessageTemplate(release_id=uuid.uuid4(), version=1, language="en", payload=payload,
                               wire_name="Gulf Wire", mail_from="newsdesk@gulfwire.example",
                               mail_domain="gulfwire.example")
    outbox = tmp_path / "outbox"
    Outbox(outbox).write(template.build(Recipient(7, 107, "Reader", "reader@example.com"),
                                        "Sat, 28 Nov 2026 10:00:00 +0000"))
    User.objects.create_user("desk", password="a long demo password", is_staff=True)
    with override_settings(OUTBOX_DIR=outbox):
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/?next=/console/outbox/delivery-7.eml/")
        page.fill("#id_username", "desk")
        page.fill("#id_password", "a long demo password")
        page.click("#sign-in")
        page.wait_for_url("**/console/outbox/delivery-7.eml/")
        frame = page.frame_locator("iframe.outbox-preview")
        assert frame.locator("#lede").inner_text() == "Dear Reader"
        assert frame.locator("#lede").evaluate("element => getComputedStyle(element).color") == "rgb(179, 38, 30)"
        assert frame.locator("body").evaluate("body => body.dataset.ran ?? 'no'") == "no"
        page.close()
