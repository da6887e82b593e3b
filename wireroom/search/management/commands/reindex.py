"""`wireroom reindex`: build the search index afresh from the public releases."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wireroom.search.services import search_rebuild


class Command(BaseCommand):
    help = ("Rebuild the full-text search index from every public release, in batches (searches meanwhile find "
            "what is indexed so far). Run it after upgrading to a version that adds search, or to repair the index.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=sys.stderr)
        with Progress(TextColumn("indexing releases"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("reindex", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            indexed = search_rebuild(progress=progress)
        self.stdout.write(f"Indexed {indexed} localizations.")
