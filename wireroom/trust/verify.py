"""Offline checks of what the wire sends and what issuers sign, for `wireroom verify` (docs/trust.md)."""

from __future__ import annotations

import json
from typing import Any

from wireroom.lib.errors import InvalidInput
from wireroom.trust.jose import detached_header, public_key_from_text, thumbprint, verify_detached


def verify_with_jwks(*, body: bytes, signature: str, jwks: dict[str, Any]) -> str:
    """The kid of the wire key in `jwks` that signed exactly `body`; InvalidInput otherwise."""
    kid: str = detached_header(signature)["kid"]
    key = next((k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("kid") == kid), None)
    if key is None:
        raise InvalidInput(f"The signature's key {kid} is not in the JWKS.")
    if thumbprint(str(key.get("x", ""))) != kid:
        raise InvalidInput(f"The JWKS entry {kid} is not the key its kid names.")
    if not verify_detached(public_key_from_text(json.dumps(key | {"kid": kid})), signature, body):
        raise InvalidInput("The signature does not match these bytes: the file is not what the wire sent.")
    return kid


def verify_issuer_document(document: dict[str, Any]) -> str:
    """Checks a signature document (`GET /api/v1/releases/{id}/signature`); returns what it proves."""
    if document.get("state") != "signed":
        raise InvalidInput("The release is unsigned: there is no issuer signature to check.")
    jwk, jws, payload = document.get("jwk"), document.get("jws"), document.get("payload")
    if not isinstance(jwk, dict) or not isinstance(jws, str) or not isinstance(payload, str):
        raise InvalidInput("The document lacks jwk, jws or payload.")
    kid = detached_header(jws)["kid"]
    if thumbprint(str(jwk.get("x", ""))) != kid:
        raise InvalidInput(f"The document's key is not {kid}, the key the signature names.")
    if not verify_detached(public_key_from_text(json.dumps(jwk)), jws, payload.encode()):
        raise InvalidInput("The issuer's signature does not match the payload.")
    signed = json.loads(payload)
    return f"signed by {document.get('issuer')}, key {kid}: {signed.get('release')} [{signed.get('language')}]"
