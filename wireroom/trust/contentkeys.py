"""Content keys and envelopes of encrypted pre-positioning (docs/trust.md, "Encrypted pre-positioning").

A scheduled version gets one fresh AES-256-GCM key. Partners that opted in receive, when the version is
scheduled, an envelope holding the ciphertext of the exact bytes they will get at the embargo; the key follows at
the embargo second. The envelope's other members are the associated data, so it cannot be moved to another
release, version or embargo.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wireroom.releases.models import Release
from wireroom.trust.models import ContentKey

PROFILE = "wireroom-prepositioned/1"
NONCE_BYTES = 12


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def key_id(key: bytes) -> str:
    """A short public name for a content key: the envelope, the key release and a kill notice carry it, so a
    recipient matches them and tells apart two schedulings of one version. A hash of a random 256-bit key tells
    nothing about the key."""
    return hashlib.sha256(b"wireroom-content-key-id\x00" + key).hexdigest()[:16]


def associated_data(envelope: dict[str, Any]) -> bytes:
    """The envelope without its ciphertext, canonical: sorted keys, no whitespace, UTF-8. Its members are strings
    and one integer, for which this is exactly RFC 8785."""
    members = {name: value for name, value in envelope.items() if name != "ciphertext"}
    return json.dumps(members, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(*, key: bytes, release: uuid.UUID, version: int, embargo: dt.datetime, plaintext: bytes) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "profile": PROFILE, "release": str(release), "version": version,
        "embargo": embargo.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "key_id": key_id(key), "nonce": b64(os.urandom(NONCE_BYTES)),
    }
    nonce = base64.b64decode(envelope["nonce"])
    envelope["ciphertext"] = b64(AESGCM(key).encrypt(nonce, plaintext, associated_data(envelope)))
    return envelope


def held_key(*, release_id: uuid.UUID, version: int) -> bytes | None:
    """The version's key for sealing, released or not; None when it has none."""
    found = ContentKey.objects.filter(release_id=release_id, version=version).values_list("key", flat=True).first()
    return bytes(found) if found is not None else None


def make(*, release: Release, version: int, embargo: dt.datetime) -> str:
    # A fresh key each scheduling: an envelope sealed for a schedule that was dropped stays unreadable.
    ContentKey.objects.filter(release=release, version=version).delete()
    key = AESGCM.generate_key(bit_length=256)
    ContentKey.objects.create(release=release, version=version, key=key, embargo_at=embargo)
    return key_id(key)


def release(*, release: Release, version: int, now: dt.datetime) -> str | None:
    held = ContentKey.objects.filter(release=release, version=version, released_at__isnull=True)
    key = held.values_list("key", flat=True).first()
    if key is None:
        return None
    held.update(released_at=now)
    return key_id(bytes(key))


def forget(*, release: Release, version: int) -> str | None:
    held = ContentKey.objects.filter(release=release, version=version, released_at__isnull=True)
    key = held.values_list("key", flat=True).first()
    if key is None:
        return None
    held.delete()
    return key_id(bytes(key))
