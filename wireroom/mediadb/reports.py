"""What an import found and did: one problem per bad cell, and the counts of what was written."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

# Called as (phase, done, total) while a file is checked and written, so a command can draw a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1, the first record row 2
    column: str
    value: str
    problem: str


@dataclass
class ImportReport:
    kind: str  # "contacts" or "outlets"
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    suppressed: int = 0  # rows whose address is suppressed or unsubscribed, and stays so

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems})

    def problems_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["row", "column", "value", "problem"])
        for problem in sorted(self.problems, key=lambda p: (p.row, p.column)):
            writer.writerow([problem.row, problem.column, problem.value, problem.problem])
        return out.getvalue()

    def summary(self) -> str:
        if not self.ok:
            return (f"{len(self.rejected_rows)} of {self.rows} rows rejected "
                    f"({len(self.problems)} problems); nothing was written.")
        verb = ("checked (dry run, nothing written)" if self.dry_run else "imported" if self.written
                else "imported (nothing to change)")
        return (f"{self.rows} {self.kind} rows {verb}: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged" + (f"; {self.suppressed} stay suppressed" if self.suppressed else "")
                + ".")
