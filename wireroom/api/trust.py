"""Issuers' signing keys and policy, and a release's issuer signature (docs/trust.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from wireroom.accounts.models import Organization
from wireroom.api.auth import READ_AUTH, actor, reader
from wireroom.api.schemas import ErrorOut
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.lib.text import refuse_control_characters
from wireroom.releases.selectors import release_for, release_readable
from wireroom.trust import receipts, selectors, services
from wireroom.trust.models import IssuerKey
from wireroom.trust.signatures import PROFILE

router = Router(tags=["trust"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 413, 422}): ErrorOut}


class KeyIn(Schema):
    public_key: str = Field(..., max_length=2000, description="Ed25519 public key: PEM, a public JWK (JSON) or "
                            "the 32 raw bytes in base64url")
    label: str = Field("", max_length=120)


class KeyOut(Schema):
    kid: str = Field(..., description="The key's JWK thumbprint (RFC 7638), the `kid` its signatures name")
    label: str
    jwk: dict[str, str]
    created_at: Any
    revoked_at: Any = None


class PolicyIn(Schema):
    require_signatures: bool


class PolicyOut(Schema):
    require_signatures: bool


class SignatureOut(Schema):
    state: str = Field(..., description="`signed` or `unsigned`")
    issuer: str
    kid: str | None = None
    key_revoked: bool = False
    jwk: dict[str, str] | None = None
    jws: str | None = None
    profile: str = PROFILE
    payload: str | None = Field(None, description="The exact bytes signed (RFC 8785 JSON), as UTF-8 text")


def _organization(request: HttpRequest, slug: str) -> Organization:
    organization = selectors.issuing_organization(slug=slug)
    if organization is None:
        raise NotFound("No such organization.")
    services.require_key_admin(actor(request), organization)
    return organization


def _key_out(key: IssuerKey) -> dict[str, Any]:
    return {"kid": key.kid, "label": key.label, "jwk": key.jwk, "created_at": key.created_at,
            "revoked_at": key.revoked_at}


@router.get("/organizations/{slug}/signing-keys", response={200: list[KeyOut], **ERRORS},
            summary="An issuer's signing keys, current and revoked")
def list_keys(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    organization = _organization(request, slug)
    return [_key_out(key) for key in selectors.issuer_keys(organization=organization)]


@router.post("/organizations/{slug}/signing-keys", response={201: KeyOut, **ERRORS},
             summary="Register an Ed25519 signing key (issuer admins, editors)")
def register_key(request: HttpRequest, slug: str, payload: KeyIn) -> Status[dict[str, Any]]:
    refuse_control_characters([("label", payload.label, False)])
    key = services.issuer_key_register(by=actor(request), organization=_organization(request, slug),
                                       public_key=payload.public_key, label=payload.label)
    return Status(201, _key_out(key))


@router.post("/organizations/{slug}/signing-keys/{kid}/revoke", response={200: KeyOut, **ERRORS},
             summary="Revoke a signing key (issuer admins, editors)")
def revoke_key(request: HttpRequest, slug: str, kid: str) -> dict[str, Any]:
    organization = _organization(request, slug)
    key = selectors.issuer_keys(organization=organization).filter(kid=kid).first()
    if key is None:
        raise NotFound("No such key.")
    return _key_out(services.issuer_key_revoke(by=actor(request), key=key))


@router.put("/organizations/{slug}/signing-policy", response={200: PolicyOut, **ERRORS},
            summary="Require a signature on every release the issuer submits (issuer admins, editors)")
def set_policy(request: HttpRequest, slug: str, payload: PolicyIn) -> dict[str, Any]:
    policy = services.signing_policy_set(by=actor(request), organization=_organization(request, slug),
                                         require_signatures=payload.require_signatures)
    return {"require_signatures": policy.require_signatures}


@router.get("/releases/{release_id}/signature", response={200: SignatureOut, **ERRORS}, auth=READ_AUTH,
            summary="The issuer's signature on a release, with the key and the exact bytes it signs")
def release_signature(request: HttpRequest, release_id: str) -> dict[str, Any]:
    release = release_readable(actor=reader(request), release_id=release_id)
    state = selectors.release_signature(release=release)
    return {
        "state": "signed" if state.signed else "unsigned", "issuer": state.issuer, "kid": state.kid or None,
        "key_revoked": state.key_revoked, "jwk": state.jwk, "jws": state.jws or None,
        "payload": state.payload or None,
    }


class TreeHeadOut(Schema):
    profile: str = Field(..., description="`wireroom-tree-head/1`")
    tree_size: int = Field(..., description="Entries in the delivery log")
    root_hash: str = Field(..., description="The Merkle tree's root (RFC 9162 MTH), hex")
    timestamp: int = Field(..., description="When it was signed, milliseconds since the epoch")
    jws: str = Field(..., description="The wire's detached JWS over the RFC 8785 form of the other four members")


class ReceiptOut(Schema):
    index: int = Field(..., description="The entry's place in the log")
    leaf: str = Field(..., description="The entry exactly as hashed: RFC 8785 JSON")
    inclusion_proof: list[str] = Field(..., description="The audit path (RFC 9162 PATH), base64url hashes")


class ReceiptsOut(Schema):
    tree_head: TreeHeadOut
    receipts: list[ReceiptOut]


class ConsistencyQuery(Schema):
    first: int = Field(..., ge=0, description="The size of the earlier tree head")
    second: int = Field(..., ge=0, description="The size of the later tree head")


class ConsistencyOut(Schema):
    first: TreeHeadOut
    second: TreeHeadOut
    consistency_proof: list[str] = Field(..., description="RFC 9162 PROOF(first, D[second]), base64url hashes")


@router.get("/releases/{release_id}/receipts", response={200: ReceiptsOut, **ERRORS},
            summary="The delivery log's receipts of a release, with inclusion proofs (its issuer, editors)",
            description="Every final delivery outcome of the release, each with its audit path to a signed tree "
                        "head that covers them all. Check offline with `wireroom verify-receipts`.")
def release_receipts(request: HttpRequest, release_id: str) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    return services.release_receipts_download(release_id=release.pk)


@router.get("/receipts/tree-head", response={200: TreeHeadOut, **ERRORS}, auth=None,
            summary="The delivery log's latest signed tree head (public)")
def tree_head(request: HttpRequest) -> dict[str, Any]:
    return receipts.head_document(services.tree_head_publish(max_age=settings.RECEIPTS_TREE_HEAD_SECONDS))


@router.get("/receipts/consistency", response={200: ConsistencyOut, **ERRORS}, auth=None,
            summary="Proof that the log was only appended to between two signed tree heads (public)")
def consistency(request: HttpRequest, query: Query[ConsistencyQuery]) -> dict[str, Any]:
    if query.first > query.second:
        raise InvalidInput("`first` must not be larger than `second`: a log only grows.")
    first, second = selectors.tree_head(size=query.first), selectors.tree_head(size=query.second)
    if first is None or second is None:
        raise NotFound("No tree head of that size was signed; ask for the sizes of heads you hold.")
    return selectors.consistency(first=first, second=second)
