"""The connections page in Debian's Chromium: an outlet's member signs in, is refused an SSRF target with the
reason beside the field, adds an endpoint on a real loopback receiver, sends it a signed test event, rotates the
secret and sees both secrets sign; then the page in Arabic, right to left. Screenshots kept in `artifacts`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from standardwebhooks.webhooks import Webhook

from tests.support.browser import sign_in
from tests.support.factories import outlet_with_member
from tests.support.http import sink_in_thread
from wireroom.subscriptions.models import Subscription, WebhookEndpoint

pytestmark = pytest.mark.browser
PASSWORD = "a long and unguessable passphrase"


@pytest.mark.django_db(transaction=True)
def test_an_outlet_member_adds_an_endpoint_tests_it_and_rotates_its_secret_and_an_ssrf_target_is_refused(
    refusing_page: Page, live_server: Any, artifacts: Path, settings: Any,
) -> None:
    page = refusing_page
    # The receiver is on loopback; a cloud metadata address stays refused even so.
    settings.OUTBOUND_ALLOW_PRIVATE = True
    _outlet, member = outlet_with_member("Gulf Daily", "gulfdesk")
    member.user.set_password(PASSWORD)
    member.user.save()
    sign_in(page, live_server.url, "gulfdesk", PASSWORD, lands_on="/connect/")

    page.fill("#id_url", "http://169.254.169.254/latest/meta-data/")
    page.click("#add-endpoint button[type=submit]")
    error = page.locator("#id_url-error")
    assert "The wire may not send to this address" in error.inner_text()
    assert "cloud metadata address" in error.inner_text()
    page.screenshot(path=artifacts / "connect-ssrf-refused.png", full_page=True)
    assert not WebhookEndpoint.objects.exists()

    with sink_in_thread() as sink:
        page.fill("#id_url", sink.url("/wire"))
        page.select_option("#id_format", "nitf")
        page.check('#add-endpoint input[name="sectors"][value="energy"]')
        page.click("#add-endpoint button[type=submit]")
        first = page.locator("#new-signing-secret .secret").inner_text().strip()
        assert first.startswith("whsec_")
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.format == "nitf"
        assert list(Subscription.objects.get(endpoint=endpoint).sectors.values_list("slug", flat=True)) == ["energy"]
        page.screenshot(path=artifacts / "connect-endpoint-added.png", full_page=True)

        page.goto(f"{live_server.url}/connect/")
        page.click(f"#webhook-{endpoint.pk} button[name=test]")
        assert "The test event was delivered: HTTP 200." in page.locator(".messages").inner_text()
        assert "HTTP 200" in page.locator(f"#webhook-{endpoint.pk} .last-test").inner_text()
        [tested] = sink.to("/wire")
        Webhook(first).verify(tested.body, tested.headers)

        page.select_option(f"#grace-{endpoint.pk}", "72")
        page.click(f"#webhook-{endpoint.pk} button[name=rotate]")
        second = page.locator("#new-signing-secret .secret").inner_text().strip()
        assert second.startswith("whsec_") and second != first
        assert "both the old and the new secret sign" in page.locator(f"#webhook-{endpoint.pk} .grace").inner_text()
        page.click(f"#webhook-{endpoint.pk} button[name=test]")
        page.wait_for_selector(".messages")
        during = sink.to("/wire")[1]
        assert during.headers["webhook-signature"].count("v1,") == 2
        Webhook(first).verify(during.body, during.headers)
        Webhook(second).verify(during.body, during.headers)
        page.screenshot(path=artifacts / "connect-rotated.png", full_page=True)

    member.user.language = "ar"
    member.user.save()
    page.goto(f"{live_server.url}/connect/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("h1").inner_text().startswith("الاتصالات")
    page.screenshot(path=artifacts / "connect-rotated-ar.png", full_page=True)
