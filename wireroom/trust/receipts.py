"""The delivery log: every final delivery outcome as a leaf of an RFC 9162 Merkle tree (docs/trust.md#receipts).

The ledger appends a batch's outcomes in the transaction that records them (`append`); indexes are handed out in
order under a lock, so concurrent workers still make one log. Tree heads sign the log's size and root with the
wire's key; a receipt is a leaf with its audit path to a signed head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max

from wireroom.releases.models import ReleaseVersion
from wireroom.trust import wirekeys
from wireroom.trust.jose import canonical
from wireroom.trust.merkle import leaf_hash
from wireroom.trust.models import LogEntry, TreeHead

RECEIPT_PROFILE = "wireroom-receipt/1"
HEAD_PROFILE = "wireroom-tree-head/1"
# Appends are serialized on PostgreSQL by this transaction-level advisory lock ("WRLG"); on SQLite the ledger's
# UPDATE before them already holds the database's one write lock.
LOG_LOCK = 0x57524C47
_secret_lock = threading.Lock()
_secrets: dict[Path, bytes] = {}
# Content digests of versions already seen by this process: a fan-out acks the same version thousands of times.
_digests: dict[tuple[uuid.UUID, int], str] = {}


@dataclass(frozen=True)
class Outcome:
    """A ledger row's final outcome, as the ledger hands it over."""

    release_id: uuid.UUID
    version: int
    action: str
    channel: str
    language: str
    recipient_key: str
    state: str
    receiver_ref: str


def _secret() -> bytes:
    """The wire's secret for recipients' pseudonyms (HMAC-SHA256 of the ledger's recipient key, so stable per
    recipient and meaningless without it), made on first use in the data folder (owner-only)."""
    path = wirekeys.folder() / "receipts.secret"
    with _secret_lock:
        if path not in _secrets:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                # O_EXCL: when two workers start together, one writes the secret and both read that one.
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(descriptor, "wb") as file:
                    file.write(os.urandom(32))
            _secrets[path] = path.read_bytes()
        return _secrets[path]


def _content_digests(keys: set[tuple[uuid.UUID, int]]) -> dict[tuple[uuid.UUID, int], str]:
    missing = keys - set(_digests)
    if missing:
        if len(_digests) > 10_000:
            _digests.clear()
        releases = {release for release, _version in missing}
        for release, number, snapshot in ReleaseVersion.objects.filter(release_id__in=releases).values_list(
                "release_id", "number", "snapshot"):
            _digests[(release, number)] = hashlib.sha256(canonical(snapshot)).hexdigest()
    return {key: _digests.get(key, "") for key in keys}


def _timestamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def leaf(outcome: Outcome, *, release: str, content_sha256: str, at: str, recipients: hmac.HMAC) -> bytes:
    """The entry as the tree hashes it: JSON, keys sorted, no spaces. Its members are strings and integers only,
    for which this is the RFC 8785 form; the verifier hashes the bytes as they are and never re-serializes them."""
    pseudonym = recipients.copy()
    pseudonym.update(outcome.recipient_key.encode())
    return json.dumps({
        "profile": RECEIPT_PROFILE, "release": release, "version": outcome.version, "action": outcome.action,
        "content_sha256": content_sha256, "channel": outcome.channel, "language": outcome.language,
        "recipient": pseudonym.hexdigest(), "outcome": outcome.state, "receiver_ref": outcome.receiver_ref, "at": at,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def append(*, outcomes: Sequence[Outcome], at: dt.datetime) -> None:
    """Adds `outcomes` to the log, in order; to be called inside the transaction that records them."""
    if not outcomes or not settings.RECEIPTS:
        return
    digests = _content_digests({(o.release_id, o.version) for o in outcomes})
    release_field = LogEntry._meta.get_field("release_id")
    # Once per release, not per outcome: a batch holds a few releases and hundreds of outcomes.
    releases = {release_id: (f"urn:{settings.URN_NAMESPACE}:release:{release_id}",
                             release_field.get_db_prep_value(release_id, connection))
                for release_id in {o.release_id for o in outcomes}}
    recipients, moment = hmac.new(_secret(), digestmod=hashlib.sha256), _timestamp(at)
    leaves = [leaf(o, release=releases[o.release_id][0], content_sha256=digests[(o.release_id, o.version)],
                   at=moment, recipients=recipients) for o in outcomes]
    quote = connection.ops.quote_name
    insert = (f"INSERT INTO {quote(LogEntry._meta.db_table)} ({quote('index')}, {quote('release_id')}, "
              f"{quote('leaf')}, {quote('leaf_hash')}) VALUES (%s, %s, %s, %s)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK])
        top = LogEntry.objects.aggregate(top=Max("index"))["top"]
        first = 0 if top is None else top + 1
        # Plain parameterized statements, like the ack they follow: the ORM's bulk_create cost more than the rest.
        cursor.executemany(insert, [(first + i, releases[o.release_id][1], data.decode(), leaf_hash(data))
                                    for i, (o, data) in enumerate(zip(outcomes, leaves, strict=True))])


def head_payload(*, size: int, root_hash: str, timestamp: int) -> bytes:
    """The bytes a tree head's signature covers (RFC 8785)."""
    return canonical({"profile": HEAD_PROFILE, "tree_size": size, "root_hash": root_hash, "timestamp": timestamp})


def head_document(head: TreeHead) -> dict[str, Any]:
    return {"profile": HEAD_PROFILE, "tree_size": head.size, "root_hash": head.root_hash,
            "timestamp": head.timestamp, "jws": head.jws}
