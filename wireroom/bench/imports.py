"""`wireroom bench import`: a generated contacts file of 90,000 rows through the import service, three times.

The file is `mediadb.samples.sample_contacts`: every hundredth row has one flaw. The whole file is imported first
(refused, nothing written), then its good rows (all created), then the same good rows again (all unchanged,
nothing written). Each import reads the CSV and runs `contacts_import`, as `wireroom import-contacts` does.

The limit, measured in the same run on the same database: the contact rows the first import wrote, read back
and inserted again with one bare `executemany` INSERT into a scratch table of the same columns, in one
transaction. That is what the database takes for these rows with no checking, no links and no audit entries.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.registry import Bench, Figures, Option, register

SCRATCH = "bench_contact_copy"


def _import(data: bytes, source: str) -> tuple[float, Any]:
    from wireroom.mediadb.imports import contacts_import
    from wireroom.mediadb.tables import read_table

    started = time.perf_counter()
    report = contacts_import(table=read_table(data=data, format="csv"), source=source)
    return time.perf_counter() - started, report


def insert_limit() -> tuple[int, float]:
    """(rows, seconds): every contact row inserted again into a bare copy of the table."""
    from django.db import connection, transaction

    from wireroom.mediadb.models import Contact

    fields = [field for field in Contact._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Contact._meta.db_table)
    rows = list(Contact.objects.order_by("pk").values_list(*(field.attname for field in fields)))
    statement = (f"INSERT INTO {SCRATCH} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        # Same columns, no constraints, no indexes: the bound for writing these rows at all.
        cursor.execute(f"CREATE TABLE {SCRATCH} AS SELECT {columns} FROM {table} WHERE 1 = 0")
        started = time.perf_counter()
        with transaction.atomic():
            cursor.executemany(statement, rows)
        seconds = time.perf_counter() - started
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return len(rows), seconds


def run_import(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    """Runs in a process whose settings point at a fresh SQLite under `workdir` (see the command)."""
    from django.core.management import call_command

    from wireroom.mediadb.samples import sample_contacts

    rows = options["rows"]
    call_command("migrate", verbosity=0)
    sample = sample_contacts(rows=rows, bad_every=100)
    clean = sample.clean()
    good = rows - len(sample.bad_rows)
    log(f"{rows:,} rows, {len(sample.bad_rows):,} of them bad")
    refused_s, refused = _import(sample.data, "bench: with bad rows")
    if refused.written or len(refused.rejected_rows) != len(sample.bad_rows):
        raise RuntimeError(f"the file with bad rows was not refused as expected: {refused}")
    log(f"refused in {refused_s:.2f} s")
    first_s, first = _import(clean, "bench: clean")
    if first.created != good:
        raise RuntimeError(f"the first import created {first.created} contacts, not {good}")
    log(f"first import in {first_s:.2f} s")
    second_s, second = _import(clean, "bench: clean")
    if second.unchanged != good or second.written:
        raise RuntimeError(f"the second import was not a no-op: {second}")
    log(f"second import in {second_s:.2f} s")
    limit_rows, limit_s = insert_limit()
    return {
        "rows": rows,
        "bad_rows": len(sample.bad_rows),
        "refused_s": round(refused_s, 3),
        "first_import_s": round(first_s, 3),
        "second_import_s": round(second_s, 3),
        "rows_per_s": round(good / first_s, 1),
        "limit_rows_per_s": round(limit_rows / max(limit_s, 1e-6), 1),
        "cores": os.cpu_count(),
    }


register(Bench(
    name="import",
    summary=("a generated contacts file (1 % bad rows) imported on a fresh embedded database: refused, then its good "
             "rows created, then found unchanged; beside the rate a bare INSERT of the same rows reaches"),
    run=run_import,
    options=(Option("--rows", int, 90_000, "Rows in the generated file."),),
    limits={"rows_per_s": "limit_rows_per_s"},
))
