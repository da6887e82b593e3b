"""`wireroom bench fanout`: one release to 86,000 e-mail contacts and 6,500 webhook outlets, end to end.

Everything runs on this machine against local sinks: Postfix's `smtp-sink` for mail and a small aiohttp
server for webhooks. The physical limit of each sink is measured in the same run (Postfix's
`smtp-source` against the same `smtp-sink`; a bare aiohttp client against the same webhook sink), and
each figure is printed beside it as a ratio.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wireroom.bench.measure import free_port, percentile, wait_for_port
from wireroom.bench.registry import Bench, Figures, Option, Tool, register

POSTFIX = ("They come with Postfix: on Debian, `apt-get install postfix` as root, answering \"No configuration\" "
           "so that Postfix does not become this machine's mail server (`make bench` does this), and have "
           "/usr/sbin on PATH.")
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
    from wireroom.mediadb.models import Contact, ContactLanguage, Outlet, OutletType
    from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

    people = Contact.objects.bulk_create(
        (Contact(name=f"Reader {n}", email=f"reader{n}@bench.example.com", consent=True) for n in range(contacts)),
        batch_size=5000)
    ContactLanguage.objects.bulk_create(
        (ContactLanguage(contact_id=person.pk, language_id="ar" if person.pk % 3 else "en", rank=1)
         for person in people), batch_size=5000)
    desks = Outlet.objects.bulk_create(
        (Outlet(name=f"Desk {n}", type=OutletType.ONLINE, country_id="AE") for n in range(outlets)), batch_size=5000)
    hooks = WebhookEndpoint.objects.bulk_create(
        (WebhookEndpoint(outlet=desk, url=hook_url, secrets=[BENCH_SECRET], max_concurrency=4,
                         prepositioned=prepositioned) for desk in desks),
        batch_size=5000)
    Subscription.objects.bulk_create(
        (Subscription(outlet_id=hook.outlet_id, endpoint=hook, channel=Channel.WEBHOOK) for hook in hooks),
        batch_size=5000)


def run_fanout(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    """Runs in a process whose settings point at a fresh SQLite under `workdir` (see the command)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Max, Min
    from django.utils import timezone

    from wireroom.demo.accounts import seed_accounts
    from wireroom.distribution.models import Delivery
    from wireroom.releases import services
    from wireroom.trust.models import LogEntry

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
        email_limit = smtp_limit(smtp_port, messages=20_000, sessions=settings.SMTP_POOL_SIZE)
        webhook_limit = http_limit(http_port, requests=20_000, concurrency=64)
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
            deadline = time.monotonic() + 30
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
            staged = Delivery.objects.filter(release=release).count()
            log(f"staged {staged:,} deliveries in {targeting_s:.2f} s; embargo at {embargo:%H:%M:%S}")
            while Delivery.objects.filter(release=release).exclude(state__in=["delivered", "failed"]).exists():
                time.sleep(0.5)
                if any(process.poll() is not None for process in processes):
                    raise RuntimeError(f"a worker stopped; see {workdir}")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(30)
        everything = Delivery.objects.filter(release=release)
        # The plain fan-out's figures count the copies of the release, as without pre-positioning.
        rows = everything.filter(action="publish")
        figures: dict[str, Any] = {"targeting_s": round(targeting_s, 3), "deliveries": rows.count(),
                                   "failed": rows.filter(state="failed").count()}
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
        figures["cores"] = os.cpu_count()
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
    summary=("one release to 86,000 e-mail contacts and 6,500 webhook outlets on a fresh embedded database, "
             "against local sinks, each rate beside its sink's limit"),
    run=run_fanout,
    options=(
        Option("--contacts", int, 86_000, "E-mail recipients."),
        Option("--outlets", int, 6_500, "Outlets, each with one webhook endpoint."),
        Option("--lead", float, 5.0, "Seconds between scheduling and the embargo."),
        Option("--workers", int, 1, "How many worker processes deliver."),
        Option("--dkim", bool, False, "Sign every message with a throwaway RSA-2048 key."),
        Option("--receipts", str, "on", "Append every outcome to the signed delivery log (docs/trust.md).",
               choices=("on", "off")),
        Option("--prepositioned", bool, False, "Every webhook endpoint opts in to encrypted pre-positioning: "
               "also measures the time from the embargo second to each key's receipt (docs/trust.md)."),
    ),
    tools=(Tool("smtp-sink", POSTFIX), Tool("smtp-source", POSTFIX)),
    limits={"email_per_s": "email_limit_per_s", "webhook_per_s": "webhook_limit_per_s"},
))
