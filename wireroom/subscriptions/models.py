from __future__ import annotations

import datetime as dt

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
    PAUSED = "paused", "Paused"  # kept subscribed, sent nothing until the contact picks another cadence


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
    # Stored as ",press_release,media_advisory," so one portable LIKE matches a kind on SQLite and PostgreSQL.
    kinds = models.CharField(max_length=100, blank=True, help_text="Release kinds; empty means all")
    issuers = models.ManyToManyField("accounts.Organization", blank=True, related_name="+")
    endpoint = models.ForeignKey(
        "WebhookEndpoint", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions",
        help_text="For webhook subscriptions",
    )
    sftp_endpoint = models.ForeignKey(
        "SftpEndpoint", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions",
        help_text="For SFTP subscriptions",
    )
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
        indexes = [
            models.Index(fields=["channel", "active"]),
            # Targeting asks, for each contact or endpoint, whether one of its subscriptions by that channel matches.
            # With only single-column indexes SQLite's planner took (channel, active) and read every webhook
            # subscription once per endpoint: staging 15,000 outlets took 38 s, 30,000 took 149 s
            # (docs/benchmarks.md). Two equal columns make these the plain choice.
            models.Index(fields=["contact", "channel"]),
            models.Index(fields=["endpoint", "channel"]),
            models.Index(fields=["sftp_endpoint", "channel"]),
        ]

    def __str__(self) -> str:
        return f"{self.contact or self.outlet} by {self.channel} ({self.cadence})"


class WebhookEndpoint(models.Model):
    """Where an outlet or terminal partner takes releases by signed webhook (Standard Webhooks)."""

    outlet = models.ForeignKey("mediadb.Outlet", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    secrets = models.JSONField(
        default=list, help_text="Signing secrets (whsec_…), the newest last; every live one signs, so secrets can be "
        "rotated"
    )
    secrets_retire_at = models.DateTimeField(
        null=True, blank=True, help_text="The end of a rotation's grace period: from then on only the newest "
                                         "secret signs")
    max_concurrency = models.PositiveSmallIntegerField(default=4)
    format = models.CharField(
        max_length=20, default="ninjs", help_text="The format of the items it receives, by its name in the formats "
        "registry (ninjs, ninjs-2.2, newsml-g2, nitf)")
    prepositioned = models.BooleanField(
        default=False, help_text="Gets a scheduled release encrypted when it is scheduled, and its key at the "
        "embargo second (docs/trust.md)")
    active = models.BooleanField(default=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    last_test_at = models.DateTimeField(null=True, blank=True)
    last_test_result = models.CharField(max_length=300, blank=True, help_text="What the last test event got back")
    last_test_ok = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url

    def live_secrets(self, *, now: dt.datetime) -> list[str]:
        return live_secrets(secrets=self.secrets, retire_at=self.secrets_retire_at, now=now)


def live_secrets(*, secrets: object, retire_at: dt.datetime | None, now: dt.datetime) -> list[str]:
    """The secrets that sign now: all of them during a rotation's grace period, as Standard Webhooks describes
    (the receiver may still hold the old one), then only the newest."""
    if not isinstance(secrets, list):
        return []
    if retire_at is not None and retire_at <= now:
        return [str(secret) for secret in secrets[-1:]]
    return [str(secret) for secret in secrets]


class SftpEndpoint(models.Model):
    """Where a terminal partner takes releases as files on its own SFTP server (see docs/channels-sftp.md)."""

    outlet = models.ForeignKey("mediadb.Outlet", on_delete=models.CASCADE, related_name="sftp_endpoints")
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=22)
    username = models.CharField(max_length=100)
    directory = models.CharField(max_length=300, blank=True, help_text="Where files are dropped; empty: the login "
                                 "directory")
    host_key = models.TextField(help_text="The server's public host key (OpenSSH format), pinned when the endpoint "
                                "was registered and checked on every connection")
    format = models.CharField(max_length=20, default="ninjs", help_text="The format of the files, by its name in "
                              "the formats registry")
    max_concurrency = models.PositiveSmallIntegerField(default=2)
    prepositioned = models.BooleanField(
        default=False, help_text="Gets a scheduled release as a sealed file when it is scheduled, and a key file at "
        "the embargo second (docs/trust.md)")
    active = models.BooleanField(default=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sftp://{self.username}@{self.host}:{self.port}/{self.directory}"


class Signup(models.Model):
    """A journalist's request through the public sign-up page, waiting for the click in the confirmation message.

    Nothing is sent to the address but that message until it is confirmed; the choices and the consent wording
    are kept as the person saw them, and become the contact's on confirmation.
    """

    email = models.EmailField()
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=35)
    sectors = models.JSONField(default=list)
    languages = models.JSONField(default=list)
    countries = models.JSONField(default=list)
    regions = models.JSONField(default=list)
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.INSTANT)
    wording = models.TextField()
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    contact = models.ForeignKey("mediadb.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="signups")

    class Meta:
        indexes = [models.Index(fields=["email", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({'confirmed' if self.confirmed_at else 'pending'})"
