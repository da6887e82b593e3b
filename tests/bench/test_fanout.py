"""`wireroom bench fanout` on PostgreSQL: a database of its own, worker processes apart, and nobody else's data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management.base import CommandError

from tests.support.postgres import postgres_server
from wireroom.bench.fanout import DATABASE_PREFIX, claim_database

# The benchmark's children find Python, and Postfix's smtp-sink and smtp-source (Debian puts them in /usr/sbin).
PATH = f"{Path(sys.executable).parent}:/usr/sbin:/usr/bin:/bin"


def _bench(*args: str, data_dir: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"PATH": PATH, "WIREROOM_DATA_DIR": str(data_dir), **settings}
    return subprocess.run([sys.executable, "-m", "wireroom", "bench", "fanout", *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.django_db
def test_the_fanout_benchmark_refuses_a_database_it_did_not_make_for_itself() -> None:
    # The test database has tables (and, on PostgreSQL, a name without the benchmark's prefix).
    with pytest.raises(CommandError, match="it touched nothing"):
        claim_database()


def test_the_fanout_benchmark_refuses_the_servers_own_database_before_writing_anything(tmp_path: Path) -> None:
    server = postgres_server()
    result = _bench("--in-process", "--database", "postgres", "--contacts", "3", "--outlets", "1",
                    data_dir=tmp_path, WIREROOM_DATABASE_URL=server)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"only in a database it made for itself ({DATABASE_PREFIX}…)" in result.stderr


def test_postgres_without_a_server_named_says_which_setting_names_it(tmp_path: Path) -> None:
    result = _bench("--database", "postgres", data_dir=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "--database postgres needs WIREROOM_BENCH_DATABASE_URL" in result.stderr


@pytest.mark.slow
def test_the_fanout_on_postgres_reaches_everyone_through_two_worker_processes_and_drops_its_database(
        tmp_path: Path) -> None:
    server = postgres_server()
    figures_file = tmp_path / "figures.json"
    result = _bench("--database", "postgres", "--contacts", "40", "--outlets", "4", "--workers", "2", "--lead", "1",
                    "--json", str(figures_file), data_dir=tmp_path / "data", WIREROOM_BENCH_DATABASE_URL=server)
    assert result.returncode == 0, result.stderr
    figures = json.loads(figures_file.read_text())
    assert {key: figures[key] for key in ("database", "deliveries", "failed", "lost", "workers")} == {
        "database": "postgresql", "deliveries": 44, "failed": 0, "lost": 0, "workers": 2}
    # Each worker's own peak, counted by the kernel for that process.
    assert len(figures["worker_rss_mb"]) == 2 and all(peak > 10 for peak in figures["worker_rss_mb"])
    assert figures["staging_process_rss_mb"] > 10
    assert figures["worker_cpu_s"] > 0 and figures["worker_cpu_ms_per_delivery"] > 0
    assert figures["ledger_bytes"] > 0 and figures["ledger_mb_per_million_rows"] > 0
    assert figures["targeting_s"] > 0 and figures["publish_to_last_s"] > 0
    assert figures["email_limit_per_s"] > 0 and figures["webhook_limit_per_s"] > 0
    assert "ratio" in next(line for line in result.stdout.splitlines() if line.startswith("email_per_s"))
    assert figures["database_name"].startswith(DATABASE_PREFIX)
    with psycopg.connect(server) as admin:
        left = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [figures["database_name"]]).fetchall()
    assert left == []


@pytest.mark.slow
def test_a_fanout_on_postgres_stopped_halfway_drops_its_database_all_the_same(tmp_path: Path) -> None:
    server = postgres_server()
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"PATH": PATH, "WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_BENCH_DATABASE_URL": server}
    # The process `wireroom bench fanout` starts for the run, as an operator's `kill` or a service manager finds it.
    run = subprocess.Popen([sys.executable, "-m", "wireroom", "bench", "fanout", "--in-process", "--database",
                            "postgres", "--contacts", "2000", "--outlets", "100"],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert run.stderr is not None
    first = run.stderr.readline()
    name = first.rsplit(" ", 1)[-1].strip()
    assert name.startswith(DATABASE_PREFIX), first
    run.terminate()
    run.communicate(timeout=120)
    assert run.returncode != 0
    with psycopg.connect(server) as admin:
        left = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchall()
    assert left == []
