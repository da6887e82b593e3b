from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    PRESS_RELEASE = "press_release", "Press release"
    THIRD_PARTY_ARTICLE = "third_party_article", "Third-party article"
    MEDIA_ADVISORY = "media_advisory", "Media advisory"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# States in which the public may see a release (once its embargo has passed).
PUBLIC_STATES = frozenset({State.PUBLISHED, State.CORRECTED})


class Release(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESS_RELEASE)
    issuer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="releases")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    original_language = models.ForeignKey("taxonomy.Language", on_delete=models.PROTECT, related_name="+")
    sectors = models.ManyToManyField("taxonomy.Sector", related_name="releases", blank=True)
    countries = models.ManyToManyField("taxonomy.Country", related_name="releases", blank=True)
    regions = models.ManyToManyField("taxonomy.Region", related_name="releases", blank=True)
    languages = models.ManyToManyField(
        "taxonomy.Language", related_name="targeted_by", blank=True,
        help_text="Languages the release is distributed in",
    )
    embargo_at = models.DateTimeField(null=True, blank=True, help_text="UTC, to the second")
    dateline = models.CharField(max_length=120, blank=True, help_text="Place the release is datelined from")
    contacts = models.JSONField(default=list, blank=True, help_text="Media contacts: name, email, phone")
    version = models.PositiveIntegerField(default=0, help_text="Number of the latest distributed version")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="The editor's latest note to the issuer")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["state", "published_at"]), models.Index(fields=["state", "embargo_at"])]

    def __str__(self) -> str:
        return f"{self.urn} ({self.state})"

    @property
    def urn(self) -> str:
        return f"urn:{settings.URN_NAMESPACE}:release:{self.id}"


class Origin(models.TextChoices):
    AUTHOR = "author", "Written by the issuer"
    MACHINE = "machine", "Machine translation"
    HUMAN = "human", "Human translation"


class ReviewState(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    REVIEWED = "reviewed", "Reviewed"


class Acceptance(models.TextChoices):
    """The issuer's word on a machine draft Wireroom made; a text the issuer supplied needs none."""

    SUPPLIED = "", "Supplied by the issuer"
    PENDING = "pending", "Waiting for the issuer"
    ACCEPTED = "accepted", "Accepted by the issuer"
    UNREVIEWED = "unreviewed", "Machine translation, unreviewed"


class TranslationUpdate(models.TextChoices):
    """Where a translation stands after a correction changed its original."""

    CURRENT = "", "Current"
    PENDING = "pending", "Translation pending update"  # the original was corrected; the update follows
    UPDATED = "updated", "Translation updated"  # this version carries the update that followed a correction


class Localization(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="localizations")
    language = models.ForeignKey("taxonomy.Language", on_delete=models.PROTECT, related_name="+")
    headline = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body_html = models.TextField(help_text="Sanitized HTML")
    translated_from = models.ForeignKey(
        "taxonomy.Language", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.AUTHOR)
    engine = models.CharField(max_length=60, blank=True, help_text="Machine translation engine")
    translator = models.CharField(max_length=120, blank=True, help_text="Human translator")
    engine_chain = models.JSONField(
        default=list, blank=True,
        help_text="Machine translation: each hop's engine, version, source and target, in order",
    )
    issuer_acceptance = models.CharField(
        max_length=10, choices=Acceptance.choices, default=Acceptance.SUPPLIED, blank=True,
        help_text="A machine draft goes out only once its issuer accepts it, or allows it out unreviewed",
    )
    checks = models.JSONField(
        default=dict, blank=True, help_text="Findings of the language and quality checks, for the reviewer",
    )
    review_state = models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.UNREVIEWED)
    translation_update = models.CharField(
        max_length=8, choices=TranslationUpdate.choices, default=TranslationUpdate.CURRENT, blank=True,
        help_text="A translation whose original a correction changed: pending until its update goes out",
    )
    update_since = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version whose correction of the original left this translation behind",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "language"], name="one_localization_per_language")]

    def __str__(self) -> str:
        return f"{self.release_id} [{self.language_id}] {self.headline}"


class Action(models.TextChoices):
    PUBLISH = "publish", "Published"
    CORRECT = "correct", "Corrected"
    WITHDRAW = "withdraw", "Withdrawn"


class EventAction(models.TextChoices):
    """What an event of the log says: a version went out (`Action`), or encrypted pre-positioning's steps for the
    stream's clients that opted in (docs/trust.md): a scheduled version sealed, its key released at the embargo
    second, or its schedule dropped (the key never comes)."""

    PUBLISH = "publish", "Published"
    CORRECT = "correct", "Corrected"
    WITHDRAW = "withdraw", "Withdrawn"
    ENVELOPE = "envelope", "Sealed ahead of its embargo"
    KEY = "key", "Key released"
    KILL = "kill", "Sealed copy killed"


# Events only the stream's clients that opted in to pre-positioning read.
PREPOSITIONING_EVENTS = (EventAction.ENVELOPE, EventAction.KEY, EventAction.KILL)


class ReleaseVersion(models.Model):
    """A distributed version: what went out, frozen. Every publish, correction or withdrawal adds one."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    note = models.TextField(blank=True)
    snapshot = models.JSONField(help_text="The release and its localizations as distributed")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["release", "number"]
        constraints = [models.UniqueConstraint(fields=["release", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.release_id} v{self.number} {self.action}"


# Appends to the event log are serialized on PostgreSQL by this transaction-level advisory lock, and announced
# on this channel (NOTIFY, delivered at commit); see `_add_version`.
EVENT_LOG_LOCK = 0x57524556  # "WREV"
EVENT_CHANNEL = "wireroom_events"


class WireEvent(models.Model):
    """The append-only event log: every published, corrected and withdrawn version, in one global sequence.

    The stream reads it through `events_after`; `seq` is the resume point (`Last-Event-ID`). Events become
    visible in `seq` order on both databases, so "everything after N" never skips one that commits later.
    """

    seq = models.BigAutoField(primary_key=True)
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=EventAction.choices)
    # Pre-positioning's events: the content key they are about (its public id), so a replay finds its payload.
    key_id = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.release_id} v{self.version}"


class PrunedEvents(models.Model):
    """One row: the highest `seq` pruned from the event log, so a reader resuming below it learns it missed some."""

    through_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"event log pruned through #{self.through_seq}"


class Submission(models.Model):
    """A release as it was submitted for review, with the checks made then: what the desk diffs against (the
    previous submission) and shows beside it. Every submit adds one."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField(help_text="The release and its localizations as submitted")
    checks = models.JSONField(default=dict, blank=True, help_text="What the desk is shown beside the submission")
    note = models.TextField(blank=True, help_text="The editor's change request this submission answers")
    reply = models.TextField(blank=True, help_text="The issuer's answer to that change request")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["release", "number"]
        constraints = [models.UniqueConstraint(fields=["release", "number"], name="one_submission_number")]

    def __str__(self) -> str:
        return f"{self.release_id} submission {self.number}"
