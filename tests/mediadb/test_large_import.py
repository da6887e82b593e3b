"""A 90,000-row contacts file through the command, as an operator would import it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wireroom.audit.models import AuditEntry
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.mediadb.samples import sample_contacts
from wireroom.mediadb.tables import read_table

ROWS = 90_000


@pytest.mark.slow
# Transactional: inside one test transaction PostgreSQL queues every deferred foreign-key check of the three
# imports until the teardown's SET CONSTRAINTS, which then ran for more than ten minutes.
@pytest.mark.django_db(transaction=True)
def test_a_90000_row_file_with_one_percent_bad_rows_is_refused_then_its_clean_part_imports_once(
        tmp_path: Path) -> None:
    sample = sample_contacts(rows=ROWS, bad_every=100)
    assert len(sample.bad_rows) == ROWS // 100
    dirty, clean, report = tmp_path / "contacts.csv", tmp_path / "clean.csv", tmp_path / "report.csv"
    dirty.write_bytes(sample.data)
    clean.write_bytes(sample.clean())

    with pytest.raises(CommandError, match=f"{len(sample.bad_rows)} of {ROWS} rows rejected"):
        call_command("import-contacts", str(dirty), "--report", str(report), "--no-progress",
                     stdout=StringIO(), stderr=StringIO())
    listed = read_table(data=report.read_bytes(), format="csv")
    assert sorted({int(cells[0]) for _number, cells in listed.rows}) == sample.bad_rows
    assert not Contact.objects.exists()

    out = StringIO()
    call_command("import-contacts", str(clean), "--no-progress", stdout=out, stderr=StringIO())
    good = ROWS - len(sample.bad_rows)
    assert f"{good} created, 0 updated, 0 unchanged" in out.getvalue()
    assert Contact.objects.count() == good
    assert ContactLanguage.objects.values("contact").distinct().count() == good
    snapshot = (AuditEntry.objects.count(), ContactLanguage.objects.count(), Contact.beats.through.objects.count())

    out = StringIO()
    call_command("import-contacts", str(clean), "--no-progress", stdout=out, stderr=StringIO())
    assert f"0 created, 0 updated, {good} unchanged" in out.getvalue()
    assert (AuditEntry.objects.count(), ContactLanguage.objects.count(),
            Contact.beats.through.objects.count()) == snapshot
