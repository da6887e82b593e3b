"""Importing outlets and terminal partners: checks, matching by id or by name and country, round trip."""

from __future__ import annotations

import pytest

from tests.support.spreadsheets import table
from wireroom.mediadb.exports import outlets_export
from wireroom.mediadb.imports import OUTLET_COLUMNS, outlets_import
from wireroom.mediadb.models import Outlet
from wireroom.mediadb.tables import read_table

pytestmark = pytest.mark.django_db


def outlet(name: str, **values: str) -> dict[str, str]:
    return {"name": name, "type": "newspaper", "country": "AE", **values}


def test_bad_cells_are_reported_and_nothing_is_written() -> None:
    rows = [outlet("Gulf Ledger"), outlet("Wire One", type="blog"), outlet("Desk", country="XZ"),
            outlet("Site", website="not a url"), outlet("Partner", desktops="many"), outlet("Old", active="maybe"),
            outlet("Ghost", id="999999"), outlet("gulf ledger")]
    report = outlets_import(table=table(rows, OUTLET_COLUMNS), source="t")
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "type"), (4, "country"), (5, "website"), (6, "desktops"), (7, "active"), (8, "id"), (9, "name")]
    assert not Outlet.objects.exists()


def test_outlets_are_added_then_updated_by_name_and_country_or_by_id_and_a_rerun_changes_nothing() -> None:
    rows = [outlet("Gulf Ledger", languages="ar;en", sectors="energy", website="https://ledger.example"),
            outlet("Gulf Ledger", country="SA"),
            outlet("Lion Terminal", type="terminal_partner", country="SG", desktops="350000")]
    first = outlets_import(table=table(rows, OUTLET_COLUMNS), source="t")
    assert (first.created, first.updated) == (3, 0)
    ledger = Outlet.objects.get(name="Gulf Ledger", country="AE")
    assert set(ledger.languages.values_list("code", flat=True)) == {"ar", "en"}
    rows[0]["sectors"] = "energy;technology"
    rows[2] |= {"id": str(Outlet.objects.get(name="Lion Terminal").pk), "name": "Lion Terminals", "active": "no"}
    second = outlets_import(table=table(rows, OUTLET_COLUMNS), source="t")
    assert (second.created, second.updated, second.unchanged) == (0, 2, 1)
    lion = Outlet.objects.get(name="Lion Terminals")
    assert (lion.active, lion.desktops) == (False, 350000)
    assert set(ledger.sectors.values_list("slug", flat=True)) == {"energy", "technology"}
    third = outlets_import(table=table(rows, OUTLET_COLUMNS), source="t")
    assert (third.unchanged, third.written) == (3, False)


def test_outlets_go_out_to_xlsx_and_come_back_unchanged() -> None:
    rows = [outlet("صحيفة الخليج", languages="ar", sectors="energy;top-story"), outlet("Tokyo Desk", country="JP")]
    outlets_import(table=table(rows, OUTLET_COLUMNS), source="t")
    exported = outlets_export(format="xlsx")
    again = outlets_import(table=read_table(data=exported, format="xlsx"), source="export.xlsx")
    assert (again.unchanged, again.created, again.updated) == (2, 0, 0)
