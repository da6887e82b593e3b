from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = ("Copy the embedded SQLite database to DEST while the wire runs: a consistent snapshot taken with "
            "SQLite's online backup API, which the web server and workers go on writing beside. On PostgreSQL "
            "use pg_dump (docs/operations.md).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dest", type=Path, help="File to write; it must not exist yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("wireroom backup copies the embedded SQLite database only; this wire runs on "
                               f"{connection.vendor}: back it up with pg_dump, for example "
                               "`pg_dump --format=custom --file=wireroom.dump <database>` (docs/operations.md)")
        source = Path(connection.settings_dict["NAME"])
        dest: Path = options["dest"]
        if dest.exists():
            raise CommandError(f"{dest} exists already; name a new file")
        if not dest.parent.is_dir():
            raise CommandError(f"{dest.parent} is not a folder")
        # Written aside and renamed when complete, so a file at DEST is always a whole backup.
        draft = dest.with_name(f".{dest.name}.{os.getpid()}.part")
        try:
            self._copy(source, draft)
            draft.rename(dest)
        finally:
            draft.unlink(missing_ok=True)
        self.stdout.write(f"backed up {source} to {dest} ({dest.stat().st_size:,} bytes)")

    def _copy(self, source: Path, draft: Path) -> None:
        # Not through Django's connection: the backup holds one read transaction for the whole copy (every page
        # in one step), which in WAL mode never blocks the writers and is never restarted by them, as a copy in
        # several steps would be.
        with contextlib.closing(sqlite3.connect(source, timeout=20)) as src, \
                contextlib.closing(sqlite3.connect(draft)) as dst:
            src.backup(dst, pages=-1)
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise CommandError(f"the copy failed its integrity check: {check}")
