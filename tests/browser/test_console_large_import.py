"""The 90,000-row contacts file through the console in Debian's Chromium, as an operator would import it: the
file with 1 % bad rows is checked and refused with every bad row in its report and nothing written, then the
clean file imports whole. The upload is larger than the default body limit (2 MB), so the wire is set up as an
operator importing such files would set it (WIREROOM_MAX_BODY_BYTES of 16 MB). Screenshots in `artifacts`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.browser import signed_in_context
from wireroom.accounts.models import Membership
from wireroom.mediadb.models import Contact
from wireroom.mediadb.samples import sample_contacts
from wireroom.mediadb.tables import read_table

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROWS = 90_000
BODY_LIMIT = 16 * 1024 * 1024


@pytest.mark.django_db(transaction=True)
def test_an_operator_imports_90000_rows_through_the_console_after_the_report_of_the_bad_ones(
        browser: Browser, live_server: Any, actors: dict[str, Membership], artifacts: Path, tmp_path: Path,
        settings: Any) -> None:
    settings.MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT
    sample = sample_contacts(rows=ROWS, bad_every=100)
    assert len(sample.bad_rows) == ROWS // 100
    dirty, clean = tmp_path / "contacts.csv", tmp_path / "contacts-clean.csv"
    dirty.write_bytes(sample.data)
    clean.write_bytes(sample.clean())
    assert len(sample.data) > 2 * 1024 * 1024

    context = signed_in_context(browser, live_server.url, actors["wire_admin"].user, accept_downloads=True)
    context.set_default_timeout(180_000)  # checking 90,000 rows takes a while on a shared machine
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/console/import/")
    page.get_by_label("Contacts (journalists and editors)").check()
    page.set_input_files("input[type=file]", str(dirty))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".summary").inner_text()
    assert f"{len(sample.bad_rows)} of {ROWS} rows rejected" in summary and "nothing was written" in summary
    shown = sorted({int(text) for text in page.locator("table.problems tbody tr td:first-child").all_inner_texts()})
    assert shown == sample.bad_rows[:len(shown)] and shown  # the page shows the first problems, in row order
    assert page.get_by_role("button", name="Import").count() == 0
    page.screenshot(path=str(artifacts / "console-import-90000-report.png"), full_page=False)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as CSV").click()
    listed = read_table(data=Path(download.value.path()).read_bytes(), format="csv")
    assert sorted({int(cells[0]) for _n, cells in listed.rows}) == sample.bad_rows  # exactly the bad rows
    assert not Contact.objects.exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("Contacts (journalists and editors)").check()
    page.set_input_files("input[type=file]", str(clean))
    page.get_by_role("button", name="Check the file").click()
    good = ROWS - len(sample.bad_rows)
    assert "nothing written" in page.locator(".summary").inner_text() and not Contact.objects.exists()
    page.get_by_role("button", name=f"Import {good} contacts rows").click()
    page.wait_for_url(f"{live_server.url}/console/contacts/")
    assert f"{good} contacts rows imported: {good} created" in page.locator(".messages").inner_text()
    assert Contact.objects.count() == good
    page.screenshot(path=str(artifacts / "console-import-90000-done.png"), full_page=False)
    context.close()
    assert errors == [], "\n".join(errors)
