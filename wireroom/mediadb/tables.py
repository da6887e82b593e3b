"""Spreadsheets in and out (CSV and XLSX, through tablib): a header row, then one record per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tablib

from wireroom.lib.errors import InvalidInput

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, the header being 1; cells)


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInput(f"{Path(path).name}: give a .csv or .xlsx file.")
    return suffix


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(*, data: bytes, format: str) -> Table:
    """Headers lower-cased and trimmed; every cell as trimmed text, whatever type the spreadsheet gave it."""
    if format not in FORMATS:
        raise InvalidInput(f"Unknown table format {format!r}; use csv or xlsx.")
    try:
        if format == "csv":
            # utf-8-sig: spreadsheets often start a CSV file with a byte-order mark.
            dataset = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
        else:
            dataset = tablib.Dataset().load(data, format="xlsx")
    except UnicodeDecodeError:
        raise InvalidInput("The CSV file is not UTF-8 text.") from None
    except Exception as exc:  # tablib and openpyxl raise many kinds of errors for a damaged file
        raise InvalidInput(f"The file cannot be read as {format.upper()}: {exc}") from None
    headers = [_cell(header).lower() for header in (dataset.headers or [])]
    rows = [(number, [_cell(value) for value in row]) for number, row in enumerate(dataset, start=2)]
    return Table(headers=headers, rows=[(number, cells) for number, cells in rows if any(cells)])


def write_table(*, headers: list[str], rows: list[list[str]], format: str, title: str) -> bytes:
    if format not in FORMATS:
        raise InvalidInput(f"Unknown table format {format!r}; use csv or xlsx.")
    dataset = tablib.Dataset(*rows, headers=headers, title=title)
    if format == "csv":
        text: str = dataset.export("csv")
        return text.encode("utf-8")
    # tablib's escape drops a leading "=": a name like "=HYPERLINK(…)" must not become a live formula.
    data: bytes = dataset.export("xlsx", escape=True)
    return data
