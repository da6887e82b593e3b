from __future__ import annotations

from django.db import models
from django.db.models import Q


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    LEASED = "leased", "Leased"
    DELIVERED = "delivered", "Delivered"
    RETRYING = "retrying", "Retrying"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"


# States a worker may take up (leased ones only once their lease has expired).
DUE_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)


class Delivery(models.Model):
    """The ledger: one row per (release version, recipient endpoint). The database is the queue."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="deliveries")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=10, help_text="publish, correct or withdraw")
    channel = models.CharField(max_length=10)
    recipient_key = models.CharField(
        max_length=40,
        help_text="c:<contact id>, e:<webhook endpoint id>, s:<SFTP endpoint id> or h:<hub subscription id>")
    contact = models.ForeignKey("mediadb.Contact", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="deliveries")
    endpoint = models.ForeignKey("subscriptions.WebhookEndpoint", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="deliveries")
    sftp_endpoint = models.ForeignKey("subscriptions.SftpEndpoint", null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="deliveries")
    hub_subscription = models.ForeignKey("distribution.HubSubscription", null=True, blank=True,
                                         on_delete=models.CASCADE, related_name="deliveries")
    # The country of the outlet behind the recipient when the row was staged (blank: none), so the report counts
    # by country from this table alone.
    country = models.CharField(max_length=2, blank=True, default="")
    language = models.CharField(max_length=20, help_text="The localization this recipient gets")
    state = models.CharField(max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    receiver_ref = models.CharField(max_length=200, blank=True, help_text="MTA queue id or HTTP status")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "version", "recipient_key"], name="one_delivery_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["channel", "state", "next_attempt_at"]),
            # Pre-positioned key rows, leased ahead of the plain copies due at the same second (ledger.lease). The
            # condition is a literal the lease query repeats, so SQLite can prove the query may use it.
            models.Index(fields=["channel", "state", "next_attempt_at"], condition=Q(action="key"),
                         name="delivery_key_due"),
            models.Index(fields=["release", "channel", "state"]),
            # The report's index: its grouped count of a release's rows and its hand-offs over time are read from
            # the index alone, and its failures are one range of it (state follows the release for that).
            models.Index(fields=["release", "state", "version", "action", "channel", "language", "country",
                                 "delivered_at"], name="delivery_report_covering"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.release_id} v{self.version} {self.channel} {self.recipient_key} {self.state}"


class DigestDelivery(models.Model):
    """The digests' ledger: one row per contact per digest period, leased, attempted and acknowledged like a
    `Delivery`. The unique period makes a digest impossible to schedule, and so to send, twice."""

    contact = models.ForeignKey("mediadb.Contact", on_delete=models.CASCADE, related_name="digests")
    cadence = models.CharField(max_length=10, help_text="daily or weekly")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField(help_text="The contact's local morning the digest is due at")
    language = models.CharField(max_length=20, blank=True, help_text="The language the digest was written in")
    state = models.CharField(max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    items = models.PositiveIntegerField(default=0, help_text="Releases the digest listed")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "cadence", "period_end"], name="one_digest_per_period"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.cadence} digest for contact {self.contact_id} at {self.period_end:%Y-%m-%d %H:%M} {self.state}"


class RenderedItem(models.Model):
    """A version rendered once per language and format before it is sent, so the fan-out only personalizes."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    format = models.CharField(max_length=20)
    language = models.CharField(max_length=20)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "version", "format", "language"], name="one_rendering"),
        ]

    def __str__(self) -> str:
        return f"{self.release_id} v{self.version} {self.format} [{self.language}]"


class HubMode(models.TextChoices):
    SUBSCRIBE = "subscribe", "Subscribe"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe"


class HubSubscription(models.Model):
    """A WebSub subscriber of the wire's own hub: a callback that gets one of the wire's feeds whenever it changes.

    It is active while its lease runs (`expires_at` in the future). A request to subscribe, renew or unsubscribe
    waits in the `pending_*` fields until the worker has verified the subscriber's intent; until then the
    subscription goes on as it was."""

    # sha256 of topic and callback: the two URLs may be too long for one unique index.
    key = models.CharField(max_length=64, unique=True)
    topic = models.CharField(max_length=2000, help_text="The feed's URL, as the feed names itself (rel=self)")
    callback = models.CharField(max_length=2000)
    # The feed's facets, so that staging finds the subscribers of a release in SQL; empty means any.
    language = models.CharField(max_length=20, blank=True)
    sector = models.CharField(max_length=80, blank=True)
    issuer = models.CharField(max_length=80, blank=True, help_text="The issuer's slug")
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=80, blank=True)
    secret = models.CharField(max_length=200, blank=True)
    lease_seconds = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty until the intent is first verified")
    pending_mode = models.CharField(max_length=12, choices=HubMode.choices, blank=True)
    pending_secret = models.CharField(max_length=200, blank=True)
    pending_lease_seconds = models.PositiveIntegerField(default=0)
    verify_after = models.DateTimeField(null=True, blank=True)
    verify_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["verify_after"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.callback} <- {self.topic}"


class HubNotified(models.Model):
    """One row: how far along the event log an external hub (WIREROOM_WEBSUB_HUB) has been told of changes."""

    through_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"external hub notified through #{self.through_seq}"


class WorkerHeartbeat(models.Model):
    """One row per running worker, touched every few seconds, so readiness checks can tell one is alive."""

    worker = models.CharField(max_length=120, primary_key=True, help_text="host:pid:random, as in lease_owner")
    beat_at = models.DateTimeField()
    clock = models.BooleanField(help_text="This worker runs the embargo clock")

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
