from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language


class Direction(models.TextChoices):
    LTR = "ltr", "Left to right"
    RTL = "rtl", "Right to left"


class Language(models.Model):
    """A language the wire can carry. `code` is a BCP 47 tag (`zh-Hans`, `pt`)."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=60, help_text="English name")
    native_name = models.CharField(max_length=60)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.LTR)
    first_class = models.BooleanField(default=False, help_text="Distributed with a full localized anatomy")
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def django_code(self) -> str:
        return self.code.lower()


class Country(models.Model):
    """An ISO 3166-1 country, loaded from pycountry."""

    code = models.CharField(max_length=2, primary_key=True, help_text="ISO 3166-1 alpha-2")
    alpha3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A named group of countries a release can target (a continent, or a market such as ASEAN)."""

    slug = models.SlugField(max_length=40, primary_key=True)
    name = models.CharField(max_length=80)
    countries: models.ManyToManyField[Country, Any] = models.ManyToManyField(Country, related_name="regions")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """One of the wire's own sectors, mapped to an IPTC Media Topic and labelled in every language."""

    slug = models.SlugField(max_length=40, primary_key=True)
    iptc_code = models.CharField(
        max_length=20, blank=True,
        help_text="IPTC Media Topic, e.g. medtop:20000256; empty for an editorial slot that is no subject")
    labels = models.JSONField(default=dict, help_text="BCP 47 tag to label")
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        tag = language or tag_for_django_code(get_language() or "en")
        return self.labels.get(tag) or self.labels.get("en") or self.slug

    @property
    def iptc_uri(self) -> str:
        """The Media Topic's URI, or "" for a sector mapped to none."""
        if not self.iptc_code:
            return ""
        return "http://cv.iptc.org/newscodes/mediatopic/" + self.iptc_code.removeprefix("medtop:")


def tag_for_django_code(code: str) -> str:
    """`zh-hans` (Django's spelling) to `zh-Hans` (BCP 47's)."""
    head, _, tail = code.partition("-")
    if not tail:
        return head
    return f"{head}-{tail.title() if len(tail) == 4 else tail.upper()}"
