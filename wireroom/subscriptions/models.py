from __future__ import annotations

from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"
    SFTP = "sftp", "SFTP drop"
    STREAM = "stream", "Real-time stream"
    API = "api", "API polling"
    FEED = "feed", "Feed"


class Cadence(models.TextChoices):
    INSTANT = "instant", "Instantly"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class Subscription(models.Model):
    """Who wants what, by which channel. An empty filter means "everything" on that axis.

    The subscriber is a contact (e-mail) or an outlet (machine channels), never both.
    """

    contact = models.ForeignKey(
        "mediadb.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    outlet = models.ForeignKey(
        "mediadb.Outlet", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.INSTANT)
    sectors = models.ManyToManyField("taxonomy.Sector", blank=True, related_name="+")
    languages = models.ManyToManyField("taxonomy.Language", blank=True, related_name="+")
    countries = models.ManyToManyField("taxonomy.Country", blank=True, related_name="+")
    kinds = models.JSONField(default=list, blank=True, help_text="Release kinds; empty means all")
    issuers = models.ManyToManyField("accounts.Organization", blank=True, related_name="+")
    endpoint_url = models.URLField(blank=True, help_text="For webhook subscriptions")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(contact__isnull=False, outlet__isnull=True)
                           | Q(contact__isnull=True, outlet__isnull=False)),
                name="subscription_has_one_subscriber",
            ),
        ]
        indexes = [models.Index(fields=["channel", "active"])]

    def __str__(self) -> str:
        return f"{self.contact or self.outlet} by {self.channel} ({self.cadence})"
