"""The newsroom's listings: sectors, countries, regions, issuers' newsrooms, the dated archive and the home
page's top stories, in every language, paged, linking their feeds, answering conditional GETs, in a bounded
number of queries, and never showing an embargoed or withdrawn release."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wireroom.accounts.models import Membership, Organization, OrganizationKind
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.taxonomy.loader import FIRST_CLASS

pytestmark = pytest.mark.django_db


def _listings(release: Release) -> list[str]:
    assert release.published_at is not None
    day = release.published_at
    return ["/", "/ar/", "/en/browse/", "/en/sectors/daily-news/", "/ar/sectors/top-story/", "/en/countries/AE/",
            "/ja/regions/mena/", "/en/issuers/nahr-energy/", "/en/archive/", f"/en/archive/{day:%Y}/",
            f"/th/archive/{day:%Y}/{day:%m}/", f"/en/archive/{day:%Y}/{day:%m}/{day:%d}/"]


def test_every_listing_shows_public_releases_and_never_embargoed_withdrawn_or_unpublished_ones(
    make_release: Callable[..., Release],
) -> None:
    visible = make_release("published", regions=["mena"])
    hidden = [make_release(state, regions=["mena"])
              for state in ("draft", "submitted", "in_review", "approved", "scheduled", "withdrawn")]
    for path in _listings(visible):
        response = Client().get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        if path != "/en/browse/":
            assert str(visible.id) in html, path
        for release in hidden:
            assert str(release.id) not in html, (path, release.state)


def test_the_directory_lists_only_issuers_and_countries_with_public_releases(
    make_release: Callable[..., Release], other_org: Organization,
) -> None:
    make_release("withdrawn", countries=["TH"])
    html = Client().get("/en/browse/").content.decode()
    assert "/en/issuers/nahr-energy/" not in html and "/en/countries/TH/" not in html
    make_release("published", countries=["AE"])
    html = Client().get("/en/browse/").content.decode()
    assert '<a href="/en/issuers/nahr-energy/"><bdi>Nahr Energy</bdi></a>' in html
    assert '<a href="/en/countries/AE/">United Arab Emirates</a>' in html
    assert "/en/issuers/lotus-fintech/" not in html, "an issuer with nothing public"
    assert '<a href="/en/sectors/energy/">' in html and '<a href="/en/regions/mena/">' in html


@pytest.mark.parametrize(("path", "lang", "name"), [
    ("/ar/sectors/energy/", "ar", "الطاقة"),
    ("/ja/countries/AE/", "ja", "アラブ首長国連邦"),
    ("/de/regions/mena/", "de", "Naher Osten und Nordafrika"),
    ("/zh-Hans/regions/asia/", "zh-Hans", "亚洲"),
    ("/ko/browse/", "ko", "에너지"),
])
def test_listings_name_sectors_countries_and_regions_in_the_page_language(path: str, lang: str, name: str) -> None:
    html = Client().get(path).content.decode()
    assert f'<html lang="{lang}"' in html
    assert name in html


def test_a_sector_page_links_its_feeds_for_autodiscovery_and_to_read(make_release: Callable[..., Release]) -> None:
    make_release("published", sectors=["energy"])
    html = Client().get("/ar/sectors/energy/").content.decode()
    for ext, kind in (("atom", "application/atom+xml"), ("rss", "application/rss+xml"),
                      ("json", "application/feed+json")):
        assert re.search(rf'<link rel="alternate" type="{re.escape(kind)}" title="[^"]+" '
                         rf'href="/feeds/sector/energy\.{ext}">', html), ext
        assert f'<a href="/feeds/sector/energy.{ext}" type="{kind}">' in html
    assert Client().get("/feeds/sector/energy.atom").status_code == 200


def test_an_issuer_newsroom_has_its_about_text_sponsored_website_link_and_releases(
    make_release: Callable[..., Release], issuer_org: Organization,
) -> None:
    issuer_org.about = "Nahr Energy builds <solar> plants."
    issuer_org.website = "https://nahr.example/"
    issuer_org.save()
    release = make_release("published")
    html = Client().get("/ar/issuers/nahr-energy/").content.decode()
    assert "<h1>Nahr Energy</h1>" in html
    assert "Nahr Energy builds &lt;solar&gt; plants." in html
    assert '<a href="https://nahr.example/" rel="sponsored noopener noreferrer" dir="auto">' in html
    assert str(release.id) in html
    assert 'href="/feeds/issuer/nahr-energy.atom"' in html


def test_only_issuing_organizations_have_newsrooms(wire_org: Organization) -> None:
    Organization.objects.create(name="Daily Gazette", slug="gazette", kind=OrganizationKind.MEDIA_OUTLET)
    for slug in ("wire", "gazette", "nobody"):
        assert Client().get(f"/en/issuers/{slug}/").status_code == 404, slug


def test_every_item_is_labelled_with_its_kind_in_the_page_language(make_release: Callable[..., Release]) -> None:
    press = make_release("published")
    third = make_release("published", kind="third_party_article")
    html = Client().get("/en/archive/").content.decode()
    assert html.count('<p class="kind kind-press_release">Press release</p>') == 1
    assert html.count('<p class="kind kind-third_party_article">Third-party article</p>') == 1
    arabic = Client().get("/ar/archive/").content.decode()
    assert '<p class="kind kind-press_release">Press release</p>' not in arabic
    assert arabic.count('class="kind kind-') == 2
    for release in (press, third):
        page = Client().get(f"/releases/{release.id}/en/").content.decode()
        assert f'<p class="kind kind-{release.kind}">' in page


def test_the_home_page_leads_with_top_stories(make_release: Callable[..., Release]) -> None:
    top = make_release("published", sectors=["top-story"])
    other = make_release("published", sectors=["energy"])
    make_release("withdrawn", sectors=["top-story"])
    html = Client().get("/en/").content.decode()
    section = re.search(r'<section class="featured".*?</section>', html, re.S)
    assert section is not None
    assert str(top.id) in section.group(0) and str(other.id) not in section.group(0)
    assert section.group(0).count('<li>') == 1


def test_listings_are_paged_and_each_page_links_the_next(make_release: Callable[..., Release],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wireroom.newsroom.listing.PAGE_SIZE", 2)
    releases = [make_release("published", sectors=["energy"]) for _ in range(3)]
    first = Client().get("/en/sectors/energy/").content.decode()
    second = Client().get("/en/sectors/energy/?page=2").content.decode()
    assert [str(r.id) in first for r in releases] == [False, True, True], "newest first"
    assert [str(r.id) in second for r in releases] == [True, False, False]
    assert '<a href="?page=2" rel="next">' in first and '<a href="?page=1" rel="prev">' in second
    assert "Page 1 of 2" in first
    assert Client().get("/en/sectors/energy/?page=99").content.decode() == second, "past the end: the last page"
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', second)
    assert canonical is not None and canonical.group(1).endswith("/en/sectors/energy/?page=2")


def _queries(path: str) -> int:
    Client().get(path)  # Once before counting: what is read once per process (labels, content types) is not counted.
    with CaptureQueriesContext(connection) as context:
        assert Client().get(path).status_code == 200, path
    return len(context.captured_queries)


def test_each_page_reads_a_bounded_number_of_queries_whatever_the_number_of_releases(
    make_release: Callable[..., Release],
) -> None:
    first = make_release("published", regions=["mena"], sectors=["top-story", "daily-news"])
    paths = [*_listings(first), f"/releases/{first.id}/en/"]
    few = {path: _queries(path) for path in paths}
    for _ in range(4):
        make_release("published", regions=["mena"], sectors=["top-story", "daily-news"])
    many = {path: _queries(path) for path in paths}
    assert many == few
    # The home page reads its top stories as a second list (with their own texts and sectors). Each page first
    # reads what its validator is made of (up to four small reads), so that a 304 needs nothing more.
    assert all(count <= (20 if path in ("/", "/ar/") else 16) for path, count in many.items()), many


def test_unprefixed_listing_addresses_lead_to_the_visitors_language() -> None:
    response = Client().get("/sectors/energy/?page=2", headers={"accept-language": "th,en;q=0.3"})
    assert response.status_code == 302
    assert response["Location"] == "/th/sectors/energy/?page=2"
    assert "Accept-Language" in response["Vary"]
    assert Client().get("/archive/")["Location"] == "/en/archive/"


def test_listings_have_absolute_alternates_in_every_language_and_a_switcher() -> None:
    html = Client().get("/vi/regions/asean/").content.decode()
    found = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(found) == {*FIRST_CLASS, "x-default"}
    assert found["ar"].endswith("/ar/regions/asean/") and found["x-default"].endswith("/regions/asean/")
    assert all(url.startswith(("http://", "https://")) for url in found.values())
    for tag in FIRST_CLASS:
        assert f'href="/{tag}/regions/asean/" hreflang="{tag}"' in html, tag
    assert 'href="/vi/regions/asean/" hreflang="vi" lang="vi" dir="ltr" aria-current="page"' in html


def test_the_archive_goes_by_year_month_and_day_in_the_page_language(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    assert release.published_at is not None
    day = release.published_at
    archive = Client().get("/ja/archive/").content.decode()
    assert f'<a href="/ja/archive/{day:%Y}/">{day.year}年</a>' in archive
    year = Client().get(f"/ja/archive/{day:%Y}/").content.decode()
    assert f'<a href="/ja/archive/{day:%Y}/{day:%m}/">{day.year}年{day.month}月</a>' in year
    month = Client().get(f"/ja/archive/{day:%Y}/{day:%m}/").content.decode()
    assert f'<a href="/ja/archive/{day:%Y}/{day:%m}/{day:%d}/">{day.month}月{day.day}日</a>' in month
    other_year = Client().get(f"/en/archive/{day.year - 1}/").content.decode()
    assert str(release.id) not in other_year and "No releases here yet." in other_year


@pytest.mark.parametrize("path", ["/en/archive/2026/02/30/", "/en/archive/2026/13/", "/en/archive/0000/",
                                  "/en/sectors/no-such-sector/", "/en/countries/ZZ/", "/en/regions/atlantis/",
                                  "/xx/archive/"])
def test_listings_of_nothing_on_this_wire_are_not_found(path: str) -> None:
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize("path", ["/en/", "/ar/sectors/top-story/", "/en/archive/", "/en/browse/"])
def test_pages_answer_conditional_gets_with_not_modified(make_release: Callable[..., Release], path: str) -> None:
    make_release("published")
    first = Client().get(path)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert Client().get(path, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert Client().get(path, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


def test_a_withdrawal_changes_a_listing_and_its_validators(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("published", sectors=["energy"])
    first = Client().get("/en/sectors/energy/")
    assert str(release.id) in first.content.decode()
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    again = Client().get("/en/sectors/energy/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and str(release.id) not in again.content.decode()


def test_a_release_page_answers_conditional_gets(make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")
    first = Client().get(f"/releases/{release.id}/ar/")
    assert first.has_header("Last-Modified") and first.has_header("ETag")
    assert Client().get(f"/releases/{release.id}/ar/",
                        headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


def test_links_in_a_release_are_marked_sponsored_on_its_page(make_release: Callable[..., Release]) -> None:
    release = make_release("published", localizations=[services.LocalizationInput(
        language="ar", headline="نهر للطاقة", summary="",
        body_html='<p>للمزيد <a href="https://nahr.example/plant">صفحة المشروع</a>.</p>')], languages=["ar"])
    html = Client().get(f"/releases/{release.id}/ar/").content.decode()
    assert '<a href="https://nahr.example/plant" rel="sponsored noopener noreferrer nofollow">' in html
