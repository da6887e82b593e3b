"""Reads of keys and signatures, for the API, the formats and the newsroom."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from wireroom.accounts.models import Organization
from wireroom.releases.models import Release
from wireroom.releases.signing import SignedFields
from wireroom.trust.models import IssuerKey, ReleaseSignature, SigningPolicy
from wireroom.trust.signatures import digest, payload


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
    stored = ReleaseSignature.objects.select_related("key").filter(release=release).first()
    if stored is None or fields is None or stored.payload_sha256 != digest(fields):
        return unsigned
    return SignatureState(issuer=release.issuer.name, kid=stored.key.kid, jws=stored.jws, jwk=stored.key.jwk,
                          key_revoked=stored.key.revoked_at is not None, payload=unsigned.payload)
