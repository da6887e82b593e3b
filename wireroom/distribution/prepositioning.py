"""Encrypted pre-positioning's ledger rows and bodies, shared by the channels that carry it (docs/trust.md).

A scheduled version's opted-in recipients get three kinds of extra ledger row beside their plain one:

- `envelope` (`p:<plain row's key>:<key id>`), due at once: the version sealed with its content key;
- `key` (`k:…`), due at the embargo second: the key, made into a body only when it is sent, from the released key;
- `kill` (`x:…`), staged when the schedule is dropped (unscheduled, withdrawn) for every envelope that may have
  reached its recipient: the notice that this envelope will never be opened.

Each carries the content key's id (`contentkeys.key_id`), so a recipient tells apart the envelopes of two
schedulings of one version (a release unscheduled and scheduled again), and the kill notice names the one it
kills. The bodies are the same bytes on every channel (the webhook's POST body, the SFTP file).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.formats.item import iso
from wireroom.trust import contentkeys
from wireroom.trust.models import ContentKey

ENVELOPE = "envelope"
KEY = "key"
KILL = "kill"
# Rows that are not a copy of the release: a later version's corrections and kill notices never copy them.
EXTRA_ACTIONS = (ENVELOPE, KEY, KILL)
PREFIXES = {ENVELOPE: "p", KEY: "k", KILL: "x"}

PREPOSITIONED_EVENT = "release.prepositioned"
KEY_EVENT = "release.key_released"
KILL_EVENT = "release.prepositioned_killed"
KILL_PROFILE = "wireroom-prepositioned-kill/1"
# A key row sent before the embargo clock has published its version goes back, not counted as a try, for
# as long as the clock has been late, between these bounds (`key_retry_after`).
KEY_RETRY_SECONDS = 0.1
KEY_RETRY_CEILING = 1.0


def body_bytes(payload: dict[str, Any]) -> bytes:
    """Compact JSON, as every webhook body: the exact bytes that are signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def row_key(action: str, *, plain_key: str, key_id: str) -> str:
    """`p:e:17:<key id>`: the plain row's recipient key says which channel's endpoint, the key id which schedule."""
    return f"{PREFIXES[action]}:{plain_key}:{key_id}"


def key_id_of(recipient_key: str) -> str:
    return recipient_key.rsplit(":", 1)[-1]


def sealed_for(body: bytes, recipient_key: str) -> bool:
    """Whether an envelope event is sealed under the key an envelope row names (a stored envelope of an earlier
    scheduling would not be: unstaging deletes those, this makes sure)."""
    return bool(json.loads(body)["data"]["key_id"] == key_id_of(recipient_key))


def kill_format(key_id: str) -> str:
    """The RenderedItem format under which a dropped schedule's kill notice is kept (unstaging keeps it)."""
    return f"x:{key_id}"  # RenderedItem.format holds 20 characters


def extra_rows(*, release_id: uuid.UUID, version: int, channel: str, recipients: Iterable[tuple[str, int, str]],
               key_id: str, embargo: dt.datetime, now: dt.datetime) -> list[Delivery]:
    """The envelope and key rows of `recipients` ((plain recipient key, endpoint id, language)), unsaved."""
    column = "endpoint_id" if channel == "webhook" else f"{channel}_endpoint_id"
    rows = []
    for plain_key, endpoint_id, language in recipients:
        for action, due in ((ENVELOPE, now), (KEY, embargo)):
            rows.append(Delivery(release_id=release_id, version=version, action=action, channel=channel,
                                 recipient_key=row_key(action, plain_key=plain_key, key_id=key_id),
                                 **{column: endpoint_id}, language=language, state=DeliveryState.PENDING,
                                 next_attempt_at=due, created_at=now))
    return rows


def stage_kills(*, release_id: uuid.UUID, version: int, now: dt.datetime) -> int:
    """Before a dropped schedule's rows are deleted: a kill notice for every envelope that may have reached its
    recipient (delivered, being sent, or tried once: a timeout may hide a receipt). How many were staged."""
    held = ContentKey.objects.filter(release_id=release_id, version=version, released_at__isnull=True).values_list(
        "key", "embargo_at").first()
    if held is None:
        return 0
    key_id = contentkeys.key_id(bytes(held[0]))
    reached = Delivery.objects.filter(
        Q(state__in=(DeliveryState.DELIVERED, DeliveryState.LEASED)) | Q(attempts__gt=0),
        release_id=release_id, version=version, action=ENVELOPE, recipient_key__endswith=f":{key_id}",
    ).values_list("channel", "recipient_key", "endpoint_id", "sftp_endpoint_id", "language")
    rows = []
    for channel, recipient_key, endpoint_id, sftp_endpoint_id, language in reached:
        rows.append(Delivery(release_id=release_id, version=version, action=KILL, channel=channel,
                             recipient_key=f"{PREFIXES[KILL]}{recipient_key[1:]}", endpoint_id=endpoint_id,
                             sftp_endpoint_id=sftp_endpoint_id, language=language, state=DeliveryState.PENDING,
                             next_attempt_at=now, created_at=now))
    # Kept even when no row needs it: the stream's kill event sends it too.
    notice = {"type": KILL_EVENT, "timestamp": iso(now), "data": {
        "profile": KILL_PROFILE, "release": str(release_id), "version": version, "key_id": key_id,
        "embargo": iso(held[1]), "reason": "The schedule was dropped: this envelope's key will never be released."}}
    RenderedItem.objects.bulk_create([RenderedItem(release_id=release_id, version=version,
                                                   format=kill_format(key_id), language="*", payload=notice)],
                                     ignore_conflicts=True)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


BodyKey = tuple[uuid.UUID, int, str]  # release, version, key id


def _any_version(wanted: set[tuple[uuid.UUID, int]]) -> Q:
    match = Q()
    for release_id, version in wanted:
        match |= Q(release_id=release_id, version=version)
    return match


def key_bodies(keys: Iterable[tuple[uuid.UUID, int]]) -> dict[BodyKey, bytes]:
    """The key-release events of versions whose key the embargo clock has released. Made here, at sending, and
    never stored: a key is in nothing the wire keeps but its own row."""
    wanted = set(keys)
    if not wanted:
        return {}
    match = _any_version(wanted)
    rows = ContentKey.objects.filter(match, released_at__isnull=False).values_list(
        "release_id", "version", "key", "released_at")
    return {(uuid.UUID(str(release_id)), version, contentkeys.key_id(bytes(key))): body_bytes({
        "type": KEY_EVENT, "timestamp": iso(released_at),
        "data": {"release": str(release_id), "version": version, "key_id": contentkeys.key_id(bytes(key)),
                 "key": contentkeys.b64(bytes(key))}})
        for release_id, version, key, released_at in rows}


def key_retry_after(keys: Iterable[tuple[uuid.UUID, int]], *, now: dt.datetime) -> dict[tuple[uuid.UUID, int], float]:
    """How long the key rows of versions whose key is not released yet go back: 0.1 s just after the embargo
    second (the clock publishes within milliseconds of it), longer the later the clock is, at most a second, so
    a stopped clock makes the key rows wait as they used to rather than take the front of every lease."""
    wanted = set(keys)
    if not wanted:
        return {}
    match = _any_version(wanted)
    embargoes = {(uuid.UUID(str(release_id)), version): embargo for release_id, version, embargo in
                 ContentKey.objects.filter(match, released_at__isnull=True).values_list(
                     "release_id", "version", "embargo_at")}
    return {each: min(KEY_RETRY_CEILING, max(KEY_RETRY_SECONDS, (now - embargoes[each]).total_seconds()))
            if each in embargoes else KEY_RETRY_CEILING for each in wanted}


def kill_bodies(keys: Iterable[BodyKey]) -> dict[BodyKey, bytes]:
    wanted = set(keys)
    if not wanted:
        return {}
    match = Q()
    for release_id, version, key_id in wanted:
        match |= Q(release_id=release_id, version=version, format=kill_format(key_id))
    rows = RenderedItem.objects.filter(match, language="*").values_list("release_id", "version", "format", "payload")
    return {(uuid.UUID(str(release_id)), version, format_name.split(":", 1)[1]): body_bytes(payload)
            for release_id, version, format_name, payload in rows}


def extra_body(action: str, *, release_id: uuid.UUID, version: int, recipient_key: str,
               keys: dict[BodyKey, bytes], kills: dict[BodyKey, bytes]) -> bytes | None:
    """A key or kill row's body from what `key_bodies` and `kill_bodies` loaded; None while a key row's key is
    not released yet."""
    found = (kills if action == KILL else keys).get((release_id, version, key_id_of(recipient_key)))
    return found
