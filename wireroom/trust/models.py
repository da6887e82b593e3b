from __future__ import annotations

from django.conf import settings
from django.db import models


class IssuerKey(models.Model):
    """An Ed25519 public key an issuing organization signs its releases with.

    Rotation is registering a new key and revoking the old one; a revoked key verifies no new signature, and
    the releases it signed show it as revoked. Keys are never deleted, so old signatures keep their key.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="signing_keys")
    label = models.CharField(max_length=120, blank=True)
    public_key = models.CharField(max_length=43, help_text="The raw 32-byte Ed25519 key, base64url without padding")
    kid = models.CharField(max_length=43, unique=True, help_text="The key's JWK thumbprint (RFC 7638, SHA-256)")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "-created_at"]

    def __str__(self) -> str:
        return f"{self.organization} {self.kid}"

    @property
    def jwk(self) -> dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "x": self.public_key, "kid": self.kid}


class SigningPolicy(models.Model):
    """An issuer's choice to have every release it submits signed."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.CASCADE, primary_key=True,
                                        related_name="signing_policy")
    require_signatures = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organization}: signatures {'required' if self.require_signatures else 'optional'}"


class ReleaseSignature(models.Model):
    """The issuer's valid signature over a release's signed fields as they stand; absent: unsigned."""

    release = models.OneToOneField("releases.Release", on_delete=models.CASCADE, primary_key=True,
                                   related_name="issuer_signature")
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="signatures")
    jws = models.TextField(help_text="Compact JWS, detached unencoded payload (RFC 7515, RFC 7797)")
    payload_sha256 = models.CharField(max_length=64, help_text="Of the canonical payload it signs (RFC 8785)")
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.release_id} signed with {self.key.kid}"


class LogEntry(models.Model):
    """One leaf of the delivery log (docs/trust.md#receipts): a delivery outcome, appended, never changed.

    `leaf` is the RFC 8785 JSON the Merkle tree hashes; the release is a plain id, not a key, so that nothing
    deleted elsewhere can take a leaf out of the log."""

    index = models.BigIntegerField(primary_key=True)
    release_id = models.UUIDField(db_index=True)
    leaf = models.TextField()
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name_plural = "log entries"

    def __str__(self) -> str:
        return f"#{self.index} {self.release_id}"


class TreeHead(models.Model):
    """A signed tree head: the log's size and root at a moment, signed with the wire's key."""

    size = models.BigIntegerField()
    root_hash = models.CharField(max_length=64, help_text="Hex")
    timestamp = models.BigIntegerField(help_text="Milliseconds since the epoch")
    jws = models.TextField(help_text="The wire's detached JWS over the head's RFC 8785 payload")

    class Meta:
        indexes = [models.Index(fields=["size"]), models.Index(fields=["timestamp"])]

    def __str__(self) -> str:
        return f"tree head {self.size} {self.root_hash[:12]}"


class ContentKey(models.Model):
    """The AES-256-GCM key a scheduled version is pre-positioned under (docs/trust.md).

    Made when the version is scheduled, released at its embargo second, deleted if the schedule is dropped, so an
    envelope sent before the embargo becomes readable at the embargo and never otherwise. Never rendered, logged
    or put in the ledger before `released_at`.
    """

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    key = models.BinaryField(max_length=32)
    embargo_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "version"], name="one_content_key_per_version")]

    def __str__(self) -> str:
        state = "released" if self.released_at else "held"
        return f"{self.release_id} v{self.version} ({state})"
