"""What `wireroom import-contacts` and `import-outlets` share: reading the file, the progress bar, the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from wireroom.accounts.models import User
from wireroom.lib.errors import WireroomError
from wireroom.mediadb.reports import ImportReport
from wireroom.mediadb.tables import FORMATS, Table, format_of, read_table

SHOWN_PROBLEMS = 20


class _Bar:
    """One bar per phase (checking, comparing, writing), drawn on standard error."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(phase, total=total)
        self.progress.update(self.tasks[phase], completed=done, total=total)


class ImportCommand(BaseCommand):
    kind = ""
    importer: Callable[..., ImportReport]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; columns in docs/media-database.md")
        parser.add_argument("--format", choices=FORMATS, help="Read the file as this, whatever its name says")
        parser.add_argument("--report", metavar="FILE", help="Write the problems found, one per line, to this CSV")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count; write nothing")
        parser.add_argument("--by", metavar="USERNAME", help="The user the audit log names as importer")
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user {options['by']!r}.")
        try:
            table = self._read(path, options["format"])
            report = self._run(table, source=path.name, by=by, dry_run=options["dry_run"],
                               progress=not options["no_progress"])
        except WireroomError as exc:
            raise CommandError(exc.message) from None
        if options["report"]:
            Path(options["report"]).write_text(report.problems_csv(), encoding="utf-8")
        for problem in report.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(f"row {problem.row}, {problem.column}: {problem.problem}")
        if len(report.problems) > SHOWN_PROBLEMS:
            more = len(report.problems) - SHOWN_PROBLEMS
            self.stderr.write(f"… and {more} more" + (" (see the report)" if options["report"] else
                                                      "; --report FILE writes them all"))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())

    def _read(self, path: Path, format: str | None) -> Table:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        return read_table(data=data, format=format or format_of(path))

    def _run(self, table: Table, *, progress: bool, **kwargs: Any) -> ImportReport:
        if not progress:
            return self.importer(table=table, **kwargs)
        console = Console(stderr=True)
        columns = (TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            return self.importer(table=table, progress=_Bar(bar), **kwargs)


class ExportCommand(BaseCommand):
    exporter: Callable[..., bytes]

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The .csv or .xlsx file to write")
        parser.add_argument("--format", choices=FORMATS, help="Write this format, whatever the file's name says")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = self.exporter(format=options["format"] or format_of(path))
        except WireroomError as exc:
            raise CommandError(exc.message) from None
        path.write_bytes(data)
        self.stdout.write(f"wrote {path}")
