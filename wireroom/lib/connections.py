"""The database connections of long-running loops: the worker's threads and the stream hub's."""

from __future__ import annotations

from django.db import close_old_connections, connection


def refresh_connection() -> None:
    """Between two rounds of a loop, what Django does between two requests: replace a connection that broke or
    outlived CONN_MAX_AGE. Where CONN_MAX_AGE is 0 (SQLite's, so that the web server's threads keep none) the
    connection is kept: each new one parses the whole schema again, and a worker that reconnected at every lease
    spent 7 % of its samples on it at the embargo second (py-spy, docs/benchmarks.md)."""
    if connection.settings_dict["CONN_MAX_AGE"]:
        close_old_connections()
