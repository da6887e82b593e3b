"""The lifecycle's port to the issuers' signatures.

`releases` sits below `trust`, which holds the issuers' keys and checks their signatures, yet a signature is
checked where the release changes: when it is submitted and on every edit and correction. So the services
call the checker registered here, and `TrustConfig.ready()` registers `wireroom.trust.signatures`.

Two steps, so the check holds no lock: `verify` runs before the write transaction opens and may refuse the
change; `record` runs inside it, on the release as the change left it, and keeps what `verify` found only if
the signed fields are still the ones it checked. A correction renders its items before it writes, from the
release held in memory; `hold` lets those renderings show the signature `verify` found rather than the stored one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.releases.models import Localization, Release


@dataclass(frozen=True)
class SignedFields:
    """What an issuer signs: the release's URN and its original localization's text (see docs/trust.md)."""

    release: str
    language: str
    headline: str
    summary: str
    body_html: str


def signed_fields(release: Release) -> SignedFields | None:
    """The stored release's signed fields; None while it has no text in its original language."""
    original = Localization.objects.filter(release=release, language_id=release.original_language_id).first()
    if original is None:
        return None
    return SignedFields(release=release.urn, language=original.language_id, headline=original.headline,
                        summary=original.summary, body_html=original.body_html)


class SignatureChecker(Protocol):
    def verify(self, *, release: Release, fields: SignedFields | None, signature: str | None,
               required: bool) -> object:
        """Check `signature` (or the release's stored one when None) against `fields`, outside any transaction.

        Refuses (InvalidInput) a signature that does not verify, and, when `required` and the issuer requires
        signatures, a release left unsigned. The result is opaque to the lifecycle: it goes back to `record`.
        """

    def record(self, *, release: Release, verdict: object) -> None:
        """Store what `verify` found, inside the write transaction; refuses if the signed fields changed."""

    def hold(self, *, release: Release, verdict: object) -> None:
        """Have renderings of `release`, an object held in memory with the change applied but not yet written,
        show what `verify` found. Nothing is stored."""


_CHECKERS: list[SignatureChecker] = []


def register(checker: SignatureChecker) -> SignatureChecker:
    if _CHECKERS and _CHECKERS[0] is not checker:
        raise ValueError("a second signature checker is registered; releases are checked by exactly one")
    _CHECKERS[:] = [checker]
    return checker


def get_checker() -> SignatureChecker:
    if not _CHECKERS:
        # Without a checker an issuer's "signatures required" would silently not hold: refuse instead.
        raise ImproperlyConfigured("No signature checker is registered: is wireroom.trust installed?")
    return _CHECKERS[0]
