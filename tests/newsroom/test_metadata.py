"""What a release page tells search engines and sharing previews: absolute canonical and hreflang URLs,
a description, OpenGraph and Twitter cards, and schema.org NewsArticle JSON-LD that cannot close its element."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from tests.support.factories import release_input
from wireroom.accounts.models import Membership
from wireroom.releases.models import Localization, Release

pytestmark = pytest.mark.django_db
BASE = "https://wire.example"


def _page(release: Release, language: str, client: Client | None = None) -> str:
    response = (client or Client()).get(f"/releases/{release.id}/{language}/")
    assert response.status_code == 200
    return response.content.decode()


def _json_ld(html: str) -> dict[str, object]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    data: dict[str, object] = json.loads(found[0])
    return data


@override_settings(BASE_URL=BASE)
def test_hreflang_links_are_absolute_with_the_page_itself_and_x_default(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    html = _page(release, "en")
    url = f"{BASE}/releases/{release.id}"
    assert f'<link rel="canonical" href="{url}/en/">' in html
    assert f'<link rel="alternate" hreflang="en" href="{url}/en/">' in html
    assert f'<link rel="alternate" hreflang="ar" href="{url}/ar/">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{url}/ar/">' in html
    assert not re.search(r'<link rel="alternate" hreflang="[^"]+" href="/', html), "no relative alternates"


@override_settings(BASE_URL=BASE)
def test_a_single_language_release_still_has_its_self_link_and_x_default(make_release: Callable[..., Release]) -> None:
    arabic = [loc for loc in release_input().localizations if loc.language == "ar"]
    release = make_release("published", languages=["ar"], localizations=arabic)
    html = _page(release, "ar")
    assert f'<link rel="alternate" hreflang="ar" href="{BASE}/releases/{release.id}/ar/">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{BASE}/releases/{release.id}/ar/">' in html


@override_settings(BASE_URL=BASE, WIRE_NAME="Gulf Wire")
def test_json_ld_describes_a_news_article_and_its_translation(make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")
    assert release.published_at is not None
    # Published a day before it was corrected.
    Release.objects.filter(pk=release.pk).update(published_at=release.published_at - dt.timedelta(days=1))
    release.refresh_from_db()
    data = _json_ld(_page(release, "en"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Nahr Energy opens a solar-powered desalination plant"
    assert data["inLanguage"] == "en"
    assert data["isAccessibleForFree"] is True
    assert data["author"] == {"@type": "Organization", "name": "Nahr Energy"}
    assert data["publisher"] == {"@type": "Organization", "name": "Gulf Wire", "url": f"{BASE}/"}
    assert release.published_at is not None
    assert str(data["datePublished"]).startswith(release.published_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert str(data["dateModified"]) > str(data["datePublished"]), "the correction modified it"
    assert data["translationOfWork"] == {"@id": f"{BASE}/releases/{release.id}/ar/", "inLanguage": "ar"}
    assert "translationOfWork" not in _json_ld(_page(release, "ar"))


def test_json_ld_escapes_what_could_close_the_script_element(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    Localization.objects.filter(release=release, language="en").update(
        headline="Plant </script><script>alert(1)</script> & <!-- opens")
    html = _page(release, "en")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script is not None
    assert "<" not in script.group(1) and ">" not in script.group(1)
    assert _json_ld(html)["headline"] == "Plant </script><script>alert(1)</script> & <!-- opens"
    assert "<script>alert(1)" not in html


@override_settings(BASE_URL=BASE)
def test_description_opengraph_and_twitter_card_come_from_the_summary(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    html = _page(release, "en")
    summary = "The new plant makes drinking water for fifty thousand homes."
    assert f'<meta name="description" content="{summary}">' in html
    assert f'<meta property="og:description" content="{summary}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{BASE}/releases/{release.id}/en/">' in html
    assert '<meta property="og:title" content="Nahr Energy opens a solar-powered desalination plant">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert '<meta property="og:locale:alternate" content="ar_EG">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_without_a_summary_the_description_is_the_first_sentence(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    Localization.objects.filter(release=release, language="ar").update(summary="")
    html = _page(release, "ar")
    assert '<meta name="description" content="أعلنت شركة نهر للطاقة اليوم تشغيل محطتها الجديدة.">' in html


def test_a_preview_is_not_indexed_and_carries_no_structured_data(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("scheduled")
    client = Client()
    client.force_login(actors["issuer_member"].user)
    html = _page(release, "ar", client)
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html
