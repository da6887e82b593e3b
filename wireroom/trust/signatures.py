"""Issuers' signatures on releases: the canonical payload, and the checker the lifecycle calls (`releases.signing`).

The payload an issuer signs is the RFC 8785 canonical JSON of this object (docs/trust.md):

    {"profile": "wireroom-release/1", "release": <URN>, "language": <original language>,
     "headline": …, "summary": …, "body_html": …}

with the original localization's text as the wire stores it (its body already sanitized: read it back, then sign).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from django.utils import timezone

from wireroom.lib.errors import InvalidInput
from wireroom.releases.models import Release
from wireroom.releases.signing import SignedFields, signed_fields
from wireroom.trust.jose import canonical, detached_header, public_key_from_text, verify_detached
from wireroom.trust.models import IssuerKey, ReleaseSignature, SigningPolicy

PROFILE = "wireroom-release/1"
# The attribute `hold` sets on a release object held in memory (never saved: it is not a field).
HELD = "_wireroom_signature_verdict"


def payload(fields: SignedFields) -> bytes:
    return canonical({"profile": PROFILE, **asdict(fields)})


def digest(fields: SignedFields | None) -> str:
    return hashlib.sha256(payload(fields)).hexdigest() if fields is not None else ""


@dataclass(frozen=True)
class Verdict:
    """What `record` will store: a signature (key, JWS, the digest it covers), or none."""

    digest: str
    key: IssuerKey | None = None
    jws: str = ""


def requires_signatures(organization_id: int) -> bool:
    return SigningPolicy.objects.filter(organization_id=organization_id, require_signatures=True).exists()


def check(*, issuer_id: int, fields: SignedFields, jws: str) -> IssuerKey:
    """The issuer's live key that signed `fields`; refuses anything else with the reason."""
    kid = detached_header(jws)["kid"]
    key = IssuerKey.objects.filter(organization_id=issuer_id, kid=kid).first()
    if key is None:
        raise InvalidInput(f"The signature's key {kid} is not registered for this issuer.", details={"kid": kid})
    if key.revoked_at is not None:
        raise InvalidInput(f"The signature's key {kid} was revoked; sign with a current key.", details={"kid": kid})
    if not verify_detached(public_key_from_text(key.public_key), jws, payload(fields)):
        raise InvalidInput("The signature does not match the release's original text: sign the RFC 8785 form "
                           "of the fields as stored (see docs/trust.md).", details={"kid": kid})
    return key


def verify(*, release: Release, fields: SignedFields | None, signature: str | None, required: bool) -> Verdict:
    fingerprint = digest(fields)
    if signature:
        if fields is None:
            raise InvalidInput("There is nothing to sign yet: add the text in the original language first.")
        return Verdict(fingerprint, check(issuer_id=release.issuer_id, fields=fields, jws=signature), signature)
    stored = ReleaseSignature.objects.select_related("key").filter(release=release).first()
    if stored is not None and stored.payload_sha256 == fingerprint and stored.key.revoked_at is None:
        return Verdict(fingerprint, stored.key, stored.jws)
    if required and requires_signatures(release.issuer_id):
        raise InvalidInput("This issuer requires every release to be signed: send `signature`, a detached JWS "
                           "over the release's original text (see docs/trust.md).")
    return Verdict(fingerprint)


def record(*, release: Release, verdict: object) -> None:
    assert isinstance(verdict, Verdict)
    if verdict.key is None:
        ReleaseSignature.objects.filter(release=release).delete()
        return
    # A signature is kept only over the text it was checked against: another edit may have come in between.
    if digest(signed_fields(release)) != verdict.digest:
        raise InvalidInput("The release's original text changed while its signature was checked; try again.")
    ReleaseSignature.objects.update_or_create(release=release, defaults={
        "key": verdict.key, "jws": verdict.jws, "payload_sha256": verdict.digest, "verified_at": timezone.now()})


def hold(*, release: Release, verdict: object) -> None:
    assert isinstance(verdict, Verdict)
    setattr(release, HELD, verdict)


def held(release: Release) -> Verdict | None:
    verdict = getattr(release, HELD, None)
    return verdict if isinstance(verdict, Verdict) else None
