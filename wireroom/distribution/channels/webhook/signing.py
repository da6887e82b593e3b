"""Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over "{id}.{timestamp}.{body}"."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable

SECRET_PREFIX = "whsec_"


class BadSecret(ValueError):
    pass


def decode_secret(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        # Unpadded base64 is common in the wild; extra padding is ignored by the decoder.
        key = base64.b64decode(raw + "==", validate=False)
    except (binascii.Error, ValueError):
        raise BadSecret("a signing secret is not base64 after its whsec_ prefix") from None
    if not key:
        raise BadSecret("a signing secret is empty")
    return key


def signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode(), hashlib.sha256)
    mac.update(body)
    return "v1," + base64.b64encode(mac.digest()).decode()


def headers(keys: Iterable[bytes], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every secret signs, so a receiver holding either the old or the new secret verifies during rotation."""
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(key, msg_id, timestamp, body) for key in keys),
    }
