from __future__ import annotations

from django.db import models

from wireroom.taxonomy.models import Language


class Wording(models.Model):
    """The brand and wording of one language; an empty field means the default (settings, catalog, taxonomy)."""

    language = models.OneToOneField(Language, on_delete=models.CASCADE, primary_key=True, related_name="wording")
    wire_name = models.CharField(max_length=100, blank=True)
    wire_url = models.URLField(max_length=200, blank=True)
    sender = models.EmailField(max_length=254, blank=True, help_text="The From address of the wire's e-mail")
    sectors_line = models.CharField(max_length=200, blank=True, help_text="Template with {sectors}")
    sector_labels = models.JSONField(default=dict, blank=True, help_text="Sector slug to label, in place of "
                                                                         "the taxonomy's label")
    disclaimer_press_release = models.TextField(blank=True)
    disclaimer_media_advisory = models.TextField(blank=True)
    disclaimer_third_party_article = models.TextField(blank=True)
    boilerplate = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language__position"]

    def __str__(self) -> str:
        return f"wording in {self.language_id}"
