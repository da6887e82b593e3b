from __future__ import annotations

from django.db import models


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` an organization sent with a create, kept for a day so a retry gets the same release.

    The release's id is chosen when the key is claimed, before the release is written; the create then uses it.
    So "the release exists" is exactly "the request that claimed the key has committed", with nothing else to
    update in the same transaction.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request the key was first sent with")
    release_id = models.UUIDField(help_text="The release the request creates (or created)")
    removed_html = models.JSONField(default=dict, blank=True, help_text="What the sanitizer removed, for replays")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="one_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.key}"
