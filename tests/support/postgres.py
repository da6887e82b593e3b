"""The PostgreSQL server that tests of PostgreSQL-only tools run against, in either pass of the suite."""

from __future__ import annotations

import os


def postgres_server() -> str:
    """A server on which a test may create a database of its own: the one `scripts/test.sh` names in
    WIREROOM_BENCH_DATABASE_URL, or, in the PostgreSQL pass, the one the tests run on."""
    named = os.environ.get("WIREROOM_BENCH_DATABASE_URL") or os.environ.get("WIREROOM_DATABASE_URL", "")
    assert named.startswith(("postgres://", "postgresql://")), (
        "scripts/test.sh names a PostgreSQL server in WIREROOM_BENCH_DATABASE_URL; set it when running pytest alone")
    return named
