"""Backups taken while a fan-out runs restore into a wire whose ledger resumes where the backup left it.

On SQLite the copy is `wireroom backup`'s; on PostgreSQL it is pg_dump's, restored with pg_restore into a new
database, as docs/operations.md describes. Either way a real worker sends to a real SMTP server on loopback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.support.email import smtp_server
from tests.support.workers import child_database_url, start_worker, wait_until
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.releases.models import Release

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
READERS = 3000
IN_FLIGHT = "SELECT c.email FROM distribution_delivery d JOIN mediadb_contact c ON c.id = d.contact_id " \
            "WHERE d.state = 'leased'"
UNFINISHED = "SELECT count(*) FROM distribution_delivery WHERE state NOT IN ('delivered', 'failed', 'suppressed')"
DELIVERED = "SELECT count(*) FROM distribution_delivery WHERE state = 'delivered'"


def wireroom(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    return subprocess.run([sys.executable, "-m", "wireroom", *args], env=clean | env, capture_output=True,
                          text=True, timeout=120, check=False)


def readers(count: int) -> None:
    people = Contact.objects.bulk_create(
        (Contact(name=f"Reader {n}", email=f"reader{n}@example.com", consent=True) for n in range(count)),
        batch_size=2000)
    ContactLanguage.objects.bulk_create(
        (ContactLanguage(contact=person, language_id="en", rank=1) for person in people), batch_size=2000)


@contextlib.contextmanager
def restored(tmp_path: Path) -> Iterator[tuple[Callable[[], None], str, Callable[[str], list[tuple[Any, ...]]]]]:
    """Yields (take the backup, the restored wire's database URL, a query on the restored copy).

    The restored wire's data folder is <tmp_path>/restored, with the first one's secret key restored beside.
    """
    data = tmp_path / "restored"
    data.mkdir()
    if connection.vendor == "sqlite":
        backup = tmp_path / "wireroom-backup.sqlite3"

        def take() -> None:
            answer = wireroom("backup", str(backup), env={
                "WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_DATABASE_URL": child_database_url()})
            assert answer.returncode == 0, answer.stderr
            # Restoring is putting the file in a new data folder as its database, beside the secret key.
            backup.rename(data / "wireroom.sqlite3")
            (data / "secret_key").write_text((tmp_path / "secret_key").read_text())

        def query(sql: str) -> list[tuple[Any, ...]]:
            with contextlib.closing(sqlite3.connect(data / "wireroom.sqlite3")) as db:
                return db.execute(sql).fetchall()

        yield take, "", query  # the embedded database of the new data folder
        return

    source = child_database_url()
    name = f"wireroom_restored_{uuid.uuid4().hex[:8]}"
    target = source.rsplit("/", 1)[0] + "/" + name
    dump = tmp_path / "wireroom.dump"

    def take_dump() -> None:
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True, timeout=120)
        with psycopg.connect(source, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)], check=True, timeout=120)
        (data / "secret_key").write_text((tmp_path / "secret_key").read_text())

    def query_pg(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(target) as db:
            return db.execute(sql).fetchall()

    try:
        yield take_dump, target, query_pg
    finally:
        with psycopg.connect(source, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_taken_mid_fan_out_restores_into_a_wire_that_finishes_it_sending_again_only_rows_in_flight(
        make_release: Callable[..., Release], tmp_path: Path) -> None:
    readers(READERS)
    with smtp_server() as (url, handler), restored(tmp_path) as (take_backup, restored_url, query):
        release = make_release("published")
        assert Delivery.objects.filter(release=release).count() == READERS
        first = start_worker(tmp_path, smtp_url=url, batch_size=100, lease_seconds=2)
        try:
            wait_until(lambda: handler.accepted >= READERS // 4, timeout=180, what="a quarter of the fan-out")
            # From here the server accepts nothing more: what it has is all the first wire ever sends, and a row
            # it sends is leased before it is sent, so it is in the backup as sent (acknowledged) or in flight.
            handler.hold.set()
            take_backup()
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(30)
        handler.hold.clear()
        in_flight = {email for (email,) in query(IN_FLIGHT)}
        assert query(UNFINISHED)[0][0] > 0, "the backup was taken mid-way"

        second = start_worker(tmp_path / "restored", smtp_url=url, batch_size=100, lease_seconds=2,
                              extra={"WIREROOM_DATABASE_URL": restored_url})
        try:
            wait_until(lambda: query(UNFINISHED)[0][0] == 0, timeout=300, what="the restored wire to finish")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(60)
        assert query(DELIVERED)[0][0] == READERS

    received = Counter(address for envelope in handler.envelopes for address in envelope.rcpt_tos)
    assert set(received) == {f"reader{n}@example.com" for n in range(READERS)}, "every recipient got it"
    sent_twice = {address for address, count in received.items() if count > 1}
    # Exactly the bound: only rows the backup holds as in flight (leased, not yet acknowledged) can go twice,
    # and none more than twice.
    assert sent_twice <= in_flight
    assert max(received.values()) <= 2


def test_backup_refuses_a_file_that_exists(tmp_path: Path) -> None:
    (tmp_path / "taken.sqlite3").write_text("an earlier backup")
    answer = wireroom("backup", str(tmp_path / "taken.sqlite3"), env={"WIREROOM_DATA_DIR": str(tmp_path)})
    assert answer.returncode == 1
    assert "exists already" in answer.stderr
    assert (tmp_path / "taken.sqlite3").read_text() == "an earlier backup"


def test_backup_on_postgresql_refuses_and_points_at_pg_dump(tmp_path: Path) -> None:
    answer = wireroom("backup", str(tmp_path / "copy"), env={
        "WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    assert answer.returncode == 1
    assert "pg_dump" in answer.stderr
    assert not (tmp_path / "copy").exists()
