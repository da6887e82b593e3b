"""Offline checks of what the wire sends, what issuers sign and the delivery log's receipts, for `wireroom verify`
and `wireroom verify-receipts` (docs/trust.md)."""

from __future__ import annotations

import json
from typing import Any

from wireroom.lib.errors import InvalidInput
from wireroom.trust import receipts, wirekeys
from wireroom.trust.jose import detached_header, public_key_from_text, thumbprint, verify_detached
from wireroom.trust.merkle import HASH_SIZE, verify_consistency, verify_inclusion


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


def split_event(data: bytes) -> tuple[bytes, str]:
    """A stream event's data: the bytes the wire signed and its signature (`wirekeys.sign_event` undone)."""
    at = data.rfind(wirekeys.EVENT_MARKER)
    if at < 0 or not data.endswith(b'"}'):
        raise InvalidInput(f"The event's data carries no {wirekeys.EVENT_MEMBER} member.")
    return data[:at] + b"}", data[at + len(wirekeys.EVENT_MARKER):-2].decode("ascii", "replace")


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


def _digest(text: Any, what: str) -> bytes:
    try:
        value = bytes.fromhex(text) if isinstance(text, str) else b""
    except ValueError:
        value = b""
    if len(value) != HASH_SIZE:
        raise InvalidInput(f"{what} is not a SHA-256 hash in hex.")
    return value


def verify_tree_head(head: Any, *, jwks: dict[str, Any]) -> tuple[int, bytes]:
    """The size and root of a signed tree head, once the wire's signature over it verifies against `jwks`."""
    if not isinstance(head, dict) or head.get("profile") != receipts.HEAD_PROFILE:
        raise InvalidInput(f"Not a tree head ({receipts.HEAD_PROFILE}).")
    size, root, timestamp, jws = head.get("tree_size"), head.get("root_hash"), head.get("timestamp"), head.get("jws")
    if (not isinstance(size, int) or isinstance(size, bool) or size < 0 or not isinstance(timestamp, int)
            or not isinstance(root, str) or not isinstance(jws, str)):
        raise InvalidInput("The tree head lacks tree_size, root_hash, timestamp or jws.")
    root_bytes = _digest(root, "The tree head's root_hash")
    verify_with_jwks(body=receipts.head_payload(size=size, root_hash=root, timestamp=timestamp), signature=jws,
                     jwks=jwks)
    return size, root_bytes


def verify_receipts(document: Any, *, jwks: dict[str, Any]) -> str:
    """Checks a receipts file (`GET /api/v1/releases/{id}/receipts`): the tree head's signature, then every
    receipt's audit path to it. Returns what it proves; InvalidInput at the first thing that does not hold."""
    if not isinstance(document, dict) or not isinstance(document.get("receipts"), list):
        raise InvalidInput("Not a receipts file: it has no list of receipts.")
    size, root = verify_tree_head(document.get("tree_head"), jwks=jwks)
    releases: set[str] = set()
    for number, receipt in enumerate(document["receipts"]):
        if not isinstance(receipt, dict) or not isinstance(receipt.get("leaf"), str) \
                or not isinstance(receipt.get("index"), int) or not isinstance(receipt.get("inclusion_proof"), list):
            raise InvalidInput(f"Receipt {number} lacks its index, leaf or inclusion_proof.")
        proof = [_digest(h, f"A hash of receipt {number}'s proof") for h in receipt["inclusion_proof"]]
        leaf = receipt["leaf"].encode()
        if not verify_inclusion(leaf=leaf, index=receipt["index"], size=size, proof=proof, root=root):
            raise InvalidInput(f"Receipt {number} (leaf {receipt['index']}) is not in the log the tree head signs.")
        try:
            releases.add(str(json.loads(leaf)["release"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"Receipt {number}'s leaf is not a receipt.") from exc
    return (f"{len(document['receipts'])} receipts of {', '.join(sorted(releases)) or 'no release'} are in the log "
            f"of {size} entries, root {root.hex()}")


def verify_consistency_document(document: Any, *, jwks: dict[str, Any]) -> str:
    """Checks a consistency document (`GET /api/v1/receipts/consistency`): both heads' signatures, then that the
    second log extends the first."""
    if not isinstance(document, dict) or not isinstance(document.get("consistency_proof"), list):
        raise InvalidInput("Not a consistency document: it has no consistency_proof.")
    first, first_root = verify_tree_head(document.get("first"), jwks=jwks)
    second, second_root = verify_tree_head(document.get("second"), jwks=jwks)
    proof = [_digest(h, "A hash of the consistency proof") for h in document["consistency_proof"]]
    if not verify_consistency(first=first, second=second, first_root=first_root, second_root=second_root,
                              proof=proof):
        raise InvalidInput(f"The log of {second} entries is not proven to extend the log of {first}.")
    return (f"the log of {second} entries (root {second_root.hex()}) extends the log of {first} "
            f"(root {first_root.hex()})")
