"""The report's downloads: every delivery as CSV, read from the ledger page by page, and the report as PDF.

The CSV is a stream of keyset pages (PAGE rows each), so a 92,500-row release never sits in memory. Under
ASGI the stream is an async iterator whose pages are read in a worker thread; a sync iterator there would be
read whole into a list by Django before the first byte went out.
"""

from __future__ import annotations

import csv
import io
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any

from asgiref.sync import sync_to_async

from wireroom.distribution.selectors import deliveries_after

PAGE = 2000
HEADER = ("delivery", "version", "action", "channel", "recipient_kind", "country", "language", "state",
          "staged_at", "due_at", "handed_off_at", "attempts", "error")
# A spreadsheet runs a cell that starts with one of these as a formula; an error text from a remote server may.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _kind(role: str | None, endpoint_id: int | None, sftp_id: int | None) -> str:
    if endpoint_id is not None:
        return "webhook endpoint"
    if sftp_id is not None:
        return "sftp endpoint"
    return role or "contact"


def _line(row: tuple[Any, ...]) -> list[str]:
    (pk, version, action, channel, role, endpoint_id, sftp_id, country, language, state, created_at,
     next_attempt_at, delivered_at, attempts, error) = row
    return [_cell(value) for value in (pk, version, action, channel, _kind(role, endpoint_id, sftp_id), country,
                                       language, state, created_at, next_attempt_at, delivered_at, attempts,
                                       error)]


def _page(release_id: uuid.UUID, after_id: int) -> tuple[bytes, int | None]:
    """One page of CSV lines after the row `after_id`, and the last row's id (None when the ledger is read)."""
    rows = deliveries_after(release_id=release_id, after_id=after_id, limit=PAGE)
    if not rows:
        return b"", None
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_line(row) for row in rows)
    return buffer.getvalue().encode(), int(rows[-1][0])


def _header() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(HEADER)
    # A byte-order mark, so spreadsheet programs read the file as UTF-8 (Arabic, CJK and Thai error texts).
    return "\ufeff".encode() + buffer.getvalue().encode()


def csv_lines(*, release_id: uuid.UUID) -> Iterator[bytes]:
    yield _header()
    after: int | None = 0
    while after is not None:
        chunk, after = _page(release_id, after)
        if chunk:
            yield chunk


async def csv_lines_async(*, release_id: uuid.UUID) -> AsyncIterator[bytes]:
    yield _header()
    after: int | None = 0
    read = sync_to_async(_page)
    while after is not None:
        chunk, after = await read(release_id, after)
        if chunk:
            yield chunk


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The report needs nothing from elsewhere: its stylesheet is given as a file and its charts are inline.
    raise ValueError(f"the report's PDF fetches nothing ({url[:80]})")


def pdf_file(html: str, *, stylesheet: Path) -> IO[bytes]:
    """The report's HTML laid out by WeasyPrint into a temporary file, rewound, for a FileResponse to stream."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, which only the PDF needs

    target = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        target=target, stylesheets=[CSS(filename=str(stylesheet), url_fetcher=_no_fetching)])
    target.seek(0)
    return target
