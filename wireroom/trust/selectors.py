"""Reads of keys and signatures, for the API, the formats and the newsroom, and of the delivery log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet

from wireroom.accounts.models import Organization
from wireroom.releases.models import Release
from wireroom.releases.signing import SignedFields
from wireroom.trust import receipts
from wireroom.trust.merkle import Tree
from wireroom.trust.models import ContentKey, IssuerKey, LogEntry, ReleaseSignature, SigningPolicy, TreeHead
from wireroom.trust.signatures import digest, held, payload


@dataclass(frozen=True)
class SignatureState:
    """What the wire says about a release's issuer signature. `jws` empty: unsigned."""

    issuer: str
    kid: str = ""
    jws: str = ""
    jwk: dict[str, str] | None = None
    key_revoked: bool = False
    payload: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.jws)

    @property
    def label(self) -> str:
        """The words every format and the desk use (English; the newsroom translates its own)."""
        if not self.signed:
            return "unsigned"
        return f"signed by {self.issuer}, key {self.kid}" + (" (revoked since)" if self.key_revoked else "")


def issuing_organization(*, slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first()


def issuer_keys(*, organization: Organization) -> QuerySet[IssuerKey]:
    return IssuerKey.objects.filter(organization=organization).order_by("-created_at")


def signatures_required(*, organization: Organization) -> bool:
    return SigningPolicy.objects.filter(organization=organization, require_signatures=True).exists()


def _fields_in_memory(release: Release) -> SignedFields | None:
    """The signed fields of `release` as held (a correction renders its version before writing it)."""
    original = next((loc for loc in release.localizations.all()
                     if loc.language_id == release.original_language_id), None)
    if original is None:
        return None
    return SignedFields(release=release.urn, language=original.language_id, headline=original.headline,
                        summary=original.summary, body_html=original.body_html)


def release_signature(*, release: Release) -> SignatureState:
    """The stored signature, if it covers the release's original text as `release` holds it: an item never shows
    a signature over other text than its own."""
    fields = _fields_in_memory(release)
    unsigned = SignatureState(issuer=release.issuer.name, payload=payload(fields).decode() if fields else "")
    pending = held(release)
    if pending is not None:
        # A correction's renderings, made before its write: the signature checked for it, not the stored one.
        if pending.key is None or fields is None or pending.digest != digest(fields):
            return unsigned
        return SignatureState(issuer=release.issuer.name, kid=pending.key.kid, jws=pending.jws, jwk=pending.key.jwk,
                              key_revoked=pending.key.revoked_at is not None, payload=unsigned.payload)
    stored = ReleaseSignature.objects.select_related("key").filter(release=release).first()
    if stored is None or fields is None or stored.payload_sha256 != digest(fields):
        return unsigned
    return SignatureState(issuer=release.issuer.name, kid=stored.key.kid, jws=stored.jws, jwk=stored.key.jwk,
                          key_revoked=stored.key.revoked_at is not None, payload=unsigned.payload)


def log_size() -> int:
    top = LogEntry.objects.aggregate(top=Max("index"))["top"]
    return 0 if top is None else int(top) + 1


def log_tree(*, size: int) -> Tree:
    """The Merkle tree of the log's first `size` leaves."""
    hashes = LogEntry.objects.filter(index__lt=size).order_by("index").values_list("leaf_hash", flat=True)
    return Tree([bytes(h) for h in hashes.iterator(chunk_size=20_000)])


def tree_head(*, size: int) -> TreeHead | None:
    """The latest signed head of the log at `size` leaves, if one was signed."""
    return TreeHead.objects.filter(size=size).order_by("-timestamp").first()


def release_receipts(*, release_id: uuid.UUID, head: TreeHead) -> dict[str, Any]:
    """Every leaf of a release in the tree `head` signs, each with its audit path: checkable offline."""
    entries = list(LogEntry.objects.filter(release_id=release_id, index__lt=head.size).order_by("index")
                   .values_list("index", "leaf"))
    tree = log_tree(size=head.size) if entries else Tree([])
    return {
        "tree_head": receipts.head_document(head),
        "receipts": [{"index": index, "leaf": leaf,
                      "inclusion_proof": [h.hex() for h in tree.inclusion(index, head.size)]}
                     for index, leaf in entries],
    }


def consistency(*, first: TreeHead, second: TreeHead) -> dict[str, Any]:
    """The proof that the log signed by `second` extends the one signed by `first` (RFC 9162, 2.1.4)."""
    tree = log_tree(size=second.size)
    return {"first": receipts.head_document(first), "second": receipts.head_document(second),
            "consistency_proof": [h.hex() for h in tree.consistency(first.size, second.size)]}


def release_log_end(*, release_id: uuid.UUID) -> int:
    """One past the last log index of the release's entries (0 when it has none)."""
    top = LogEntry.objects.filter(release_id=release_id).aggregate(top=Max("index"))["top"]
    return 0 if top is None else int(top) + 1


def released_content_key(*, release_id: uuid.UUID, version: int) -> ContentKey | None:
    """A pre-positioned version's key once the embargo clock has released it; None before, when it never had one,
    and for ever after its schedule was dropped (the key is deleted then)."""
    return ContentKey.objects.filter(release_id=release_id, version=version, released_at__isnull=False).first()
