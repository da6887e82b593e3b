"""`wireroom bench fanout`: one release to 86,000 e-mail contacts and 6,500 webhook outlets, end to end.

Everything runs on this machine against local sinks: Postfix's `smtp-sink` for mail and a small aiohttp
server for webhooks. The physical limit of each sink is measured in the same run (Postfix's
`smtp-source` against the same `smtp-sink`; a bare aiohttp client against the same webhook sink), and
each figure is printed beside it as a ratio.

`--database postgres` runs it on a fresh PostgreSQL database made for the run on the server named by
WIREROOM_BENCH_DATABASE_URL (`wireroom_bench_fanout_…`), dropped afterwards. Whichever the database, the run
refuses one that is not its own before it writes anything: on PostgreSQL one without that name, on either one
that already has tables.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import CommandError

from wireroom.bench.measure import free_port, percentile, wait_for_port
from wireroom.bench.registry import Bench, Figures, Option, Tool, register

POSTFIX = ("They come with Postfix: on Debian, `apt-get install postfix` as root, answering \"No configuration\" "
           "so that Postfix does not become this machine's mail server (`make bench` does this), and have "
           "/usr/sbin on PATH.")
# The name of every database the benchmark makes for itself, and of none it did not make.
DATABASE_PREFIX = "wireroom_bench_fanout_"
# Recipients are written in chunks of this many, so loading a million never holds them all in Python.
CHUNK = 10_000
# The endpoints' signing key; the sink checks no signature, so any well-formed key does.
BENCH_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@dataclass
class Sinks:
    smtp_port: int
    http_port: int
    log_dir: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        self.processes.append(subprocess.Popen(
            [_program("smtp-sink"), "-c", "-u", "postfix", f"127.0.0.1:{self.smtp_port}", "2048"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "wireroom.bench.webhook_sink", str(self.http_port),
             str(self.log_dir / "webhook-first.txt")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for_port(self.smtp_port)
        wait_for_port(self.http_port)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()

    def first_webhook_at(self) -> float | None:
        path = self.log_dir / "webhook-first.txt"
        return float(path.read_text()) if path.exists() and path.read_text().strip() else None


def smtp_limit(port: int, messages: int, sessions: int) -> float:
    """Postfix's own load generator against the same sink: the most this sink takes."""
    started = time.perf_counter()
    subprocess.run([_program("smtp-source"), "-c", "-m", str(messages), "-s", str(sessions), "-l", "6000",
                    "-f", "bench@wireroom.example", "-t", "reader@example.com", f"127.0.0.1:{port}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return messages / (time.perf_counter() - started)


async def _http_limit(port: int, requests: int, concurrency: int) -> float:
    import aiohttp

    body = b'{"type":"release.published","data":{"uri":"urn:bench"}}' * 40
    url = f"http://127.0.0.1:{port}/limit"
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        queue = iter(range(requests))

        async def worker() -> None:
            for _ in queue:
                async with session.post(url, data=body, headers={"content-type": "application/json"}) as response:
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


def http_limit(port: int, requests: int, concurrency: int) -> float:
    return asyncio.run(_http_limit(port, requests, concurrency))


def load_recipients(*, contacts: int, outlets: int, hook_url: str, prepositioned: bool = False) -> None:
    """Recipients that match any release: no beats, countries or language filters. `prepositioned`: every
    webhook endpoint opted in to encrypted pre-positioning (docs/trust.md)."""
    from django.db import transaction

    from wireroom.mediadb.models import Contact, ContactLanguage, Outlet, OutletType
    from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

    for start in range(0, contacts, CHUNK):
        with transaction.atomic():
            people = Contact.objects.bulk_create(
                Contact(name=f"Reader {n}", email=f"reader{n}@bench.example.com", consent=True)
                for n in range(start, min(contacts, start + CHUNK)))
            ContactLanguage.objects.bulk_create(
                ContactLanguage(contact_id=person.pk, language_id="ar" if person.pk % 3 else "en", rank=1)
                for person in people)
    for start in range(0, outlets, CHUNK):
        with transaction.atomic():
            desks = Outlet.objects.bulk_create(
                Outlet(name=f"Desk {n}", type=OutletType.ONLINE, country_id="AE")
                for n in range(start, min(outlets, start + CHUNK)))
            hooks = WebhookEndpoint.objects.bulk_create(
                WebhookEndpoint(outlet=desk, url=hook_url, secrets=[BENCH_SECRET], max_concurrency=4,
                                prepositioned=prepositioned)
                for desk in desks)
            Subscription.objects.bulk_create(
                Subscription(outlet_id=hook.outlet_id, endpoint=hook, channel=Channel.WEBHOOK) for hook in hooks)


def claim_database() -> None:
    """Refuse, before anything is written, a database this benchmark did not make for itself: on PostgreSQL one
    whose name lacks the benchmark's prefix, and on either database one that already has tables."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql" and not name.startswith(DATABASE_PREFIX):
        raise CommandError(f"the fan-out benchmark runs only in a database it made for itself "
                           f"({DATABASE_PREFIX}…), not in {name!r}; it touched nothing")
    if connection.introspection.table_names():
        raise CommandError(f"the fan-out benchmark runs only in a fresh, empty database; {name!r} has tables, "
                           f"so it is not one the benchmark made, and it touched nothing")


def ledger_bytes() -> int:
    """The ledger table on disk with its indexes (and, on PostgreSQL, its TOAST): SQLite's pages of the table and
    of each of its indexes, or PostgreSQL's pg_total_relation_size."""
    from django.db import connection

    from wireroom.distribution.models import Delivery

    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        else:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name IN "
                           "(SELECT name FROM sqlite_master WHERE tbl_name = %s)", [table])
        return int(cursor.fetchone()[0] or 0)


def stop_workers(processes: list[subprocess.Popen[bytes]], timeout: float = 30) -> list[resource.struct_rusage | None]:
    """Stop the workers (SIGTERM: each gives back what it leased) and return each one's resource usage (its peak
    resident memory, its CPU time) as the kernel counted it when the process was reaped; None for one that had
    ended, and been reaped, before."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    usages: list[resource.struct_rusage | None] = []
    for process in processes:
        if process.returncode is not None:
            usages.append(None)
            continue
        deadline = time.monotonic() + timeout
        while True:
            # wait4 reaps the process and hands back its resource usage; Popen.wait would throw that away.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                process.kill()
                deadline = time.monotonic() + timeout
            time.sleep(0.05)
        usages.append(usage)
    return usages


def _peak_rss_mb(usage: resource.struct_rusage) -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return round(usage.ru_maxrss * scale / 1_000_000, 1)


def _database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _on_postgres(*, options: Mapping[str, Any], log: Callable[[str], object]) -> Figures:
    """The benchmark in a child process on a database it creates on the server, and drops, whatever happens."""
    import psycopg
    from django.conf import settings

    from wireroom.bench import registry

    server = settings.ENV["WIREROOM_BENCH_DATABASE_URL"]
    if not server:
        raise CommandError("--database postgres needs WIREROOM_BENCH_DATABASE_URL: a PostgreSQL server on which the "
                           "benchmark may create a database of its own, and drop it afterwards.")
    name = f"{DATABASE_PREFIX}{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(server, autocommit=True) as admin:
        # Outside the try: if the name were taken, the database would not be ours, and is not dropped.
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        log(f"on PostgreSQL, in the database {name}")
        env = {**os.environ, "WIREROOM_DATABASE_URL": _database_url(server, name)}
        bench = registry.get("fanout")
        command = [sys.executable, "-m", "wireroom", "bench", "fanout", "--in-process",
                   *(word for option in bench.options for word in option.argv(options[option.dest]))]
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        try:
            output, _ = child.communicate()
        finally:
            if child.poll() is None:
                # Stopped halfway: the child stops its workers and sinks before the database goes.
                child.terminate()
                child.wait(60)
        if child.returncode != 0:
            raise CommandError("the fan-out benchmark on PostgreSQL failed")
        figures: Figures = json.loads(output.strip().splitlines()[-1])
        figures["database_name"] = name
        return figures
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def run_fanout(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    # SIGTERM's default would end the process without its `finally` blocks: the workers and sinks left running,
    # the PostgreSQL database not dropped. As an exception, it runs them.
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        return _run_fanout(options=options, workdir=workdir, log=log)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_fanout(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    """Runs in a process whose settings point at a fresh SQLite under `workdir` (see the command), or at the
    PostgreSQL database `_on_postgres` made for it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from wireroom.demo.accounts import seed_accounts
    from wireroom.distribution.models import Delivery
    from wireroom.releases import services
    from wireroom.trust.models import LogEntry

    if options["database"] == "postgres" and connection.vendor != "postgresql":
        return _on_postgres(options=options, log=log)
    claim_database()
    contacts, outlets, workers = options["contacts"], options["outlets"], options["workers"]
    lead_seconds, dkim = options["lead"], options["dkim"]
    smtp_port, http_port = free_port(), free_port()
    sinks = Sinks(smtp_port=smtp_port, http_port=http_port, log_dir=workdir)
    call_command("migrate", verbosity=0)
    log(f"loading {contacts:,} e-mail contacts and {outlets:,} webhook outlets")
    load_recipients(contacts=contacts, outlets=outlets, hook_url=f"http://127.0.0.1:{http_port}/hook",
                    prepositioned=options["prepositioned"])
    members = seed_accounts()
    issuer, editor = members["nahr-energy"], members["editor"]
    sinks.start()
    try:
        log("measuring the sinks' limits")
        # 20,000 of each, or as many as the run sends when it sends fewer: a small run is a quick check.
        email_limit = smtp_limit(smtp_port, messages=max(1_000, min(20_000, contacts)),
                                 sessions=settings.SMTP_POOL_SIZE)
        webhook_limit = http_limit(http_port, requests=max(1_000, min(20_000, outlets)), concurrency=64)
        (workdir / "webhook-first.txt").unlink(missing_ok=True)
        env = {**os.environ, "WIREROOM_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?tls=off",
               "WIREROOM_OUTBOUND_ALLOW_PRIVATE": "1"}
        env.pop("WIREROOM_DKIM_ED25519_KEY_FILE", None)
        env["WIREROOM_RECEIPTS"] = options["receipts"]
        env.pop("WIREROOM_DKIM_KEY_FILE", None)
        if dkim:
            env["WIREROOM_DKIM_KEY_FILE"] = str(write_rsa_key(workdir / "dkim.pem"))
        # The worker is up and idle before the release is scheduled, as in production.
        logs = [workdir / f"worker-{n}.log" for n in range(workers)]
        # The first runs the embargo clock; the others only deliver.
        processes = [subprocess.Popen([sys.executable, "-m", "wireroom", "worker", *(["--no-clock"] if n else [])],
                                      env=env, stdout=open(logs[n], "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
                     for n in range(workers)]
        try:
            # Generous: four workers starting at once on a busy 2-core machine took longer than 30 s.
            deadline = time.monotonic() + 180
            while not all(b"delivering on" in path.read_bytes() for path in logs):
                if time.monotonic() > deadline or any(process.poll() is not None for process in processes):
                    raise RuntimeError(f"a worker did not start; see {workdir}")
                time.sleep(0.1)
            release = services.release_create(by=issuer, data=release_input()).release
            services.release_submit(release=release, by=issuer)
            services.release_approve(release=release, by=editor)
            embargo = (timezone.now() + dt.timedelta(seconds=lead_seconds + 1)).replace(microsecond=0)
            started = time.perf_counter()
            services.release_publish(release=release, by=issuer, embargo_at=embargo)
            targeting_s = time.perf_counter() - started
            # Staging that ends after the embargo second would count its overrun in every rate: say so.
            staged_in_time = timezone.now() < embargo
            # This process loaded the recipients in chunks and staged every row: its peak so far would show a
            # million rows held in Python.
            staging_rss_mb = _peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF))
            staged = Delivery.objects.filter(release=release).count()
            log(f"staged {staged:,} deliveries in {targeting_s:.2f} s; embargo at {embargo:%H:%M:%S}")
            # Asking a million-row ledger twice a second would take the workers' CPU; a big run is asked less.
            pause = max(0.5, staged / 500_000)
            while Delivery.objects.filter(release=release).exclude(state__in=["delivered", "failed"]).exists():
                time.sleep(pause)
                if any(process.poll() is not None for process in processes):
                    raise RuntimeError(f"a worker stopped; see {workdir}")
        finally:
            usages = stop_workers(processes)
        everything = Delivery.objects.filter(release=release)
        # The plain fan-out's figures count the copies of the release, as without pre-positioning.
        rows = everything.filter(action="publish")
        size = ledger_bytes()
        figures: dict[str, Any] = {"database": connection.vendor, "targeting_s": round(targeting_s, 3),
                                   "staged_before_embargo": staged_in_time, "deliveries": rows.count(),
                                   "failed": rows.filter(state="failed").count()}
        # A recipient without a delivered or failed row, whether never staged or never finished, was lost.
        figures["lost"] = contacts + outlets - rows.filter(state__in=["delivered", "failed"]).count()
        if options["prepositioned"]:
            figures |= _key_release(everything, embargo)
        last = rows.aggregate(at=Max("delivered_at"))["at"] or embargo
        figures["publish_to_last_s"] = round((last - embargo).total_seconds(), 3)
        for channel in ("email", "webhook"):
            span = rows.filter(channel=channel).aggregate(first=Min("delivered_at"), last=Max("delivered_at"))
            count = rows.filter(channel=channel, state="delivered").count()
            # From the embargo second to the channel's last hand-off: start-up and every batch included.
            seconds = max(((span["last"] or embargo) - embargo).total_seconds(), 1e-6)
            figures[f"{channel}_per_s"] = round(count / seconds, 1)
        latencies = [(at - embargo).total_seconds() * 1000 for at in
                     rows.filter(state="delivered").values_list("delivered_at", flat=True) if at is not None]
        figures["latency_p50_ms"] = round(percentile(latencies, 0.5), 1)
        figures["latency_p99_ms"] = round(percentile(latencies, 0.99), 1)
        first = sinks.first_webhook_at()
        # With pre-positioning the sink's first POST is an envelope, before the embargo: the key figures say it.
        figures["embargo_first_delivery_ms"] = (round((first - embargo.timestamp()) * 1000, 1)
                                                if first and not options["prepositioned"] else None)
        figures["email_limit_per_s"] = round(email_limit, 1)
        figures["webhook_limit_per_s"] = round(webhook_limit, 1)
        figures["email_ratio"] = round(figures["email_per_s"] / email_limit, 3)
        figures["webhook_ratio"] = round(figures["webhook_per_s"] / webhook_limit, 3)
        figures["dkim"] = dkim
        figures["receipts"] = options["receipts"]
        figures["prepositioned"] = options["prepositioned"]
        figures["log_entries"] = LogEntry.objects.count()
        figures["workers"] = workers
        figures["staging_process_rss_mb"] = staging_rss_mb
        figures["worker_rss_mb"] = [_peak_rss_mb(usage) if usage else None for usage in usages]
        # CPU time, unlike wall time, does not grow when other programs share the cores: the cost of a copy.
        cpu_s = sum(usage.ru_utime + usage.ru_stime for usage in usages if usage)
        figures["worker_cpu_s"] = round(cpu_s, 1)
        figures["worker_cpu_ms_per_delivery"] = round(cpu_s * 1000 / max(staged, 1), 3)
        figures["ledger_bytes"] = size
        # Bytes per row are MB per million rows.
        figures["ledger_mb_per_million_rows"] = round(size / max(staged, 1), 1)
        figures["cores"] = os.cpu_count()
        figures["load_average"] = [round(value, 2) for value in os.getloadavg()]
        figures["mean_latency_ms"] = round(statistics.fmean(latencies), 1) if latencies else None
        return figures
    finally:
        sinks.stop()


def _key_release(rows: Any, embargo: dt.datetime) -> dict[str, Any]:
    """From the embargo second to each pre-positioned endpoint's key receipt (its 2xx, as the worker recorded
    it): the time every such recipient can read the release, whatever its size."""
    keys = rows.filter(action="key")
    seconds = [(at - embargo).total_seconds() for at in keys.filter(state="delivered").values_list(
        "delivered_at", flat=True) if at is not None]
    return {
        "envelopes": rows.filter(action="envelope", state="delivered").count(),
        "keys": len(seconds), "keys_failed": keys.filter(state="failed").count(),
        "key_first_ms": round(min(seconds) * 1000, 1) if seconds else None,
        "key_p50_ms": round(percentile([s * 1000 for s in seconds], 0.5), 1) if seconds else None,
        "key_p99_ms": round(percentile([s * 1000 for s in seconds], 0.99), 1) if seconds else None,
        "key_last_s": round(max(seconds), 3) if seconds else None,
    }


def release_input() -> Any:
    from wireroom.releases.services import LocalizationInput, ReleaseInput

    body = "".join(f"<p>{'Paragraph of the benchmark release. ' * 12}</p>" for _ in range(6))
    return ReleaseInput(
        kind="press_release", original_language="ar", sectors=["energy"], languages=["ar", "en"],
        localizations=[
            LocalizationInput(language="ar", headline="محطة تحلية جديدة تعمل بالطاقة الشمسية", body_html=body),
            LocalizationInput(language="en", headline="A new solar desalination plant", body_html=body,
                              origin="human", translated_from="ar"),
        ],
    )


def write_rsa_key(path: Path) -> Path:
    """A throwaway RSA-2048 DKIM key, so the run signs every message as production would."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def _program(name: str) -> str:
    # The command checked the tools before it started this process.
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not on PATH. {POSTFIX}")
    return path


register(Bench(
    name="fanout",
    summary=("one release to 86,000 e-mail contacts and 6,500 webhook outlets on a fresh database of its own "
             "(embedded SQLite, or PostgreSQL with --database postgres), worker processes apart, "
             "against local sinks, each rate beside its sink's limit"),
    run=run_fanout,
    options=(
        Option("--contacts", int, 86_000, "E-mail recipients."),
        Option("--outlets", int, 6_500, "Outlets, each with one webhook endpoint."),
        Option("--lead", float, 10.0, "Seconds between scheduling and the embargo."),
        Option("--workers", int, 1, "How many worker processes deliver, each a process of its own."),
        Option("--database", str, "sqlite", "Where the ledger lives: a fresh embedded SQLite file, or a database the "
               "benchmark creates (and drops) on the PostgreSQL server at WIREROOM_BENCH_DATABASE_URL.",
               choices=("sqlite", "postgres")),
        Option("--dkim", bool, False, "Sign every message with a throwaway RSA-2048 key."),
        Option("--receipts", str, "on", "Append every outcome to the signed delivery log (docs/trust.md).",
               choices=("on", "off")),
        Option("--prepositioned", bool, False, "Every webhook endpoint opts in to encrypted pre-positioning: "
               "also measures the time from the embargo second to each key's receipt (docs/trust.md)."),
    ),
    tools=(Tool("smtp-sink", POSTFIX), Tool("smtp-source", POSTFIX)),
    limits={"email_per_s": "email_limit_per_s", "webhook_per_s": "webhook_limit_per_s"},
))
