"""PostgreSQL: a `tsvector` per `SearchEntry` in `search_document`, under a GIN index.

The vector is written as a literal of the terms `analysis` makes (positions and weights included), not through
`to_tsvector`, so PostgreSQL's parser cannot split a term differently: a query finds what it finds on SQLite.
The stems are those of PostgreSQL's Snowball configurations, made by the same algorithms in Python. Weights: the
headline A, the summary B, the body D; ranked by `ts_rank`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection

from wireroom.search.analysis import Part
from wireroom.search.backends.base import Document, Match, Query
from wireroom.search.backends.registry import BackendSpec, register
from wireroom.search.backends.sql import ranked

TABLE = "search_document"
# PostgreSQL keeps positions up to 16383, and at most 256 of them per lexeme.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_TERM = 256


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(document: Document) -> str:
    """`'term':1A,4A 'other':2B …`: each field's terms at their positions, one position apart between fields
    (so no phrase runs from the headline into the summary)."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for weight, field in (("A", document.headline), ("B", document.summary), ("D", document.body)):
        for term in field:
            position += 1
            if position > MAX_POSITION:
                break
            if len(positions[term]) < MAX_POSITIONS_PER_TERM:
                positions[term].append(f"{position}{weight}")
        position += 1
    return " ".join(f"{_lexeme(term)}:{','.join(places)}" for term, places in positions.items())


def query_literal(parts: list[Part]) -> str:
    clauses = []
    for part in parts:
        if part.phrase:
            clauses.append("(" + " <-> ".join(_lexeme(term) for term in part.phrase) + ")")
        elif part.prefix:
            clauses.append(_lexeme(part.prefix) + ":*")
        else:
            clauses.append("(" + " | ".join(_lexeme(form) for form in part.any_of) + ")")
    return " & ".join(clauses)


class Postgres:
    name = "postgres"
    vendor = "postgresql"

    def store(self, documents: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {TABLE} (entry_id, document) VALUES (%s, %s::tsvector) "
                               "ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document",
                               [(doc.entry_id, vector_literal(doc)) for doc in documents])

    def drop(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE entry_id = ANY(%s)", [entry_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def matching(self, parts: list[Part], language: str | None) -> tuple[str, list[Any]]:
        language_sql = "AND e.language_id = %s" if language else ""
        sql = (f"SELECT e.release_id FROM {TABLE} d JOIN search_searchentry e ON e.id = d.entry_id "
               f"WHERE d.document @@ %s::tsquery {language_sql}")
        return sql, [query_literal(parts), *([language] if language else [])]

    def search(self, query: Query) -> tuple[list[Match], int]:
        language = "AND e.language_id = %s" if query.language else ""
        matched = f"""
            SELECT e.release_id AS release_id, e.language_id AS language,
                   ts_rank(d.document, q.query) AS relevance
            FROM (SELECT %s::tsquery AS query) q, {TABLE} d JOIN search_searchentry e ON e.id = d.entry_id
            WHERE d.document @@ q.query {language}
        """
        params: list[Any] = [query_literal(query.parts)]
        if query.language:
            params.append(query.language)
        sql, rest = ranked(matched=matched,
                           age_days="GREATEST(0, EXTRACT(EPOCH FROM (%s - r.published_at)) / 86400.0)",
                           query=query)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *rest])
            rows = cursor.fetchall()
        total = rows[0][3] if rows else 0
        return [Match(release_id=str(row[0]), language=row[1], score=float(row[2])) for row in rows], total


register(BackendSpec(name="postgres", vendor="postgresql", factory=Postgres))
