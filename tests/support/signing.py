"""An issuer's side of signing, written with jwcrypto so that the wire's own code (on `cryptography`) is checked
against an independent implementation of JWS (RFC 7515, RFC 7797) and the canonical form (RFC 8785)."""

from __future__ import annotations

import json
from typing import Any

import rfc8785
from jwcrypto import jwk, jws


def new_key() -> jwk.JWK:
    return jwk.JWK.generate(kty="OKP", crv="Ed25519")


def public_pem(key: jwk.JWK) -> str:
    return str(key.export_to_pem(private_key=False, password=None).decode())


def kid_of(key: jwk.JWK) -> str:
    return str(key.thumbprint())


def release_payload(*, urn: str, language: str, headline: str, summary: str, body_html: str) -> bytes:
    """docs/trust.md: the RFC 8785 form of these six members."""
    return bytes(rfc8785.dumps({"profile": "wireroom-release/1", "release": urn, "language": language,
                                "headline": headline, "summary": summary, "body_html": body_html}))


def sign_detached(key: jwk.JWK, payload: bytes, *, kid: str | None = None) -> str:
    token = jws.JWS(payload)
    header = {"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": kid or kid_of(key)}
    token.add_signature(key, None, json.dumps(header))
    token.detach_payload()
    return str(token.serialize(compact=True))


def verifies(jwk_members: dict[str, Any], signature: str, payload: bytes) -> bool:
    token = jws.JWS()
    token.deserialize(signature)
    try:
        token.verify(jwk.JWK(**jwk_members), detached_payload=payload)
    except jws.InvalidJWSSignature:
        return False
    return True


def detached_kid(signature: str) -> str:
    """The `kid` of a compact JWS's protected header, read with jwcrypto."""
    token = jws.JWS()
    token.deserialize(signature)
    return str(token.jose_header["kid"])
