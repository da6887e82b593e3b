"""The editor's path in Debian's Chromium: the queue, a claim, a change request, the diff after the issuer's fix,
the approval; at the embargo second a real worker hands the release to the test's SMTP server and webhook
endpoint; then the distribution report shows it, its CSV has a row per delivery and its PDF downloads. The
issuer's side goes through the release services. Screenshots are kept in the `artifacts` folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.browser import signed_in_context
from tests.support.email import make_contact, smtp_server
from tests.support.factories import release_input
from tests.support.http import sink_in_thread
from tests.support.workers import start_worker, wait_until
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import State
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
# From the release's creation to its embargo: time enough for the editor's steps on a busy machine.
LEAD = dt.timedelta(seconds=50)


def _signed_in(browser: Browser, base: str, membership: Membership, errors: list[str]) -> tuple[BrowserContext, Page]:
    """A browser signed in as this member (the session cookie of a real sign-in, made by Django's test client)."""
    context = signed_in_context(browser, base, membership.user, accept_downloads=True)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[tuple[str, Any, Any]]:
    with smtp_server() as (smtp_url, mailbox), sink_in_thread() as hooks:
        process = start_worker(tmp_path, smtp_url=smtp_url, lease_seconds=5)
        try:
            yield smtp_url, mailbox, hooks
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)


@pytest.mark.django_db(transaction=True)
def test_an_editor_reviews_a_release_which_goes_out_at_its_embargo_and_shows_in_the_report(
    browser: Browser, live_server: Any, artifacts: Path, actors: dict[str, Membership],
    worker: tuple[str, Any, Any],
) -> None:
    _smtp_url, mailbox, hooks = worker
    make_contact("amal@example.com", "Amal", languages=("ar",))
    outlet = Outlet.objects.create(name="Gulf Wire Desk", type=OutletType.NEWS_AGENCY, country_id="AE")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=hooks.url("/hook"), secrets=[SECRET])
    Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    author = actors["issuer_admin"]
    embargo = (timezone.now() + LEAD).replace(microsecond=0)
    release = services.release_create(by=author, data=release_input(embargo_at=embargo)).release
    services.release_submit(release=release, by=author)
    errors: list[str] = []
    base = live_server.url

    _context, desk = _signed_in(browser, base, actors["wire_editor"], errors)
    desk.goto(f"{base}/desk/")
    row = desk.locator("table.queue tbody tr").filter(has_text="نهر للطاقة")
    row.get_by_role("button", name="Claim").click()
    row.get_by_text("You have it").wait_for()
    assert row.locator(".state").inner_text() == "In review"  # the claim's answer is the whole row
    desk.screenshot(path=artifacts / "desk-queue.png", full_page=True)
    release.refresh_from_db()
    assert release.state == State.IN_REVIEW

    row.get_by_role("link").first.click()
    desk.get_by_label("What needs to change").fill("Say how many homes the plant serves.")
    desk.get_by_role("button", name="Request changes").click()
    desk.get_by_text("Sent back to the issuer with your note.").wait_for()
    release.refresh_from_db()
    assert release.state == State.CHANGES_REQUESTED

    fix = release_input().localizations[1]
    fix.headline = "Nahr Energy opens a solar desalination plant for 50,000 homes"
    services.release_update(release=release, by=author, data=services.ReleaseInput(localizations=[fix]))
    services.release_submit(release=release, by=author)

    desk.goto(f"{base}/desk/releases/{release.id}/")
    change = desk.locator('td.change[lang="en"]').first
    assert change.locator("ins").first.inner_text().strip() == "for 50,000 homes"
    desk.screenshot(path=artifacts / "desk-review.png", full_page=True)
    desk.get_by_role("button", name="Approve").click()
    desk.get_by_text("Approved.").wait_for()
    release.refresh_from_db()
    assert release.state == State.APPROVED

    services.release_publish(release=release, by=author)  # the issuer schedules it for the embargo second
    release.refresh_from_db()
    assert release.state == State.SCHEDULED
    wait_until(lambda: timezone.now() >= embargo - dt.timedelta(seconds=1), timeout=LEAD.total_seconds(),
               what="the second before the embargo")
    assert not mailbox.envelopes and not hooks.to("/hook"), "nothing leaves before its embargo"
    wait_until(lambda: bool(mailbox.envelopes) and bool(hooks.to("/hook")), timeout=30, what="the deliveries")
    assert time.time() >= embargo.timestamp()
    assert mailbox.envelopes[0].rcpt_tos == ["amal@example.com"]
    wait_until(lambda: not Delivery.objects.filter(release=release).exclude(state="delivered").exists(),
               timeout=30, what="every delivery acknowledged")
    deliveries = Delivery.objects.filter(release=release).count()
    assert deliveries == 2

    _issuer_context, report = _signed_in(browser, base, author, errors)
    report.goto(f"{base}/workspace/releases/{release.id}/report/")
    assert "Nahr Energy" in report.title() or "نهر" in report.title()
    assert report.locator("svg.chart").count() == 3
    report.screenshot(path=artifacts / "report.png", full_page=True)
    with report.expect_download() as download:
        report.get_by_role("link", name="Every delivery (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == deliveries
    with report.expect_download() as download:
        report.get_by_role("link", name="This report (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert errors == [], "no console errors (a CSP refusal would be one)"
