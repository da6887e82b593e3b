"""What a page tells search engines and sharing previews: canonical URL, hreflang alternates, description,
OpenGraph and Twitter card values, and schema.org JSON-LD.

Every URL is absolute, from `BASE_URL` (the wire's public address), never from the request's Host header.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from babel.core import get_global
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from wireroom.anatomy.render import Anatomy
from wireroom.brand.selectors import brand
from wireroom.releases.models import Release

DESCRIPTION_LENGTH = 200
# A sentence ends at . ! ? (and the Arabic question mark) before a space, or at a full-width stop.
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s|(?<=[。！？])")
# Inside <script>, "</script>" or "<!--" in a value would end or confuse the element: the JSON escapes them.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def first_sentence(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The first sentence of `text`, cut at a word (or, without spaces, a character) to `limit` with an ellipsis."""
    text = " ".join(text.split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:،、，") + "…"


def og_locale(tag: str) -> str:
    """OpenGraph's `ll_TT` for a language tag, from CLDR's likely subtags (ar → ar_EG, zh-Hant → zh_TW)."""
    likely = str(get_global("likely_subtags").get(tag.replace("-", "_"), tag.replace("-", "_")))
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else parts[0]


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """`<script type="application/ld+json">`: a data block, which browsers never run (so the CSP, which
    forbids inline scripts, has nothing to block), escaped so that no value can close the element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z") if value else None


@dataclass(frozen=True)
class PageMetadata:
    canonical: str
    alternates: list[tuple[str, str]]  # (hreflang, absolute URL), the page itself and x-default included
    title: str
    description: str
    locale: str
    locale_alternates: list[str]
    og_type: str
    json_ld: SafeString | None
    noindex: bool


def release_metadata(*, release: Release, item: Anatomy, languages: list[str], modified: dt.datetime | None,
                     preview: bool) -> PageMetadata:
    """The metadata of one release page; `languages` are the release's localizations in the wire's order."""

    def url(tag: str) -> str:
        return absolute(reverse("newsroom:release", kwargs={"release_id": release.id, "language": tag}))

    canonical = url(item.language)
    alternates = [(tag, url(tag)) for tag in languages]
    alternates.append(("x-default", url(release.original_language_id)))
    description = first_sentence(item.summary or item.lede_text)
    issuer = {"@type": "Organization", "name": release.issuer.name}
    wire = {"@type": "Organization", "name": brand(language=item.language).wire_name, "url": absolute("/")}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": canonical,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "headline": item.headline,
        "description": description,
        "inLanguage": item.language,
        "datePublished": _iso(release.published_at),
        "dateModified": _iso(modified or release.published_at),
        "author": issuer,
        "publisher": wire,
        "isAccessibleForFree": True,
        "genre": release.get_kind_display(),
    }
    if item.language != release.original_language_id:
        article["translationOfWork"] = {"@id": url(release.original_language_id),
                                        "inLanguage": release.original_language_id}
    article = {key: value for key, value in article.items() if value is not None}
    return PageMetadata(
        canonical=canonical, alternates=alternates, title=item.headline, description=description,
        locale=og_locale(item.language),
        locale_alternates=[og_locale(tag) for tag in languages if tag != item.language],
        og_type="article",
        # A preview is nobody's public page: no structured data, and not to be indexed.
        json_ld=None if preview else json_ld_script(article),
        noindex=preview,
    )


def home_metadata(*, language: str, languages: list[str], title: str, description: str,
                  negotiated: bool) -> PageMetadata:
    """The home page: `/` picks the visitor's language; `/<tag>/` is the home page in that language."""

    def url(tag: str) -> str:
        return absolute(reverse("newsroom:home-in", kwargs={"language": tag}))

    alternates = [(tag, url(tag)) for tag in languages]
    alternates.append(("x-default", absolute(reverse("newsroom:home"))))
    return PageMetadata(
        canonical=absolute(reverse("newsroom:home")) if negotiated else url(language),
        alternates=alternates, title=title, description=description, locale=og_locale(language),
        locale_alternates=[og_locale(tag) for tag in languages if tag != language], og_type="website",
        json_ld=None, noindex=False,
    )


def listing_metadata(*, view: str, kwargs: dict[str, Any], language: str, languages: list[str], title: str,
                     description: str, page: int) -> PageMetadata:
    """A listing in one language (`/ar/sectors/energy/`): its alternates are the same list in every language,
    and x-default the address without a language, which sends each visitor to theirs."""

    def path(tag: str) -> str:
        return reverse(f"newsroom:{view}", kwargs={**kwargs, "language": tag})

    query = f"?page={page}" if page > 1 else ""
    alternates = [(tag, absolute(path(tag) + query)) for tag in languages]
    alternates.append(("x-default", absolute(path(language).removeprefix(f"/{language}") + query)))
    return PageMetadata(
        canonical=absolute(path(language) + query), alternates=alternates, title=title, description=description,
        locale=og_locale(language), locale_alternates=[og_locale(tag) for tag in languages if tag != language],
        og_type="website", json_ld=None, noindex=False,
    )
