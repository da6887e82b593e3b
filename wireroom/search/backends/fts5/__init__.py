"""SQLite: an FTS5 table of the terms `analysis` makes, one row per `SearchEntry` (its rowid is the entry's id).

The table splits on spaces only (the `ascii` tokenizer keeps every non-ASCII character in its token), so the
terms are exactly the ones made in Python: CJK pairs, ICU's words, stems. Ranked by bm25, the headline weighing
five times the body and the summary twice.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from wireroom.search.analysis import Part
from wireroom.search.backends.base import Document, Match, Query
from wireroom.search.backends.registry import BackendSpec, register
from wireroom.search.backends.sql import ranked

TABLE = "search_fts"


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(parts: list[Part]) -> str:
    """The FTS5 query: every part must match; a part's forms are alternatives, a CJK run is a phrase."""
    clauses = []
    for part in parts:
        if part.phrase:
            clauses.append(_quoted(" ".join(part.phrase)))
        elif part.prefix:
            clauses.append(_quoted(part.prefix) + "*")
        else:
            clauses.append("(" + " OR ".join(_quoted(form) for form in part.any_of) + ")")
    return " AND ".join(clauses)


class Fts5:
    name = "fts5"
    vendor = "sqlite"

    def store(self, documents: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                # REPLACE: a row left behind by a flush of the entries (between tests) may hold the id.
                f"INSERT OR REPLACE INTO {TABLE} (rowid, headline, summary, body) VALUES (%s, %s, %s, %s)",
                [(doc.entry_id, " ".join(doc.headline), " ".join(doc.summary), " ".join(doc.body))
                 for doc in documents])

    def drop(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(entry_id,) for entry_id in entry_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def matching(self, parts: list[Part], language: str | None) -> tuple[str, list[Any]]:
        language_sql = "AND e.language_id = %s" if language else ""
        sql = (f"SELECT e.release_id FROM {TABLE} JOIN search_searchentry e ON e.id = {TABLE}.rowid "
               f"WHERE {TABLE} MATCH %s {language_sql}")
        return sql, [match_expression(parts), *([language] if language else [])]

    def search(self, query: Query) -> tuple[list[Match], int]:
        language = "AND e.language_id = %s" if query.language else ""
        matched = f"""
            SELECT e.release_id AS release_id, e.language_id AS language,
                   -bm25({TABLE}, 5.0, 2.0, 1.0) AS relevance
            FROM {TABLE} JOIN search_searchentry e ON e.id = {TABLE}.rowid
            WHERE {TABLE} MATCH %s {language}
        """
        params: list[Any] = [match_expression(query.parts)]
        if query.language:
            params.append(query.language)
        sql, rest = ranked(matched=matched, age_days="MAX(0, julianday(%s) - julianday(r.published_at))",
                           query=query)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *rest])
            rows = cursor.fetchall()
        total = rows[0][3] if rows else 0
        return [Match(release_id=str(row[0]), language=row[1], score=float(row[2])) for row in rows], total


register(BackendSpec(name="fts5", vendor="sqlite", factory=Fts5))
