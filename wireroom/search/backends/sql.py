"""The SQL both backends share: which matches may be shown, and how they are ranked and paged."""

from __future__ import annotations

from typing import Any

from wireroom.releases.models import PUBLIC_STATES
from wireroom.search.backends.base import Query

# `releases.selectors.public_releases` in SQL, checked where the matches meet their releases: published or
# corrected, past the publication time and the embargo second. Kept here, beside the ranking, because the
# ranking reads `published_at` from the same join.
PUBLIC_STATES_SQL = ", ".join(f"'{state}'" for state in sorted(PUBLIC_STATES))


def ranked(*, matched: str, age_days: str, query: Query) -> tuple[str, list[Any]]:
    """The page of matches, best first, one per release, with the number of releases matched.

    `matched` is the backend's SQL yielding (release_id, language, relevance), relevance higher for better;
    `age_days` is its SQL for the days since `r.published_at` at the first parameter. The score divides the
    relevance by 1 + age/30 days: a month-old release needs twice the relevance to come level with today's.
    A release that matched in several languages is shown in the preferred one, else in its best.
    """
    params: list[Any] = [query.now, query.now, query.now]
    narrowed = ""
    if query.filter_sql:
        narrowed = f"AND r.id IN ({query.filter_sql})"
        params.extend(query.filter_params)
    params.extend([query.prefer_language or "", query.limit, query.offset])
    sql = f"""
        WITH matched AS ({matched}),
        visible AS (
            SELECT m.release_id, m.language, m.relevance / (1.0 + {age_days} / 30.0) AS score
            FROM matched m JOIN releases_release r ON r.id = m.release_id
            WHERE r.state IN ({PUBLIC_STATES_SQL}) AND r.published_at IS NOT NULL AND r.published_at <= %s
              AND (r.embargo_at IS NULL OR r.embargo_at <= %s) {narrowed}
        ),
        ranked AS (
            SELECT release_id, language, MAX(score) OVER (PARTITION BY release_id) AS best,
                   ROW_NUMBER() OVER (PARTITION BY release_id
                                      ORDER BY CASE WHEN language = %s THEN 0 ELSE 1 END, score DESC) AS nth
            FROM visible
        )
        SELECT release_id, language, best, COUNT(*) OVER () FROM ranked WHERE nth = 1
        ORDER BY best DESC, release_id LIMIT %s OFFSET %s
    """
    return sql, params
