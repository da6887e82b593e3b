"""Importing through the console: the per-row report before anything is written, the report as CSV, the
confirmation that imports all or nothing; and the exports."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.spreadsheets import contact as row
from tests.support.spreadsheets import csv_bytes
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.mediadb.imports import OUTLET_COLUMNS
from wireroom.mediadb.models import Contact, ContactStatus, Outlet
from wireroom.mediadb.samples import sample_contacts
from wireroom.mediadb.suppression import suppression_add
from wireroom.mediadb.tables import read_table

ROWS = 300


@pytest.fixture
def staff(actors: dict[str, Membership]) -> Client:
    client = Client()
    client.force_login(actors["wire_admin"].user)
    return client


def _upload(client: Client, name: str, data: bytes, kind: str = "contacts") -> tuple[int, str]:
    response = client.post("/console/import/", {"kind": kind, "file": SimpleUploadedFile(name, data)})
    return response.status_code, response.content.decode()


def _token(html: str, what: str) -> str:
    found = re.search(rf"/console/import/([\w-]+)/{what}", html)
    assert found, what
    return found.group(1)


@pytest.mark.django_db
def test_a_file_with_bad_rows_is_reported_row_by_row_and_nothing_is_written_then_its_clean_part_imports_once(
        staff: Client) -> None:
    sample = sample_contacts(rows=ROWS, bad_every=25)
    status, html = _upload(staff, "contacts.csv", sample.data)
    assert status == 200
    assert f"{len(sample.bad_rows)} of {ROWS} rows rejected" in html and "/confirm/" not in html
    shown = sorted({int(n) for n in re.findall(r"<tr><td>(\d+)</td>", html)})
    assert shown == sample.bad_rows
    report = staff.get(f"/console/import/{_token(html, 'problems.csv')}/problems.csv")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    listed = read_table(data=report.content, format="csv")
    assert sorted({int(cells[0]) for _n, cells in listed.rows}) == sample.bad_rows
    # Confirming the bad file anyway checks it again and writes nothing.
    assert staff.post(f"/console/import/{_token(html, 'problems.csv')}/confirm/").status_code == 409
    assert not Contact.objects.exists() and not AuditEntry.objects.exists()

    status, html = _upload(staff, "clean.csv", sample.clean())
    good = ROWS - len(sample.bad_rows)
    assert status == 200 and f"{good} contacts rows checked (dry run, nothing written)" in html
    assert not Contact.objects.exists()
    done = staff.post(f"/console/import/{_token(html, 'confirm/')}/confirm/", follow=True)
    assert f"{good} contacts rows imported: {good} created" in done.content.decode()
    assert Contact.objects.count() == good
    assert AuditEntry.objects.filter(action="contact.import").count() == good

    status, html = _upload(staff, "clean.csv", sample.clean())
    again = staff.post(f"/console/import/{_token(html, 'confirm/')}/confirm/", follow=True).content.decode()
    assert f"0 created, 0 updated, {good} unchanged" in again
    assert AuditEntry.objects.filter(action="contact.import").count() == good


@pytest.mark.django_db
def test_an_upload_is_confirmed_once_and_only_by_the_session_that_made_it(
        staff: Client, actors: dict[str, Membership]) -> None:
    _status, html = _upload(staff, "one.csv", csv_bytes([row("mei@example.com")]))
    token = _token(html, "confirm/")
    other = Client()
    other.force_login(actors["wire_editor"].user)
    assert other.post(f"/console/import/{token}/confirm/").status_code == 404
    assert other.get(f"/console/import/{token}/problems.csv").status_code == 404
    assert not Contact.objects.exists()
    assert staff.post(f"/console/import/{token}/confirm/").status_code == 302
    assert staff.post(f"/console/import/{token}/confirm/").status_code == 404
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_an_import_leaves_a_suppressed_address_suppressed(staff: Client, actors: dict[str, Membership]) -> None:
    suppression_add(email="gone@example.com", reason="Asked by phone", by=actors["wire_admin"].user)
    _status, html = _upload(staff, "c.csv", csv_bytes([row("GONE@example.com", name="Gone Again")]))
    staff.post(f"/console/import/{_token(html, 'confirm/')}/confirm/")
    assert Contact.objects.get().status == ContactStatus.UNSUBSCRIBED


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_is_refused_beside_the_field_and_writes_nothing(staff: Client) -> None:
    for name, data, message in (
        ("contacts.pdf", b"%PDF-1.4", "Give a .csv or .xlsx file."),
        ("contacts.csv", "name\n\udcff".encode("utf-8", "surrogateescape"), "not UTF-8"),
        ("contacts.xlsx", b"not a spreadsheet", "cannot be read as XLSX"),
    ):
        status, html = _upload(staff, name, data)
        assert status == 400 and message in html and 'id="id_file_error"' in html, name
    status, html = _upload(staff, "contacts.csv", b"", kind="people")
    assert status == 400 and 'id="id_kind_error"' in html
    status, html = _upload(staff, "contacts.csv", b"email,name,shoe_size\n", kind="contacts")
    assert status == 200 and "unknown column" in html
    assert not Contact.objects.exists() and not Outlet.objects.exists()


@pytest.mark.django_db
def test_outlets_import_through_the_console_and_both_exports_read_back(staff: Client) -> None:
    data = csv_bytes([{"name": "Gulf Daily", "type": "newspaper", "country": "AE", "languages": "ar;en"},
                      {"name": "Terminal One", "type": "terminal_partner", "country": "GB", "desktops": "3000"}],
                     OUTLET_COLUMNS)
    _status, html = _upload(staff, "outlets.csv", data, kind="outlets")
    staff.post(f"/console/import/{_token(html, 'confirm/')}/confirm/")
    assert Outlet.objects.count() == 2
    exported = staff.get("/console/export/outlets.csv")
    assert exported["Content-Disposition"] == 'attachment; filename="outlets.csv"'
    table = read_table(data=exported.content, format="csv")
    assert {cells[1] for _n, cells in table.rows} == {"Gulf Daily", "Terminal One"}
    _status, html = _upload(staff, "contacts.csv", csv_bytes([row("mei@example.com", outlet="Gulf Daily")]))
    staff.post(f"/console/import/{_token(html, 'confirm/')}/confirm/")
    xlsx = staff.get("/console/export/contacts.xlsx")
    contacts = read_table(data=xlsx.content, format="xlsx")
    assert contacts.rows[0][1][:3] == ["mei@example.com", "Mei Tan", "Gulf Daily"]
