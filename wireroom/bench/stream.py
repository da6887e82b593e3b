"""`wireroom bench stream`: N concurrent clients of `/api/v1/stream` receive a series of embargoed releases.

The wire (`wireroom serve`: the web server and a worker whose embargo clock publishes each release on its second)
runs on a fresh embedded database; the clients run in a load generator process of their own
(`stream_clients.py`). Latency is from each release's embargo second to each client's receipt of its event;
`lost` counts events a client never got, `duplicated` events it got twice. `--via pushpin` puts a real Pushpin in
front (GRIP), the clients connecting to it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.fanout import release_input
from wireroom.bench.measure import free_port, percentile, wait_for_port
from wireroom.bench.pushpin import SIG_KEY, Pushpin
from wireroom.bench.registry import Bench, Figures, Option, Tool, register

SPACING_SECONDS = 2  # between two releases' embargo seconds
PUSHPIN = "It comes with Debian's `pushpin` package: `apt-get install pushpin` as root (`make bench` does this)."


def raise_file_limit() -> int:
    """Every connection is a file descriptor on both sides: as many as the system allows (inherited by the wire's
    processes, Pushpin and the load generator, all started from here)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def connection_limit(clients: int) -> int:
    """Pushpin's `client_maxconn` for `clients` connections. condure (Pushpin's connection manager) sizes its
    per-worker store of messages in flight to the connections by it (1 + client_maxconn / workers) and panics when
    the store is full; with the limit barely above the clients, 1,000 of them filled it and condure died (Pushpin's
    runner then stops everything). Four times the clients leaves the room its design assumes; Pushpin's default
    is 50,000."""
    return max(50_000, 4 * clients)


def _generator(*, url: str, key: str, clients: int, events: int, out: Path,
               schedule: Callable[[], list[float]]) -> list[list[list[Any]]]:
    """Runs the load generator against `url`: once its clients are open, `schedule()` makes the events (and
    says their times); returns what each client received (event id, Unix time)."""
    generator = subprocess.Popen(
        [sys.executable, "-m", "wireroom.bench.stream_clients", url, key, str(clients), str(events), str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert generator.stdout is not None and generator.stdin is not None
    try:
        if generator.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the load generator did not connect its clients; see {out.parent}")
        times = schedule()
        try:
            generator.wait(timeout=max(0.0, times[-1] - time.time()) + 30)
        except subprocess.TimeoutExpired:
            generator.stdin.close()  # what has not come by now is lost
            generator.wait(60)
        report: dict[str, Any] = json.loads(out.read_text())
    finally:
        if generator.poll() is None:
            generator.kill()
    refused[0] = report["retries"]
    received: list[list[list[Any]]] = report["received"]
    return received


refused = [0]  # the last generator run's connection retries


def _latencies(received: list[list[list[Any]]], sent_at: Mapping[str, float]) -> dict[str, Any]:
    latencies: list[float] = []
    lost = duplicated = 0
    for got in received:
        ids = [event_id for event_id, _at in got]
        duplicated += len(ids) - len(set(ids))
        lost += len(set(sent_at) - set(ids))
        latencies += [(at - sent_at[event_id]) * 1000 for event_id, at in got if event_id in sent_at]
    return {
        "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1) if latencies else None,
        "lost": lost, "duplicated": duplicated, "received": len(latencies),
    }


def _limit(*, frame: bytes, clients: int, events: int, workdir: Path) -> dict[str, Any]:
    """The same generator against a bare server writing the same bytes (`stream_bare.py`) at the same pace."""
    port = free_port()
    (workdir / "frame.txt").write_bytes(frame)
    bare = subprocess.Popen([sys.executable, "-m", "wireroom.bench.stream_bare", str(port),
                             str(workdir / "frame.txt")], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert bare.stdin is not None and bare.stdout is not None
    try:
        if bare.stdout.readline().strip() != b"listening":
            raise RuntimeError("the bare server did not start")
        moments: dict[str, float] = {}

        def schedule() -> list[float]:
            first = float(int(time.time()) + 3)
            for n in range(events):
                moments[str(n + 1)] = first + SPACING_SECONDS * n
            assert bare.stdin is not None
            bare.stdin.write("".join(f"{event_id} {at}\n" for event_id, at in moments.items()).encode())
            bare.stdin.flush()
            return list(moments.values())

        received = _generator(url=f"http://127.0.0.1:{port}/", key="-", clients=clients, events=events,
                              out=workdir / "received-limit.json", schedule=schedule)
    finally:
        bare.kill()
        bare.wait(10)
    figures = _latencies(received, moments)
    return {"p50_limit_ms": figures["p50_ms"], "p99_limit_ms": figures["p99_ms"], "max_limit_ms": figures["max_ms"],
            "limit_lost": figures["lost"]}


def run_stream(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command
    from django.utils import timezone

    from wireroom.accounts.services import api_key_issue
    from wireroom.api.hub import sse_event
    from wireroom.demo.accounts import seed_accounts
    from wireroom.formats.registry import DEFAULT
    from wireroom.releases import services
    from wireroom.releases.models import WireEvent
    from wireroom.releases.selectors import events_head

    clients, events, via = options["clients"], options["events"], options["via"]
    if via not in {"embedded", "pushpin"}:
        raise ValueError("--via is embedded or pushpin")
    file_limit = raise_file_limit()
    if file_limit < clients * 2 + 1000:
        log(f"warning: the file descriptor limit ({file_limit}) is below what {clients:,} clients need")
    call_command("migrate", verbosity=0)
    members = seed_accounts()
    issuer, editor = members["nahr-energy"], members["editor"]
    key = api_key_issue(membership=members["editor"], name="bench stream").secret
    port, control = free_port(), free_port()
    # Every client opens its stream with the one key within seconds: the key's allowance of stream connections
    # would refuse all but the first 600 a minute (and the refused ones, tried again, count too).
    env = {**os.environ, "WIREROOM_PORT": str(port), "WIREROOM_STREAM_CONNECTS_PER_MINUTE": str(clients * 10 + 600)}
    if via == "pushpin":
        env |= {"WIREROOM_STREAM_GRIP_URL": f"http://127.0.0.1:{control}", "WIREROOM_STREAM_GRIP_KEY": SIG_KEY}
    wire = subprocess.Popen([sys.executable, "-m", "wireroom", "serve"], env=env,
                            stdout=open(workdir / "wire.log", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
    proxy: Pushpin | None = None
    releases = []
    embargoes: list[dt.datetime] = []
    opening: list[float] = []  # seconds until every client had its stream open
    started = time.monotonic()

    def schedule() -> list[float]:
        opening.append(time.monotonic() - started)
        first = (timezone.now() + dt.timedelta(seconds=3)).replace(microsecond=0)
        embargoes.extend(first + dt.timedelta(seconds=SPACING_SECONDS * n) for n in range(events))
        for embargo in embargoes:
            release = services.release_create(by=issuer, data=release_input()).release
            services.release_submit(release=release, by=issuer)
            services.release_approve(release=release, by=editor)
            services.release_publish(release=release, by=issuer, embargo_at=embargo)
            releases.append(release)
        log(f"{events} releases embargoed from {first:%H:%M:%S}, {SPACING_SECONDS} s apart")
        return [embargo.timestamp() for embargo in embargoes]

    try:
        wait_for_port(port, timeout=300)  # a busy shared machine can take minutes to start the wire
        base = f"http://127.0.0.1:{port}"
        if via == "pushpin":
            proxy = Pushpin(workdir / "pushpin", origin_port=port, control_port=control,
                            max_connections=connection_limit(clients))
            base = proxy.base
        log(f"opening {clients:,} streams ({via})")
        started = time.monotonic()
        received = _generator(url=f"{base}/api/v1/stream?since={events_head()}", key=key, clients=clients,
                              events=events, out=workdir / "received.json", schedule=schedule)
        retries = refused[0]
    finally:
        wire.terminate()  # before Pushpin, to which it publishes
        wire.wait(30)
        if proxy is not None:
            proxy.stop()
    # The publications: the clients opted in to no pre-positioning, so they get no envelope or key events.
    rows = list(WireEvent.objects.filter(release__in=releases, action="publish").select_related("release"))
    embargo_of = {str(row.seq): embargoes[releases.index(row.release)].timestamp() for row in rows}
    figures = _latencies(received, embargo_of)
    log(f"measuring the load generator's limit ({clients:,} clients of a bare server)")
    limit = _limit(frame=sse_event(rows[0], DEFAULT).encode(), clients=clients, events=events, workdir=workdir)
    return {
        "clients": clients, "events": events, "via": via, **figures, **limit,
        "open_seconds": round(opening[0], 1), "file_limit": file_limit,
        "connect_retries": retries, "load_average": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }


register(Bench(
    name="stream",
    summary=("N concurrent clients of /api/v1/stream (a load generator process) receive a series of embargoed "
             "releases; latency from the embargo second to receipt, beside the same generator's latency from a "
             "bare server writing the same bytes"),
    run=run_stream,
    limits={"p50_ms": "p50_limit_ms", "p99_ms": "p99_limit_ms", "max_ms": "max_limit_ms"},
    options=(
        Option("--clients", int, 10_000, "Concurrent SSE clients."),
        Option("--events", int, 5, "Releases published, one every two seconds."),
        Option("--via", str, "embedded", "embedded (the web server holds the connections) or pushpin."),
    ),
    tools=(Tool("pushpin", PUSHPIN),),
))
