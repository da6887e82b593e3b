from __future__ import annotations

from django.conf import settings
from django.db import models


class GlossaryTerm(models.Model):
    """An issuer's term: in `language` it is written as `translation`, or left as it is when that is empty."""

    issuer = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="glossary")
    language = models.ForeignKey("taxonomy.Language", on_delete=models.CASCADE, related_name="+",
                                 help_text="The language the rule is for (the translation's language)")
    term = models.CharField(max_length=120, help_text="As written in the original, case and all")
    translation = models.CharField(max_length=120, blank=True, help_text="Empty means: do not translate")

    class Meta:
        ordering = ["issuer", "language", "term"]
        constraints = [models.UniqueConstraint(fields=["issuer", "language", "term"], name="one_rule_per_term")]

    def __str__(self) -> str:
        return f"{self.term} → {self.translation or '(kept)'} [{self.language_id}]"


class JobState(models.TextChoices):
    PENDING = "pending", "Waiting"
    LEASED = "leased", "Being translated"
    RETRYING = "retrying", "Waiting to try again"
    DONE = "done", "Draft ready"
    FAILED = "failed", "Failed"


DUE_STATES = (JobState.PENDING, JobState.RETRYING)


class TranslationJob(models.Model):
    """A request for a machine draft of a release in one language, done by a worker, never in a web request."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="translation_jobs")
    language = models.ForeignKey("taxonomy.Language", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_by = models.CharField(max_length=80, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    update_fields = models.JSONField(
        default=list, blank=True,
        help_text="An update after a correction: the original's fields to translate again (empty: a first draft)",
    )
    draft = models.JSONField(
        default=dict, blank=True,
        help_text="A corrected release's updated translation (machine or a translator's), waiting for the issuer",
    )

    class Meta:
        ordering = ["release", "language"]
        constraints = [models.UniqueConstraint(fields=["release", "language"], name="one_job_per_language")]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.language_id} ({self.state})"


class TranslatorLanguage(models.Model):
    """A language one of the wire's translators works into: their queue holds only these."""

    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="translates_into")
    language = models.ForeignKey("taxonomy.Language", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["membership", "language"]
        constraints = [models.UniqueConstraint(fields=["membership", "language"], name="one_assignment_per_language")]

    def __str__(self) -> str:
        return f"{self.membership} → {self.language_id}"


class Claim(models.Model):
    """A translator's hold on one language of one release, with their draft until they submit it: the draft is
    on the claim, not the localization, so nothing half-written can go out."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="translation_claims")
    language = models.ForeignKey("taxonomy.Language", on_delete=models.PROTECT, related_name="+")
    translator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    headline = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    claimed_at = models.DateTimeField()
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["release", "language"]
        constraints = [models.UniqueConstraint(fields=["release", "language"], name="one_claim_per_language")]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.language_id} ({self.translator_id})"
