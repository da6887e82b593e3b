from __future__ import annotations

from django.conf import settings
from django.db import models


class Claim(models.Model):
    """An editor has taken a submission in the review queue, so the others leave it to them. At most one per
    release; it goes when the review ends (approved, changes requested) or its editor lets it go."""

    release = models.OneToOneField("releases.Release", on_delete=models.CASCADE, related_name="desk_claim")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.release_id} claimed by {self.editor_id}"
