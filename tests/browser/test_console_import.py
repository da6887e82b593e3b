"""An operator imports contacts through the console in Debian's Chromium: a file with bad rows shows its report
row by row (and the report downloads as CSV) with nothing written; the clean file is checked, confirmed and
imported; the contacts table then lists it, names in any script isolated. Screenshots are kept in `artifacts`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.browser import console_errors, signed_in_context
from wireroom.accounts.models import Membership
from wireroom.mediadb.models import Contact
from wireroom.mediadb.samples import sample_contacts
from wireroom.mediadb.tables import read_table

pytestmark = pytest.mark.browser
ROWS = 400


@pytest.mark.django_db(transaction=True)
def test_an_operator_sees_the_report_of_a_bad_file_then_imports_the_clean_one(
        browser: Browser, live_server: Any, actors: dict[str, Membership], artifacts: Path, tmp_path: Path) -> None:
    Contact.objects.create(name="أمل الحربي", email="amal@example.com", consent=True)
    sample = sample_contacts(rows=ROWS, bad_every=40)
    dirty, clean = tmp_path / "contacts.csv", tmp_path / "contacts-clean.csv"
    dirty.write_bytes(sample.data)
    clean.write_bytes(sample.clean())

    context = signed_in_context(browser, live_server.url, actors["wire_admin"].user, accept_downloads=True)
    page = context.new_page()
    errors = console_errors(page)

    page.goto(f"{live_server.url}/desk/")
    page.get_by_role("link", name="Console").click()
    page.get_by_role("link", name="Import and export").click()
    page.get_by_label("Contacts (journalists and editors)").check()
    page.set_input_files("input[type=file]", str(dirty))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".summary").inner_text()
    assert f"{len(sample.bad_rows)} of {ROWS} rows rejected" in summary and "nothing was written" in summary
    rows = sorted({int(text) for text in page.locator("table.problems tbody tr td:first-child").all_inner_texts()})
    assert rows == sample.bad_rows
    assert page.get_by_role("button", name="Import").count() == 0
    page.screenshot(path=str(artifacts / "console-import-report.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as CSV").click()
    listed = read_table(data=Path(download.value.path()).read_bytes(), format="csv")
    assert sorted({int(cells[0]) for _n, cells in listed.rows}) == sample.bad_rows
    assert Contact.objects.count() == 1

    page.get_by_role("link", name="Upload a corrected file").click()
    page.set_input_files("input[type=file]", str(clean))
    page.get_by_role("button", name="Check the file").click()
    good = ROWS - len(sample.bad_rows)
    assert "nothing written" in page.locator(".summary").inner_text() and Contact.objects.count() == 1
    page.get_by_role("button", name=f"Import {good} contacts rows").click()
    page.wait_for_url(f"{live_server.url}/console/contacts/")
    assert f"{good} contacts rows imported: {good} created" in page.locator(".messages").inner_text()
    assert Contact.objects.count() == good + 1
    page.screenshot(path=str(artifacts / "console-contacts.png"), full_page=False)
    page.get_by_label("Name or address").fill("amal@")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.console-table tbody tr").count() == 1
    assert page.locator("bdi", has_text="أمل الحربي").get_attribute("dir") == "auto"
    context.close()
    assert errors == [], "\n".join(errors)
