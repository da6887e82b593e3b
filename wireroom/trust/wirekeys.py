"""The wire's own Ed25519 signing key: it signs every item and webhook payload it sends (docs/trust.md).

Kept in the data folder like the SSH key, made on first use:

    <data>/trust/current.pem        the private key that signs now (owner-only)
    <data>/trust/retired/<kid>.json the public JWKs of earlier keys, kept so old signatures stay verifiable

`wireroom trust-key rotate` makes a new key and retires the current one: its private half is deleted, its public
half stays in the JWKS at `/.well-known/jwks.json`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from wireroom.lib import secretfiles
from wireroom.trust.jose import b64url, raw_public_key, sign_detached, thumbprint

HEADER = "Wire-Signature"
# The member a stream event's JSON carries the signature in: SSE has no headers, and a standard client
# (`EventSource`, sseclient) hands over only `id`, `event` and `data`.
EVENT_MEMBER = "wire_signature"
EVENT_MARKER = f',"{EVENT_MEMBER}":"'.encode()
_lock = threading.Lock()
_cache: dict[Path, tuple[int, WireKey]] = {}


@dataclass(frozen=True)
class WireKey:
    private_key: Ed25519PrivateKey
    kid: str

    @property
    def jwk(self) -> dict[str, str]:
        return public_jwk(self.private_key)


def public_jwk(private_key: Ed25519PrivateKey) -> dict[str, str]:
    x = b64url(raw_public_key(private_key.public_key()))
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumbprint(x), "alg": "EdDSA", "use": "sig"}


def folder() -> Path:
    return Path(settings.DATA_DIR) / "trust"


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def current_key() -> WireKey:
    """The key that signs now, made on first use; re-read when a rotation replaced the file."""
    path = folder() / "current.pem"
    with _lock:
        if not path.exists():
            # Another worker may be making it at the same moment: whichever is first, every process signs with it.
            secretfiles.create_once(path, _pem(Ed25519PrivateKey.generate()))
        modified = path.stat().st_mtime_ns
        cached = _cache.get(path)
        if cached is None or cached[0] != modified:
            private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            assert isinstance(private_key, Ed25519PrivateKey)
            cached = (modified, WireKey(private_key, public_jwk(private_key)["kid"]))
            _cache[path] = cached
        return cached[1]


def rotate() -> tuple[str, str]:
    """A new current key; the old one's public JWK is kept. Returns (old kid, new kid)."""
    old = current_key()
    retired = folder() / "retired"
    retired.mkdir(mode=0o700, parents=True, exist_ok=True)
    (retired / f"{old.kid}.json").write_text(json.dumps(old.jwk))
    new = Ed25519PrivateKey.generate()
    with _lock:
        secretfiles.replace(folder() / "current.pem", _pem(new))
    return old.kid, public_jwk(new)["kid"]


def jwks() -> dict[str, Any]:
    """The current key first, then every retired one, newest first."""
    retired = sorted((folder() / "retired").glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    return {"keys": [current_key().jwk, *(json.loads(path.read_text()) for path in retired)]}


def sign(body: bytes) -> str:
    """A compact detached JWS (EdDSA, unencoded payload) over exactly `body`."""
    key = current_key()
    return sign_detached(key.private_key, key.kid, body)


def sign_event(body: bytes) -> bytes:
    """A compact JSON object `body` with the wire's signature over exactly `body` added as its last member: the
    signed bytes are what comes before `,"wire_signature":"`, plus the closing `}` (docs/trust.md)."""
    if not (body.startswith(b"{") and body.endswith(b"}")) or body == b"{}":
        raise ValueError("a stream event's data is a non-empty compact JSON object")
    return body[:-1] + EVENT_MARKER + sign(body).encode("ascii") + b'"}'
