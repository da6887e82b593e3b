"""The archive's sitemaps (every language page of every public release) and the Google News sitemap, through
Django's sitemaps framework, with their addresses on the public URL (`WIREROOM_BASE_URL`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from wireroom.brand.selectors import brand
from wireroom.feeds.selectors import public_localizations
from wireroom.releases.models import Localization

if TYPE_CHECKING:
    from django.contrib.sites.models import Site
    from django.contrib.sites.requests import RequestSite

# Google News takes ISO 639 codes, and Chinese only as zh-cn or zh-tw.
NEWS_LANGUAGES = {"zh-Hans": "zh-cn", "zh-Hant": "zh-tw"}
NEWS_DAYS = 2


def news_language(tag: str) -> str:
    return NEWS_LANGUAGES.get(tag, tag.split("-")[0].lower())


class _LanguagePages(Sitemap[Localization]):
    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.BASE_URL).scheme

    def get_domain(self, site: Site | RequestSite | None = None) -> str:
        parts = urlsplit(settings.BASE_URL)
        return parts.netloc + parts.path

    def location(self, item: Localization) -> str:
        return reverse("newsroom:release", kwargs={"release_id": item.release_id, "language": item.language_id})

    def lastmod(self, item: Localization) -> dt.datetime | None:
        updated: dt.datetime | None = getattr(item, "updated_at_wire", None)
        published = item.release.published_at
        return max(updated, published) if updated and published else published

    def get_latest_lastmod(self) -> dt.datetime | None:
        # Django's default walks every item of every page; the index does without.
        return None


class ArchiveSitemap(_LanguagePages):
    limit = 5000

    def items(self) -> QuerySet[Localization]:
        return public_localizations()


class NewsSitemap(_LanguagePages):
    """The language pages published in the last two days (Google News reads no older ones); at most 1,000."""

    limit = 1000

    def items(self) -> QuerySet[Localization]:
        return public_localizations(since=timezone.now() - dt.timedelta(days=NEWS_DAYS))

    def get_urls(self, page: int | str = 1, site: Site | RequestSite | None = None,
                 protocol: str | None = None) -> list[dict[str, Any]]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["news_language"] = news_language(url["item"].language_id)
            # The publication's name as the brand spells it in the page's language (cached per process).
            url["wire_name"] = brand(language=url["item"].language_id).wire_name
        return urls


SITEMAPS: dict[str, Sitemap[Any]] = {"releases": ArchiveSitemap(), "news": NewsSitemap()}
