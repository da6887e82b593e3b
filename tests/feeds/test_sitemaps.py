from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from tests.support.factories import every_language
from wireroom.feeds.sitemaps import ArchiveSitemap
from wireroom.releases.models import Release

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "http://127.0.0.1:8000"


def _xml(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def _locations(root: Any) -> list[str]:
    return [str(loc.text) for loc in root.iter(f"{SITEMAP}loc")]


def _pages(release: Release, *languages: str) -> set[str]:
    return {f"{BASE}/releases/{release.id}/{language}/" for language in languages}


def test_robots_txt_points_at_the_sitemap_index(client: Client, db: Any) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_the_sitemap_index_lists_the_archive_and_the_news_sitemap(client: Client, db: Any) -> None:
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert _locations(index) == [f"{BASE}/sitemap-releases.xml", f"{BASE}/sitemap-news.xml"]


def test_the_archive_sitemap_lists_every_language_page_of_public_releases_only(
        client: Client, make_release: Callable[..., Release]) -> None:
    published = make_release("published")
    corrected = make_release("corrected")
    hidden = [make_release(state) for state in ("scheduled", "withdrawn", "approved", "draft")]
    urlset = _xml(client, "/sitemap-releases.xml")
    assert urlset.tag == f"{SITEMAP}urlset"
    locations = _locations(urlset)
    assert set(locations) == _pages(published, "ar", "en") | _pages(corrected, "ar", "en")
    assert len(locations) == 4
    assert not any(str(release.id) in location for release in hidden for location in locations)
    assert all(url.findtext(f"{SITEMAP}lastmod") for url in urlset.iter(f"{SITEMAP}url"))


def test_the_archive_sitemap_is_paginated_and_the_index_lists_every_page(
        client: Client, make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ArchiveSitemap, "limit", 3)
    releases = [make_release("published") for _ in range(2)]
    assert f"{BASE}/sitemap-releases.xml?p=2" in _locations(_xml(client, "/sitemap.xml"))
    first = _locations(_xml(client, "/sitemap-releases.xml"))
    second = _locations(_xml(client, "/sitemap-releases.xml?p=2"))
    assert len(first) == 3 and len(second) == 1
    assert set(first) | set(second) == _pages(releases[0], "ar", "en") | _pages(releases[1], "ar", "en")
    assert client.get("/sitemap-releases.xml?p=3").status_code == 404


def test_the_news_sitemap_has_the_last_two_days_with_a_language_per_page(
        client: Client, make_release: Callable[..., Release], settings: Any) -> None:
    settings.WIRE_NAME = "Gulf Wire"
    fresh = make_release("published", **every_language())
    old = make_release("published")
    Release.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=2, minutes=1))
    make_release("scheduled")
    make_release("withdrawn")
    urlset = _xml(client, "/sitemap-news.xml")
    urls = list(urlset.iter(f"{SITEMAP}url"))
    assert {url.findtext(f"{SITEMAP}loc") for url in urls} == _pages(fresh, *[
        loc.language_id for loc in fresh.localizations.all()])
    languages = {}
    for url in urls:
        news = url.find(f"{NEWS}news")
        assert news is not None
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Gulf Wire"
        assert news.findtext(f"{NEWS}title")
        published = dt.datetime.fromisoformat(str(news.findtext(f"{NEWS}publication_date")))
        assert published > timezone.now() - dt.timedelta(days=2)
        language = str(news.findtext(f"{NEWS}publication/{NEWS}language"))
        languages[str(url.findtext(f"{SITEMAP}loc")).rstrip("/").rsplit("/", 1)[1]] = language
    assert languages["ar"] == "ar" and languages["th"] == "th" and languages["ja"] == "ja"
    assert languages["zh-Hans"] == "zh-cn" and languages["zh-Hant"] == "zh-tw"
    headline = next(url for url in urls if str(url.findtext(f"{SITEMAP}loc")).endswith("/th/"))
    assert headline.findtext(f"{NEWS}news/{NEWS}title") == fresh.localizations.get(language_id="th").headline


def test_an_unknown_sitemap_is_404(client: Client, db: Any) -> None:
    assert client.get("/sitemap-everything.xml").status_code == 404
