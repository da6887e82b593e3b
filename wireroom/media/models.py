from __future__ import annotations

import uuid

from django.db import models

from wireroom.accounts.models import Organization
from wireroom.releases.models import Release


class StoredImage(models.Model):
    """An uploaded image as the wire keeps it: re-encoded without its metadata, with renditions in a folder of
    the data directory named by `key`. The files never change; a new upload is a new key."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The upload's format, kept for the renditions beside WebP: jpeg, png or webp.
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # [{"name": "800.webp", "width": 800, "height": 533, "type": "image/webp"}, …], narrowest first.
    renditions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ReleaseImage(StoredImage):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="images")
    # Alternative text by language tag; the release's original language is always there.
    alt = models.JSONField(default=dict)
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.key} ({self.release_id})"

    def alt_in(self, language: str, fallback: str) -> str:
        return self.alt.get(language) or self.alt.get(fallback) or next(iter(self.alt.values()), "")


class OrganizationLogo(StoredImage):
    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="logo")

    def __str__(self) -> str:
        return f"{self.key} ({self.organization_id})"
