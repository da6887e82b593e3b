"""Small spreadsheets for the import tests, written as a person would, then read by the real reader."""

from __future__ import annotations

import csv
import io
from typing import Any

from wireroom.mediadb.imports import CONTACT_COLUMNS
from wireroom.mediadb.tables import Table, read_table


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = CONTACT_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def table(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = CONTACT_COLUMNS) -> Table:
    return read_table(data=csv_bytes(rows, columns), format="csv")


def contact(email: str, **values: str) -> dict[str, str]:
    """A good row: the required columns filled, the others empty unless given."""
    return {"email": email, "name": "Mei Tan", "consent_basis": "consent", **values}
