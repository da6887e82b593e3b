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


class StreamChannel(models.Model):
    """A GRIP channel of the stream behind Pushpin: one per format and set of filters that some client asked for.

    `last_id` is the `seq` of the last item published on it (the `prev-id` of the next, and the one a new
    subscriber holds with); `scanned` is how far the publisher has read the event log for it.
    """

    name = models.CharField(max_length=64, primary_key=True)
    format = models.CharField(max_length=40)
    filters = models.JSONField(default=dict, help_text="Filter name to the values any of which an event must have")
    last_id = models.BigIntegerField()
    scanned = models.BigIntegerField()
    seen_at = models.DateTimeField(help_text="When a client last asked for it")

    def __str__(self) -> str:
        return self.name
