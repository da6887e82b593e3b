from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from wireroom.brand.models import Wording

# A process keeps a language's wording this long at most; the process that saves it drops its copy at once.
CACHE_SECONDS = 60


def cache_key(language: str) -> str:
    return f"brand-wording:{language}"


@dataclass(frozen=True)
class Brand:
    """The brand of one language with the settings filled in. A template left empty ("") means the catalog's
    wording, which the renderer supplies."""

    language: str
    wire_name: str
    wire_url: str
    sender: str
    sectors_line: str = ""
    sector_labels: dict[str, str] = field(default_factory=dict)
    disclaimers: dict[str, str] = field(default_factory=dict)  # release kind → template
    boilerplate: str = ""


def _from_row(language: str, row: Wording | None) -> Brand:
    if row is None:
        return Brand(language=language, wire_name=settings.WIRE_NAME, wire_url=settings.BASE_URL,
                     sender=settings.MAIL_FROM)
    disclaimers = {kind: text for kind, text in (("press_release", row.disclaimer_press_release),
                                                 ("media_advisory", row.disclaimer_media_advisory),
                                                 ("third_party_article", row.disclaimer_third_party_article))
                   if text}
    return Brand(language=language, wire_name=row.wire_name or settings.WIRE_NAME,
                 wire_url=row.wire_url or settings.BASE_URL, sender=row.sender or settings.MAIL_FROM,
                 sectors_line=row.sectors_line, sector_labels=dict(row.sector_labels or {}),
                 disclaimers=disclaimers, boilerplate=row.boilerplate)


def brand(*, language: str) -> Brand:
    """The brand and wording of `language` (a BCP 47 tag), from the cache or the database."""
    key = cache_key(language)
    cached = cache.get(key)
    if isinstance(cached, Brand):
        return cached
    found = _from_row(language, Wording.objects.filter(language_id=language).first())
    cache.set(key, found, CACHE_SECONDS)
    return found


def brand_changed_at() -> dt.datetime | None:
    """When any language's wording last changed: part of the validators of pages that hold it (the feeds)."""
    latest: dt.datetime | None = Wording.objects.aggregate(latest=Max("updated_at"))["latest"]
    return latest


def wording_of(*, language: str) -> Wording | None:
    """The stored row of `language`, for the console's form (never cached)."""
    return Wording.objects.filter(language_id=language).first()
