"""`/api/v1/stream` read by a real SSE client from the real ASGI server (uvicorn), on the test database."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from tests.support.email import free_port
from tests.support.server import WIREROOM, ServedWire, get, wire_env
from tests.support.signing import detached_kid, verifies
from tests.support.sse import Reader
from tests.support.workers import child_database_url, wait_until
from wireroom.accounts.models import Membership
from wireroom.api.models import StreamChannel
from wireroom.bench.pushpin import SIG_KEY, Pushpin
from wireroom.releases import services
from wireroom.releases.models import PREPOSITIONING_EVENTS, Release, WireEvent
from wireroom.releases.selectors import events_head

# Slow: each starts a live server for real, and some Pushpin too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
BURST = 100
# A bound on the connections the stream hub opens for itself (its listener, its reading threads), whatever the clients.
HUB_THREADS = 4  # the hub's pool of reading threads, started as they are first used
HUB_CONNECTIONS = 10


def _serve(data_dir: Path, **settings: str) -> ServedWire:
    return ServedWire(data_dir, "--no-worker", WIREROOM_DATABASE_URL=child_database_url(),
                      WIREROOM_STREAM_POLL_SECONDS="0.05", WIREROOM_STREAM_HEARTBEAT_SECONDS="1", **settings)


def _stop(server: ServedWire) -> None:
    _returncode, output = server.stop()
    assert "Traceback" not in output, output


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedWire]:
    server = _serve(tmp_path)
    try:
        yield server
    finally:
        _stop(server)


def _until_pushpin_holds(base: str, key: str) -> None:
    """Pushpin passes plain requests on (its start check) before its handler, which holds the streams, has joined
    it: until then a stream is answered 500 "Accept service unavailable" or not at all. Tried as a client
    reconnects."""
    deadline = time.monotonic() + 60
    request = urllib.request.Request(f"{base}/api/v1/stream", headers={"Authorization": f"Bearer {key}"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 200
                return
        except urllib.error.HTTPError as error:
            body = error.read()
            assert error.code in (500, 502, 503), (error.code, body)
            refused = f"{error.code} {body!r}"
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            refused = repr(error)  # also seen: the connection closed with no answer at all
        if time.monotonic() > deadline:  # a bound for a Pushpin that never gets ready, not a speed check
            raise AssertionError(f"Pushpin did not hold a stream: {refused}")
        time.sleep(0.5)


@pytest.fixture
def pushpin(tmp_path: Path, api_key_for: Callable[[str], str]) -> Iterator[Pushpin]:
    """The wire behind a real Pushpin: the wire publishes to Pushpin's control port, Pushpin holds the clients."""
    control = free_port()
    server = _serve(tmp_path / "wire", WIREROOM_STREAM_GRIP_URL=f"http://127.0.0.1:{control}",
                    WIREROOM_STREAM_GRIP_KEY=SIG_KEY)
    proxy: Pushpin | None = None
    try:
        proxy = Pushpin(tmp_path / "pushpin", origin_port=server.port, control_port=control)
        _until_pushpin_holds(proxy.base, api_key_for("wire_admin"))
        yield proxy
    finally:
        # The wire first: it publishes to Pushpin until it stops.
        _stop(server)
        if proxy is not None:
            proxy.stop()


def _publish(release: Release, by: Membership) -> int:
    services.release_publish(release=release, by=by)
    return WireEvent.objects.filter(release=release).order_by("-seq").values_list("seq", flat=True)[0]


def _burst_with_a_drop(base: str, actors: dict[str, Membership], make_release: Callable[..., Release],
                       api_key_for: Callable[[str], str], *, size: int) -> None:
    """Two clients follow a burst of `size` publishes, a correction, a withdrawal and an embargo's end; one drops
    its connection a third of the way through and resumes with Last-Event-ID; the other follows one sector only."""
    burst = [make_release("approved", sectors=["technology"] if n % 5 == 0 else ["top-story"]) for n in range(size)]
    embargoed = make_release("approved")
    embargo = (timezone.now() + dt.timedelta(hours=1)).replace(microsecond=0)
    services.release_publish(release=embargoed, by=actors["issuer_admin"], embargo_at=embargo)
    head = events_head()
    partner = Reader(f"{base}/api/v1/stream?since={head}", api_key_for("wire_editor"), want=size + 3,
                     drop_after=size * 3 // 10)
    # Another key, following technology only, in NITF: its filters hold, and XML comes wrapped in JSON.
    tech = Reader(f"{base}/api/v1/stream?since={head}&sector=technology&format=nitf",
                  api_key_for("issuer_member"), want=size // 5)
    partner.start()
    tech.start()
    by = actors["issuer_admin"]
    expected = [_publish(release, by) for release in burst[:size // 2]]
    wait_until(lambda: partner.dropped.is_set() or partner.error is not None, timeout=60,
               what="the client to drop its connection")
    expected += [_publish(release, by) for release in burst[size // 2:]]
    services.release_correct(release=burst[3], by=actors["wire_editor"], note="Fixed the plant's capacity.")
    services.release_withdraw(release=burst[4], by=actors["wire_editor"], reason="Issued in error.")
    # The embargo second comes: only now is there an event for it.
    services.release_publish_due(release=embargoed, now=embargo)
    # Pre-positioning's key event is only for the clients that opted in.
    tail = list(WireEvent.objects.filter(seq__gt=expected[-1]).exclude(action__in=PREPOSITIONING_EVENTS)
                .order_by("seq").values_list("seq", flat=True))
    partner.join(120)
    tech.join(120)
    assert partner.error is None, partner.error
    assert tech.error is None, tech.error

    got = partner.events
    assert [int(event.id) for event in got] == [*expected, *tail]
    assert [event.event for event in got] == ["publish"] * size + ["correct", "withdraw", "publish"]
    items = [json.loads(event.data) for event in got]
    assert [item["data"]["uri"] for item in items[:size]] == [release.urn for release in burst]
    assert items[size]["type"] == "release.corrected" and items[size]["data"]["uri"] == burst[3].urn
    assert items[size + 1]["type"] == "release.withdrawn" and items[size + 1]["data"]["pubStatus"] == "canceled"
    assert items[size + 2]["data"]["uri"] == embargoed.urn
    assert items[size + 2]["timestamp"].startswith(embargo.strftime("%Y-%m-%dT%H:%M:%S"))
    assert embargoed.urn not in [item["data"].get("uri") for item in items[:size + 2]]

    assert [int(event.id) for event in tech.events] == expected[::5]
    assert all(event.event == "publish" for event in tech.events)
    wrapped = [json.loads(event.data)["data"] for event in tech.events]
    assert {item["format"] for item in wrapped} == {"nitf"}
    assert all(item["items"][0]["value"].lstrip().startswith("<") for item in wrapped)


def test_a_client_that_drops_mid_burst_resumes_with_last_event_id_and_gets_every_event_in_order(
    served: ServedWire, actors: dict[str, Membership], make_release: Callable[..., Release],
    api_key_for: Callable[[str], str],
) -> None:
    _burst_with_a_drop(served.base, actors, make_release, api_key_for, size=BURST)


def test_through_pushpin_a_client_that_drops_mid_burst_resumes_and_gets_every_event_in_order(
    pushpin: Pushpin, actors: dict[str, Membership], make_release: Callable[..., Release],
    api_key_for: Callable[[str], str],
) -> None:
    _burst_with_a_drop(pushpin.base, actors, make_release, api_key_for, size=20)
    # Pushpin held them: the wire published to one channel per format and filter set, up to the last event.
    assert list(StreamChannel.objects.order_by("format").values_list("format", flat=True)) == ["ninjs", "nitf"]
    # The row follows the publish that the client may already have received.
    wait_until(lambda: StreamChannel.objects.get(format="ninjs").last_id == events_head(), timeout=30,
               what="the wire to record its last publish on the channel")




def test_a_client_resuming_from_a_pruned_event_is_told_to_reset(
    served: ServedWire, make_release: Callable[..., Release], api_key_for: Callable[[str], str],
) -> None:
    old = make_release("published")
    WireEvent.objects.filter(release=old).update(created_at=timezone.now() - dt.timedelta(days=400))
    old_seq = events_head()
    services.events_prune()
    reader = Reader(f"{served.base}/api/v1/stream?since={old_seq - 1}", api_key_for("issuer_member"), want=2)
    reader.start()
    wait_until(lambda: bool(reader.events) or reader.error is not None, timeout=60, what="the reset event")
    fresh = make_release("published")
    reader.join(60)
    assert reader.error is None, reader.error
    reset, live = reader.events
    assert reset.event == "reset" and int(reset.id) == old_seq
    assert json.loads(reset.data)["resync"] == "/api/v1/releases"
    assert json.loads(reset.data)["wire_signature"].count(".") == 2
    assert live.event == "publish" and json.loads(live.data)["data"]["uri"] == fresh.urn


def test_every_event_carries_the_wire_signature_over_the_webhook_bytes_and_a_partner_checks_it(
    served: ServedWire, tmp_path: Path, actors: dict[str, Membership], make_release: Callable[..., Release],
    api_key_for: Callable[[str], str],
) -> None:
    head = events_head()
    reader = Reader(f"{served.base}/api/v1/stream?since={head}", api_key_for("issuer_member"), want=2)
    reader.start()
    release = make_release("published")
    services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the plant's capacity.")
    reader.join(120)
    assert reader.error is None, reader.error
    status, text = get(served.base + "/.well-known/jwks.json", timeout=90)
    assert status == 200
    jwks = json.loads(text)
    for event in reader.events:
        item = json.loads(event.data)
        assert list(item)[-1] == "wire_signature"
        # docs/trust.md: the signed bytes are the data up to the member, closed with "}".
        signed = event.data[:event.data.rindex(',"wire_signature":')].encode() + b"}"
        assert json.loads(signed) == {name: value for name, value in item.items() if name != "wire_signature"}
        key = next(key for key in jwks["keys"] if key["kid"] == detached_kid(item["wire_signature"]))
        assert verifies(key, item["wire_signature"], signed)  # jwcrypto, not the wire's own code
        tampered = signed.replace(b"fifty thousand", b"sixty thousand")
        assert tampered != signed and not verifies(key, item["wire_signature"], tampered)

    received = tmp_path / "event.json"
    received.write_text(reader.events[1].data + "\n")
    call_command("verify", str(received), stream=True, jwks=served.base + "/.well-known/jwks.json")
    received.write_text(reader.events[1].data.replace('"data":{', '"data":{"x":1,', 1))
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify", str(received), stream=True, jwks=served.base + "/.well-known/jwks.json")


def test_the_stream_refuses_a_missing_key_and_bad_parameters_in_the_api_error_shape(
    api_key_for: Callable[[str], str],
) -> None:
    client = Client()
    assert client.get("/api/v1/stream").json()["error"]["code"] == "unauthenticated"
    auth = {"Authorization": f"Bearer {api_key_for('issuer_member')}"}
    for query, where in (("sector=no-such-sector", "sector"), ("kind=poem", "kind"), ("issuer=nobody", "issuer"),
                         ("format=pdf", "format"), ("since=abc", "cursor"), ("since=-1", "cursor")):
        answer = client.get(f"/api/v1/stream?{query}", headers=auth)
        assert answer.status_code == 422, query
        assert where in answer.json()["error"]["message"] or where in json.dumps(answer.json()["error"]), query
    answer = client.post("/api/v1/stream", headers=auth)
    assert answer.status_code == 405 and answer["Allow"] == "GET"


@pytest.mark.django_db
def test_a_stream_asked_of_django_without_the_wires_asgi_application_gets_a_clear_503(
    api_key_for: Callable[[str], str],
) -> None:
    # The live events are written through the server's own `send`, which only `wireroom.asgi` hands over.
    answer = Client().get("/api/v1/stream", headers={"Authorization": f"Bearer {api_key_for('issuer_member')}"})
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "stream_unavailable"
    assert "wireroom.asgi:application" in answer.json()["error"]["message"]


def test_the_reference_client_replays_from_since_then_follows_live(
    served: ServedWire, tmp_path: Path, make_release: Callable[..., Release], api_key_for: Callable[[str], str],
) -> None:
    head = events_head()
    before = make_release("published")
    client = subprocess.Popen(
        [*WIREROOM, "stream-client", f"{served.base}/api/v1/stream?kind=press_release", "--key",
         api_key_for("issuer_member"), "--since", str(head), "--max-events", "3"],
        env=wire_env(tmp_path / "client"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert client.stdout is not None
        first = json.loads(client.stdout.readline())
        after = [make_release("published"), make_release("published", kind="media_advisory"),
                 make_release("published")]
        output, errors = client.communicate(timeout=60)
    finally:
        if client.poll() is None:
            client.kill()
    assert client.returncode == 0, errors
    lines = [first, *(json.loads(line) for line in output.splitlines())]
    assert [line["data"]["data"]["uri"] for line in lines] == [before.urn, after[0].urn, after[2].urn]
    assert [line["event"] for line in lines] == ["publish"] * 3
    ids = [int(line["id"]) for line in lines]
    assert ids == sorted(ids) and ids[0] > head


def _first_heartbeat(base: str, key: str) -> bytes:
    async def read() -> bytes:
        async with aiohttp.ClientSession() as session, session.get(
                f"{base}/api/v1/stream", headers={"Authorization": f"Bearer {key}"},
        ) as response:
            assert response.status == 200, (response.status, await response.text())
            assert response.headers["Cache-Control"] == "no-cache"
            received = b""
            async for chunk in response.content.iter_any():
                received += chunk
                if b"\n: heartbeat\n\n" in received:
                    return received
        raise AssertionError("the stream ended")

    received = asyncio.run(asyncio.wait_for(read(), 60))
    assert received.startswith(b"retry: 2000\n")
    assert b"data:" not in received
    return received


def test_an_idle_stream_sends_heartbeat_comments(served: ServedWire, api_key_for: Callable[[str], str]) -> None:
    _first_heartbeat(served.base, api_key_for("wire_admin"))


def test_through_pushpin_an_idle_stream_gets_pushpins_heartbeat_comments(
    pushpin: Pushpin, api_key_for: Callable[[str], str],
) -> None:
    _first_heartbeat(pushpin.base, api_key_for("wire_admin"))


def test_through_pushpin_a_publish_pushpin_never_got_reaches_the_client_when_pushpin_asks_for_the_gap(
    pushpin: Pushpin, make_release: Callable[..., Release], api_key_for: Callable[[str], str],
) -> None:
    reader = Reader(f"{pushpin.base}/api/v1/stream", api_key_for("issuer_member"), want=3)
    reader.start()
    wait_until(lambda: reader.connected.is_set() or reader.error is not None, timeout=60, what="the stream to open")
    first = make_release("published")
    wait_until(lambda: bool(reader.events) or reader.error is not None, timeout=60, what="the first event")
    # The wire records an event as published on the channel, but Pushpin never gets it (a publish lost on the
    # way): the next item's prev-id then names an item the client never had.
    with transaction.atomic():
        lost = make_release("published")
        seq = WireEvent.objects.filter(release=lost).values_list("seq", flat=True).get()
        assert StreamChannel.objects.update(last_id=seq, scanned=seq) == 1
    after = make_release("published")
    reader.join(60)
    assert reader.error is None, reader.error
    assert [json.loads(event.data)["data"]["uri"] for event in reader.events] == [first.urn, lost.urn, after.urn]
    assert [int(event.id) for event in reader.events] == sorted(int(event.id) for event in reader.events)


def test_a_stream_connection_counts_once_against_the_keys_stream_allowance_and_never_against_its_requests(
    tmp_path: Path, api_key_for: Callable[[str], str],
) -> None:
    server = _serve(tmp_path, WIREROOM_API_RATE_PER_MINUTE="2", WIREROOM_STREAM_CONNECTS_PER_MINUTE="3")
    key = api_key_for("issuer_member")
    auth = {"Authorization": f"Bearer {key}"}

    async def connect() -> tuple[list[int], dict[str, object], dict[str, str], list[int]]:
        async with aiohttp.ClientSession() as session:
            streams = [await session.get(f"{server.base}/api/v1/stream", headers=auth) for _ in range(3)]
            try:
                # Three streams open, each past its first heartbeat (more than the API's two requests a minute).
                for response in streams:
                    received = b""
                    async for chunk in response.content.iter_any():
                        received += chunk
                        if b": heartbeat" in received:
                            break
                async with session.get(f"{server.base}/api/v1/stream", headers=auth) as fourth:
                    refused = await fourth.json()
                    refused_headers = {name: fourth.headers.get(name, "") for name in ("Retry-After", "RateLimit")}
                    refused_status = fourth.status
                # The open streams took nothing from the requests: both are still there.
                requests = []
                for _ in range(2):
                    async with session.get(f"{server.base}/api/v1/releases", headers=auth) as answer:
                        requests.append(answer.status)
            finally:
                for response in streams:
                    response.close()
            return [refused_status, *[response.status for response in streams]], refused, refused_headers, requests

    try:
        statuses, refused, headers, requests = asyncio.run(asyncio.wait_for(connect(), 60))
    finally:
        _stop(server)
    assert statuses == [429, 200, 200, 200]
    error = refused["error"]
    assert isinstance(error, dict) and error["code"] == "rate_limited"
    assert int(headers["Retry-After"]) > 0 and headers["RateLimit"].startswith('"per-key";r=0')
    assert requests == [200, 200]


def _web_process(server: ServedWire) -> int:
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    (web,) = children  # `serve --no-worker` runs the web server alone
    return int(web)


def _threads(server: ServedWire) -> int:
    return len(list(Path(f"/proc/{_web_process(server)}/task").iterdir()))


def _database_handles(server: ServedWire) -> int:
    """The database connections the web server's process holds: on SQLite its open files of the database, on
    PostgreSQL its sockets to the server (read from /proc, so nothing here touches the database)."""
    web = _web_process(server)
    links = []
    for fd in Path(f"/proc/{web}/fd").iterdir():
        try:
            links.append(os.readlink(fd))
        except FileNotFoundError:  # closed meanwhile
            continue
    if connection.vendor == "sqlite":
        return sum(link.startswith(str(connection.settings_dict["NAME"])) for link in links)
    sockets = {link[len("socket:["):-1] for link in links if link.startswith("socket:[")}
    port = int(connection.settings_dict["PORT"] or 5432)
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[9] in sockets:
                count += 1
    return count


def _with_streams_open(served: ServedWire, key: str, probe: Callable[[ServedWire], int]) -> list[int]:
    """`probe` of the web server with 1, 25 and 50 streams open."""

    async def streams(count: int, session: aiohttp.ClientSession) -> list[aiohttp.ClientResponse]:
        opened = []
        for _ in range(count):
            response = await session.get(f"{served.base}/api/v1/stream", headers={"Authorization": f"Bearer {key}"})
            # Past the preamble: the request's checks (the key, the filters) are done.
            await response.content.readuntil(b"\n\n")
            opened.append(response)
        return opened

    async def measure() -> list[int]:
        counts = []
        async with aiohttp.ClientSession() as session:
            opened: list[aiohttp.ClientResponse] = []
            for batch in (1, 24, 25):
                opened += await streams(batch, session)
                counts.append(probe(served))
            for response in opened:
                response.close()
        return counts

    return asyncio.run(asyncio.wait_for(measure(), 120))


def test_open_streams_hold_no_database_connection_of_their_own(
    served: ServedWire, api_key_for: Callable[[str], str],
) -> None:
    counts = _with_streams_open(served, api_key_for("wire_admin"), _database_handles)
    # 1, 25 and 50 streams open: the connections are the hub's (its listener and its four reading threads, opened
    # as they are first used), never one per stream; before, 50 streams held 103 files of the SQLite database.
    assert max(counts) <= HUB_CONNECTIONS, counts


def test_open_streams_hold_no_thread_of_their_own(served: ServedWire, api_key_for: Callable[[str], str]) -> None:
    counts = _with_streams_open(served, api_key_for("wire_admin"), _threads)
    # Django gave each request a thread until its last byte: 50 streams held 50 more threads than one did. Now
    # the stream's requests share one, and the 49 more streams add at most the hub's reading threads as they
    # start.
    assert counts[-1] - counts[0] <= HUB_THREADS, counts
