"""Importing contacts: each check on its own, merging by address, suppression, all or nothing, idempotence."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.spreadsheets import contact, csv_bytes, table
from wireroom.audit.models import AuditEntry
from wireroom.mediadb.exports import contacts_export
from wireroom.mediadb.imports import contacts_import
from wireroom.mediadb.models import Contact, ContactStatus, Outlet
from wireroom.mediadb.tables import read_table

pytestmark = pytest.mark.django_db


def problems_of(*rows: dict[str, str]) -> list[tuple[int, str]]:
    report = contacts_import(table=table(list(rows)), source="test.csv")
    assert not report.written
    return [(problem.row, problem.column) for problem in report.problems]


def test_a_malformed_address_is_reported_with_its_row_and_column() -> None:
    assert problems_of(contact("mei@example.com"), contact("mei.example.com"), contact("a b@example.com")) == [
        (3, "email"), (4, "email")]


def test_an_unknown_country_code_is_reported() -> None:
    assert problems_of(contact("a@example.com", country="AE;XZ")) == [(2, "country")]


def test_regions_are_read_by_slug_or_english_name_in_any_case_and_unknown_ones_are_refused() -> None:
    rows = [contact("a@example.com", regions="GCC;Southeast Asia (ASEAN)"),
            contact("b@example.com", regions="Atlantis")]
    assert problems_of(*rows) == [(3, "regions")]
    contacts_import(table=table(rows[:1]), source="test.csv")
    assert set(Contact.objects.get().regions.values_list("slug", flat=True)) == {"gcc", "asean"}


def test_an_unknown_language_tag_is_reported_and_known_tags_match_in_any_case() -> None:
    assert problems_of(contact("a@example.com", languages="zh-hant;EN"), contact("b@example.com", languages="tlh")
                       ) == [(3, "languages")]


def test_beats_are_read_by_slug_or_by_name_in_any_of_the_wire_languages_and_others_are_refused() -> None:
    rows = [contact("a@example.com", beats="energy;Künstliche Intelligenz;人工智能;Banking & Finance"),
            contact("b@example.com", beats="astrology")]
    assert problems_of(*rows) == [(3, "beats")]
    contacts_import(table=table(rows[:1]), source="test.csv")
    beats = set(Contact.objects.get().beats.values_list("slug", flat=True))
    assert beats == {"energy", "artificial-intelligence", "banking-finance"}


def test_a_row_without_a_consent_basis_is_rejected() -> None:
    assert problems_of(contact("a@example.com", consent_basis="")) == [(2, "consent_basis")]
    assert problems_of(contact("a@example.com", consent_basis="because")) == [(2, "consent_basis")]


def test_an_address_twice_in_the_file_is_rejected_whatever_its_case_or_domain_spelling() -> None:
    assert problems_of(contact("ana@bücher.de"), contact("ANA@xn--bcher-kva.de"), contact("Ana@BÜCHER.de")) == [
        (3, "email"), (4, "email")]


def test_a_file_without_a_required_column_or_with_an_unknown_one_is_refused_as_a_whole() -> None:
    report = contacts_import(table=table([{"email": "a@example.com", "name": "Mei"}], ["email", "name"]), source="t")
    assert [(p.row, p.column) for p in report.problems] == [(1, "consent_basis")]
    report = contacts_import(table=table([contact("a@example.com", langauges="en")],
                                         ["email", "name", "consent_basis", "langauges"]), source="t.csv")
    assert [(p.row, p.column) for p in report.problems] == [(1, "langauges")]


def test_a_file_with_one_bad_row_writes_nothing_and_the_command_fails_with_a_report(tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(csv_bytes([contact("a@example.com"), contact("b@example.com", country="XZ")]))
    with pytest.raises(CommandError, match="1 of 2 rows rejected"):
        call_command("import-contacts", str(source), "--report", str(tmp_path / "report.csv"), "--no-progress",
                     stdout=StringIO(), stderr=StringIO())
    assert not Contact.objects.exists()
    report = read_table(data=(tmp_path / "report.csv").read_bytes(), format="csv")
    assert report.headers == ["row", "column", "value", "problem"]
    assert [cells[:3] for _number, cells in report.rows] == [["3", "country", "XZ"]]


def test_the_command_imports_a_clean_file_and_says_what_it_did(tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(csv_bytes([contact("a@example.com", languages="ar;en"), contact("b@example.com")]))
    out = StringIO()
    call_command("import-contacts", str(source), "--no-progress", stdout=out, stderr=StringIO())
    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    first = Contact.objects.get(email="a@example.com")
    assert list(first.contactlanguage_set.values_list("language_id", "rank")) == [("ar", 1), ("en", 2)]
    assert first.consent and first.consent_basis == "consent" and first.consent_source == "import: contacts.csv"


def test_an_existing_contact_is_merged_by_address_whatever_its_case_and_domain_spelling() -> None:
    existing = Contact.objects.create(name="Ana", email="Ana@xn--bcher-kva.de", consent=False)
    report = contacts_import(table=table([contact("ana@BÜCHER.de", name="Ana Lima", role="editor")]), source="t")
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert (Contact.objects.count(), existing.name, existing.role, existing.consent) == (1, "Ana Lima", "editor", True)
    assert existing.email == "Ana@xn--bcher-kva.de"


@pytest.mark.parametrize("status", [ContactStatus.UNSUBSCRIBED, ContactStatus.BOUNCED, ContactStatus.COMPLAINED])
def test_a_suppressed_address_stays_suppressed_whatever_the_file_says(status: str) -> None:
    Contact.objects.create(name="Omar", email="omar@example.com", status=status, consent=True)
    report = contacts_import(table=table([contact("OMAR@example.com", name="Omar Haddad")]), source="t")
    assert report.written and report.suppressed == 1
    omar = Contact.objects.get()
    assert (omar.status, omar.name) == (status, "Omar Haddad")


def test_a_column_the_file_lacks_leaves_that_field_as_it_is() -> None:
    outlet = Outlet.objects.create(name="Gulf Ledger", type="newspaper", country_id="AE")
    Contact.objects.create(name="Mei", email="mei@example.com", outlet=outlet, consent=True)
    report = contacts_import(table=table([contact("mei@example.com")], ["email", "name", "consent_basis"]),
                             source="t")
    assert report.written
    assert Contact.objects.get().outlet == outlet


def test_an_outlet_is_named_by_its_id_or_its_exact_name() -> None:
    gulf = Outlet.objects.create(name="Gulf Ledger", type="newspaper", country_id="AE")
    twin = Outlet.objects.create(name="Twin Times", type="online", country_id="DE")
    Outlet.objects.create(name="Twin Times", type="online", country_id="FR")
    rows = [contact("a@example.com", outlet="gulf ledger"), contact("b@example.com", outlet=str(twin.pk)),
            contact("c@example.com", outlet="Twin Times"), contact("d@example.com", outlet="Nowhere News")]
    assert problems_of(*rows) == [(4, "outlet"), (5, "outlet")]
    contacts_import(table=table(rows[:2]), source="t")
    assert dict(Contact.objects.values_list("email", "outlet_id")) == {"a@example.com": gulf.pk,
                                                                       "b@example.com": twin.pk}


def test_consent_at_must_be_a_past_iso_date() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert problems_of(contact("a@example.com", consent_at="2025-03-04"), contact("b@example.com", consent_at="3/4/25"),
                       contact("c@example.com", consent_at=tomorrow)) == [(3, "consent_at"), (4, "consent_at")]


def test_importing_the_same_file_again_writes_nothing() -> None:
    rows = [contact(f"r{n}@example.com", country="AE", languages="ar;en", beats="energy", consent_at="2025-01-02")
            for n in range(30)]
    first = contacts_import(table=table(rows), source="t")
    assert first.created == 30
    audit_entries, contacts = AuditEntry.objects.count(), list(Contact.objects.values())
    with CaptureQueriesContext(connection) as queries:
        again = contacts_import(table=table(rows), source="t")
    writes = ("INSERT", "UPDATE", "DELETE")
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(writes)] == []
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 30, False)
    assert AuditEntry.objects.count() == audit_entries
    assert list(Contact.objects.values()) == contacts


def test_a_changed_row_updates_only_its_contact_and_is_audited() -> None:
    rows = [contact("a@example.com", beats="energy"), contact("b@example.com", beats="energy")]
    contacts_import(table=table(rows), source="t")
    rows[1]["beats"] = "technology"
    report = contacts_import(table=table(rows), source="t")
    assert (report.updated, report.unchanged) == (1, 1)
    assert list(Contact.objects.get(email="b@example.com").beats.values_list("slug", flat=True)) == ["technology"]
    entry = AuditEntry.objects.filter(action="contact.import").first()
    assert entry is not None and entry.data == {"source": "t", "fields": ["beats"]}


def test_contacts_go_out_to_xlsx_and_come_back_unchanged() -> None:
    rows = [contact("ana@bücher.de", name="آنا", role="editor", country="DE;AE", regions="mena;eu", languages="de;ar",
                    beats="energy;technology", consent_basis="legitimate_interest", consent_at="2025-05-06T07:08:09Z"),
            contact("li@example.com", name="李明", languages="zh-Hans")]
    contacts_import(table=table(rows), source="t")
    exported = contacts_export(format="xlsx")
    again = contacts_import(table=read_table(data=exported, format="xlsx"), source="export.xlsx")
    assert (again.unchanged, again.created, again.updated) == (2, 0, 0)
    sheet = read_table(data=exported, format="xlsx")
    first = dict(zip(sheet.headers, sheet.rows[0][1], strict=True))
    assert first | {"consent_at": first["consent_at"][:19]} == {
        "email": "ana@xn--bcher-kva.de", "name": "آنا", "outlet": "", "role": "editor", "country": "AE;DE",
        "regions": "eu;mena", "languages": "de;ar", "beats": "energy;technology",
        "consent_basis": "legitimate_interest", "consent_at": "2025-05-06T07:08:09", "status": "active"}


def test_an_xlsx_export_carries_no_formula_a_name_could_smuggle_in() -> None:
    contacts_import(table=table([contact("eve@example.com", name='=HYPERLINK("http://example.net","x")')]),
                    source="t")
    sheet = read_table(data=contacts_export(format="xlsx"), format="xlsx")
    assert sheet.rows[0][1][1] == 'HYPERLINK("http://example.net","x")'


def test_the_export_leaves_out_addresses_without_consent_so_it_always_imports_back() -> None:
    Contact.objects.create(name="", email="suppressed-only@example.com", consent=False,
                           status=ContactStatus.UNSUBSCRIBED)
    Contact.objects.create(name="Old Timer", email="old@example.com", consent=True)  # from before consent_basis
    sheet = read_table(data=contacts_export(format="csv"), format="csv")
    basis = sheet.headers.index("consent_basis")
    assert [(cells[0], cells[basis]) for _number, cells in sheet.rows] == [("old@example.com", "consent")]
    assert contacts_import(table=sheet, source="export.csv").ok


def test_a_trailing_empty_column_a_spreadsheet_saved_is_ignored() -> None:
    data = b"email,name,consent_basis,,\r\nmei@example.com,Mei Tan,consent,,\r\n"
    report = contacts_import(table=read_table(data=data, format="csv"), source="t")
    assert report.ok and report.created == 1
