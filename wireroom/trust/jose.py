"""Ed25519 keys and detached JWS with an unencoded payload (RFC 7515, RFC 7797), on `cryptography`.

The one JWS shape Wireroom reads and writes: compact serialization, empty payload part, protected header
exactly `{"alg": "EdDSA", "b64": false, "crit": ["b64"], "kid": …}`. The signing input is the header's base64url,
a dot, and the payload's bytes as they are. Anything else is refused rather than interpreted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from wireroom.lib.errors import InvalidInput

MAX_JWS = 2_000
HEADER_FIELDS = {"alg", "b64", "crit", "kid"}
BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    # Strict: urlsafe_b64decode would skip characters outside the alphabet rather than refuse them.
    if not BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(value: Any) -> bytes:
    """RFC 8785 (JSON Canonicalization Scheme)."""
    return rfc8785.dumps(value)


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(x: str) -> str:
    """The JWK thumbprint of an Ed25519 key (RFC 7638, SHA-256), used as its `kid`."""
    return b64url(hashlib.sha256(canonical({"crv": "Ed25519", "kty": "OKP", "x": x})).digest())


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A PEM public key, a JWK (JSON) or the raw key in base64url; anything else is refused."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise InvalidInput("The key is not an Ed25519 key; Wireroom verifies EdDSA signatures only.")
            return key
        if text.startswith("{"):
            jwk = json.loads(text)
            if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
                raise InvalidInput("The JWK must be a public OKP key on Ed25519 (kty OKP, crv Ed25519, no d).")
            text = str(jwk.get("x", ""))
        return Ed25519PublicKey.from_public_bytes(b64url_decode(text))
    except (ValueError, TypeError, binascii.Error, UnsupportedAlgorithm) as exc:
        raise InvalidInput("The public key is neither an Ed25519 PEM key, a JWK nor 32 bytes in base64url.") from exc


def sign_detached(private_key: Ed25519PrivateKey, kid: str, payload: bytes) -> str:
    header = b64url(canonical({"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": kid}))
    signature = private_key.sign(header.encode("ascii") + b"." + payload)
    return f"{header}..{b64url(signature)}"


def detached_header(jws: str) -> dict[str, Any]:
    """The protected header of a detached unencoded JWS, checked for the one shape accepted."""
    if len(jws) > MAX_JWS:
        raise InvalidInput(f"The signature is longer than {MAX_JWS} characters; send a compact detached JWS.")
    parts = jws.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise InvalidInput("The signature must be a compact JWS with a detached payload (header..signature).")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError as exc:
        raise InvalidInput("The JWS header is not base64url-encoded JSON.") from exc
    if (not isinstance(header, dict) or set(header) - HEADER_FIELDS or header.get("alg") != "EdDSA"
            or header.get("b64") is not False or header.get("crit") != ["b64"]
            or not isinstance(header.get("kid"), str)):
        raise InvalidInput('The JWS header must be {"alg": "EdDSA", "b64": false, "crit": ["b64"], "kid": …} '
                           "and nothing else.")
    return header


def verify_detached(public_key: Ed25519PublicKey, jws: str, payload: bytes) -> bool:
    detached_header(jws)
    header, _, signature = jws.split(".")
    try:
        public_key.verify(b64url_decode(signature), header.encode("ascii") + b"." + payload)
    except (InvalidSignature, ValueError):
        return False
    return True
