"""The delivery log: every final outcome the ledger records becomes a leaf of the RFC 9162 tree; an issuer downloads
its release's receipts with inclusion proofs and checks them offline against a signed tree head; consistency proofs
show the log was only appended to; concurrent workers still make one log."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import hmac
import json
import random
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.test import Client, override_settings
from django.utils import timezone
from jwcrypto import jwk, jws

from tests.support.api import ApiClient
from wireroom.accounts.models import Membership
from wireroom.distribution import ledger
from wireroom.distribution.channels.base import Result
from wireroom.distribution.models import Delivery
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.models import Contact
from wireroom.releases.models import Release
from wireroom.trust import receipts, selectors, services, wirekeys
from wireroom.trust.jose import b64url
from wireroom.trust.models import LogEntry
from wireroom.trust.verify import verify_consistency_document, verify_receipts

Api = Callable[[str | None], ApiClient]


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(DATA_DIR=tmp_path):
        yield tmp_path


def _stage(release: Release, count: int) -> list[int]:
    """`count` due e-mail rows of the release's first version, to new contacts, made in bulk rather than through
    targeting. Returns the contacts' ids."""
    now = timezone.now()
    people = Contact.objects.bulk_create(
        (Contact(name=f"Reader {n}", email=f"r{n}-{release.pk.hex[:8]}@example.com", consent=True)
         for n in range(count)), batch_size=2000)
    Delivery.objects.bulk_create(
        (Delivery(release=release, version=1, action="publish", channel="email", recipient_key=f"c:{person.pk}",
                  contact=person, language="en", next_attempt_at=now, created_at=now) for person in people),
        batch_size=2000)
    return [person.pk for person in people]


def _deliver_all(worker: str = "w1", *, batch: int = 500) -> int:
    """Leases and acknowledges every due row as a worker does, each batch's outcomes in one ack."""
    done = 0
    rng = random.Random(worker)
    while jobs := ledger.lease(worker=worker, limit=batch, lease_seconds=60):
        results = [Result(job.delivery_id, "delivered", receiver_ref="200") if rng.random() > 0.01
                   else Result(job.delivery_id, "failed", error="410 gone") for job in jobs]
        ledger.ack(worker=worker, jobs=jobs, results=results, max_attempts=5, retry_delay=lambda _n: 60.0)
        done += len(jobs)
    return done


def _flip(text: str, at: int) -> str:
    """The text with one character changed (one byte of its ASCII)."""
    return text[:at] + chr(ord(text[at]) ^ 1) + text[at + 1:]


def _pseudonym(data_dir: Path, recipient_key: str) -> str:
    """HMAC-SHA256 of `<channel>:<contact or endpoint id>` under the secret in the data folder, computed here."""
    secret = (data_dir / "trust" / "receipts.secret").read_bytes()
    return hmac.new(secret, recipient_key.encode(), hashlib.sha256).hexdigest()


def _refused(document: dict[str, Any], check: Callable[..., str] = verify_receipts) -> bool:
    try:
        check(document, jwks=wirekeys.jwks())
    except InvalidInput:
        return True
    return False


@pytest.mark.django_db
def test_a_ten_thousand_recipient_releases_receipts_verify_offline_and_any_flipped_byte_fails(
    data_dir: Path, make_release: Callable[..., Release], api: Api,
) -> None:
    release = make_release("published")
    other = make_release("published")  # its receipts share the log
    _stage(other, 37)
    _deliver_all()
    readers = _stage(release, 10_000)
    assert _deliver_all(batch=2000) == 10_000

    answer = api("issuer_member").get(f"/api/v1/releases/{release.pk}/receipts")
    assert answer.status_code == 200, answer.content
    document = answer.json()
    assert len(document["receipts"]) == 10_000
    assert document["tree_head"]["tree_size"] == 10_037
    assert verify_receipts(document, jwks=wirekeys.jwks()).startswith(f"10000 receipts of {release.urn}")
    leaf = json.loads(document["receipts"][0]["leaf"])
    assert leaf["release"] == release.urn and leaf["channel"] == "email" and leaf["version"] == 1
    assert leaf["outcome"] in {"delivered", "failed"} and len(leaf["content_sha256"]) == 64
    first, second = (_pseudonym(data_dir, f"email:{pk}") for pk in readers[:2])
    assert leaf["recipient"] == first != second

    # Offline, through the command, with the JWKS saved beside the file.
    (data_dir / "receipts.json").write_text(answer.content.decode())
    (data_dir / "jwks.json").write_text(json.dumps(wirekeys.jwks()))
    call_command("verify-receipts", str(data_dir / "receipts.json"), "--jwks", str(data_dir / "jwks.json"))

    tampered = copy.deepcopy(document)
    receipt = tampered["receipts"][4321]
    receipt["leaf"] = receipt["leaf"].replace('"outcome":"', '"outcome":"X', 1)
    assert _refused(tampered)
    for field in ("root_hash", "jws"):
        tampered = copy.deepcopy(document)
        tampered["tree_head"][field] = _flip(tampered["tree_head"][field], 5)
        assert _refused(tampered), field
    tampered = copy.deepcopy(document)
    tampered["tree_head"]["timestamp"] += 1
    assert _refused(tampered)
    tampered = copy.deepcopy(document)
    tampered["receipts"][9999]["inclusion_proof"][3] = _flip(tampered["receipts"][9999]["inclusion_proof"][3], 0)
    assert _refused(tampered)
    tampered = copy.deepcopy(document)
    tampered["receipts"][17]["index"] += 1
    assert _refused(tampered)
    (data_dir / "receipts.json").write_text(_flip(answer.content.decode(), answer.content.decode().index("at") + 8))
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify-receipts", str(data_dir / "receipts.json"), "--jwks", str(data_dir / "jwks.json"))


@pytest.mark.django_db
def test_the_tree_heads_signature_verifies_with_jwcrypto_against_the_served_jwks(
    data_dir: Path, make_release: Callable[..., Release],
) -> None:
    _stage(make_release("published"), 5)
    _deliver_all()
    head = Client().get("/api/v1/receipts/tree-head").json()
    assert head["tree_size"] == 5
    keys = jwk.JWKSet.from_json(Client().get("/.well-known/jwks.json").content)
    token = jws.JWS()
    token.deserialize(head["jws"])
    payload = receipts.head_payload(size=head["tree_size"], root_hash=head["root_hash"], timestamp=head["timestamp"])
    token.verify(keys.get_key(token.jose_header["kid"]), detached_payload=payload)


@pytest.mark.django_db
def test_a_consistency_proof_between_two_tree_heads_verifies_and_a_forged_one_fails(
    data_dir: Path, make_release: Callable[..., Release], api: Api,
) -> None:
    _stage(make_release("published"), 300)
    _deliver_all(batch=70)
    first = Client().get("/api/v1/receipts/tree-head").json()
    _stage(make_release("published"), 123)
    _deliver_all(batch=50)
    with override_settings(RECEIPTS_TREE_HEAD_SECONDS=0):
        second = Client().get("/api/v1/receipts/tree-head").json()
    assert (first["tree_size"], second["tree_size"]) == (300, 423)

    answer = Client().get("/api/v1/receipts/consistency", {"first": 300, "second": 423})
    assert answer.status_code == 200, answer.content
    document = answer.json()
    assert document["first"] == first and document["second"] == second
    assert verify_consistency_document(document, jwks=wirekeys.jwks()).startswith("the log of 423 entries")
    (data_dir / "consistency.json").write_text(answer.content.decode())
    (data_dir / "jwks.json").write_text(json.dumps(wirekeys.jwks()))
    call_command("verify-receipts", "--consistency", str(data_dir / "consistency.json"),
                 "--jwks", str(data_dir / "jwks.json"))

    forged = copy.deepcopy(document)
    forged["consistency_proof"][1] = b64url(bytes(32))
    assert _refused(forged, verify_consistency_document)
    # A log rewritten behind the first head: its signed root is not the one the proof leads to.
    LogEntry.objects.filter(index=7).update(leaf_hash=bytes(32))
    with override_settings(RECEIPTS_TREE_HEAD_SECONDS=0):
        Client().get("/api/v1/receipts/tree-head")
    rewritten = Client().get("/api/v1/receipts/consistency", {"first": 300, "second": 423}).json()
    assert rewritten["second"]["root_hash"] != second["root_hash"]
    assert _refused(rewritten, verify_consistency_document)


@pytest.mark.django_db
def test_receipts_are_the_issuers_and_the_wires_only(make_release: Callable[..., Release], api: Api,
                                                     data_dir: Path) -> None:
    release = make_release("published")
    _stage(release, 3)
    _deliver_all()
    path = f"/api/v1/releases/{release.pk}/receipts"
    assert api("wire_editor").get(path).status_code == 200
    assert api("issuer_admin").get(path).status_code == 200
    assert api("other_issuer_admin").get(path).status_code == 404
    assert api(None).get(path).status_code == 401
    assert api("issuer_admin").get("/api/v1/releases/not-an-id/receipts").status_code == 404


@pytest.mark.django_db
def test_a_consistency_request_for_sizes_never_signed_or_backwards_is_refused(data_dir: Path) -> None:
    Client().get("/api/v1/receipts/tree-head")
    assert Client().get("/api/v1/receipts/consistency", {"first": 3, "second": 1}).status_code == 422
    assert Client().get("/api/v1/receipts/consistency", {"first": 0, "second": 9}).status_code == 404
    assert Client().get("/api/v1/receipts/consistency", {"first": "x", "second": "0"}).status_code == 422
    assert Client().get("/api/v1/receipts/consistency", {"first": 0, "second": 0, "at": 1}).status_code == 422


@pytest.mark.django_db
def test_retries_are_not_logged_and_with_receipts_off_nothing_is(make_release: Callable[..., Release],
                                                                 data_dir: Path) -> None:
    _stage(make_release("published"), 4)
    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=60)
    ledger.ack(worker="w1", jobs=jobs, results=[Result(job.delivery_id, "retry", error="503") for job in jobs],
               max_attempts=5, retry_delay=lambda _n: 0.0)
    assert LogEntry.objects.count() == 0
    with override_settings(RECEIPTS=False):
        jobs = ledger.lease(worker="w1", limit=10, lease_seconds=60, now=timezone.now() + dt.timedelta(days=1))
        ledger.ack(worker="w1", jobs=jobs, results=[Result(job.delivery_id, "delivered") for job in jobs],
                   max_attempts=5, retry_delay=lambda _n: 0.0)
    assert len(jobs) == 4
    assert LogEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_acks_from_two_workers_make_one_consistent_log(make_release: Callable[..., Release],
                                                                  data_dir: Path) -> None:
    release = make_release("published")
    readers = _stage(release, 1200)
    barrier = threading.Barrier(2)
    sent: dict[str, int] = {}

    def work(name: str) -> None:
        barrier.wait()
        try:
            sent[name] = _deliver_all(name, batch=40)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent.values()) == 1200
    indexes = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(1200))
    recipients = {json.loads(leaf)["recipient"] for leaf in LogEntry.objects.values_list("leaf", flat=True)}
    assert recipients == {_pseudonym(data_dir, f"email:{pk}") for pk in readers}
    document = selectors.release_receipts(release_id=release.pk, head=services.tree_head_publish(max_age=0))
    assert verify_receipts(document, jwks=wirekeys.jwks()).startswith(f"1200 receipts of {release.urn}")


@pytest.mark.django_db
def test_the_distribution_report_links_to_receipts_that_verify(make_release: Callable[..., Release],
                                                               actors: dict[str, Membership], data_dir: Path) -> None:
    release = make_release("published")
    _stage(release, 12)
    _deliver_all()
    client = Client()
    client.force_login(actors["issuer_member"].user)
    page = client.get(f"/workspace/releases/{release.pk}/report/").content.decode()
    link = f"/workspace/releases/{release.pk}/receipts.json"
    assert f'href="{link}"' in page
    download = client.get(link)
    assert download["Content-Disposition"] == f'attachment; filename="receipts-{release.pk}.json"'
    assert verify_receipts(download.json(), jwks=wirekeys.jwks()).startswith(f"12 receipts of {release.urn}")
