"""The search page: a query and filters read by a form, results in the page's language with the matched words
marked, paged, 400 with the field's message for input it cannot read, and never an embargoed or withdrawn
release."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import every_language
from wireroom.releases.models import Release
from wireroom.taxonomy.loader import FIRST_CLASS

pytestmark = pytest.mark.django_db


def _hits(html: str) -> list[str]:
    return re.findall(r'<a class="headline" href="/releases/([0-9a-f-]+)/', html)


def test_a_query_finds_the_release_in_the_page_language_with_the_words_marked(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("published")
    html = Client().get("/ar/search/", {"q": "تحلية"}).content.decode()
    assert _hits(html) == [str(release.id)]
    assert f'href="/releases/{release.id}/ar/" lang="ar"' in html
    assert "<mark>تحلية</mark>" in html
    english = Client().get("/en/search/", {"q": "desalination"}).content.decode()
    assert f'href="/releases/{release.id}/en/" lang="en"' in english
    assert "Results: 1" in english


def test_embargoed_withdrawn_and_unpublished_releases_are_never_found(make_release: Callable[..., Release]) -> None:
    visible = make_release("published")
    hidden = [make_release(state) for state in ("draft", "submitted", "approved", "scheduled", "withdrawn")]
    html = Client().get("/en/search/", {"q": "Nahr"}).content.decode()
    assert _hits(html) == [str(visible.id)]
    for release in hidden:
        assert str(release.id) not in html, release.state


def test_filters_narrow_the_results(make_release: Callable[..., Release]) -> None:
    energy = make_release("published", sectors=["energy"], countries=["AE"])
    other = make_release("published", sectors=["fintech"], countries=["SA"], kind="third_party_article")
    search = {"q": "Nahr"}
    assert set(_hits(Client().get("/en/search/", search).content.decode())) == {str(energy.id), str(other.id)}
    for narrowing, expected in (({"sector": "energy"}, energy), ({"country": "SA"}, other),
                                ({"kind": "third_party_article"}, other), ({"issuer": "nahr-energy"}, None)):
        html = Client().get("/en/search/", {**search, **narrowing}).content.decode()
        found = set(_hits(html))
        assert found == ({str(expected.id)} if expected else {str(energy.id), str(other.id)}), narrowing
        assert "<details class=\"filters\" open>" in html
    assert energy.published_at is not None
    day = energy.published_at.date()
    one_day = {**search, "since": str(day), "until": str(day)}
    assert len(_hits(Client().get("/en/search/", one_day).content.decode())) == 2
    assert _hits(Client().get("/en/search/", {**search, "until": "2001-01-01"}).content.decode()) == []
    assert _hits(Client().get("/en/search/", {"q": "Nahr", "language": "ja"}).content.decode()) == []


def test_a_query_that_matches_nothing_says_so_in_the_page_language(make_release: Callable[..., Release]) -> None:
    make_release("published")
    html = Client().get("/ja/search/", {"q": "火山"}).content.decode()
    assert _hits(html) == []
    assert '<p class="empty">' in html and "No releases match your search." not in html


@pytest.mark.parametrize(("params", "field"), [
    ({"q": "x" * 501}, "q"),
    ({"q": "Nahr\u0007"}, "q"),
    ({"q": "Nahr", "sector": "no-such-sector"}, "sector"),
    ({"q": "Nahr", "language": "tlh"}, "language"),
    ({"q": "Nahr", "since": "2026-13-45"}, "since"),
    ({"q": "Nahr", "since": "2026-11-02", "until": "2026-11-01"}, "until"),
    ({"q": "Nahr", "page": "0"}, "page"),
    ({"q": "Nahr", "page": "many"}, "page"),
])
def test_input_the_form_cannot_read_is_a_400_with_a_message_and_no_search(
    make_release: Callable[..., Release], params: dict[str, str], field: str,
) -> None:
    make_release("published")
    response = Client().get("/en/search/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert _hits(html) == []
    assert 'class="error" role="alert"' in html or field == "page"


def test_the_search_page_without_a_query_shows_the_form_in_the_visitors_language() -> None:
    response = Client().get("/search/", headers={"accept-language": "th"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th" dir="ltr">' in html and 'role="search"' in html
    assert "Accept-Language" in response["Vary"]
    for tag in FIRST_CLASS:
        assert f'href="/{tag}/search/" hreflang="{tag}"' in html, tag


def test_results_are_paged_and_keep_the_query(make_release: Callable[..., Release],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wireroom.newsroom.search_page.PER_PAGE", 2)
    releases = {str(make_release("published").id) for _ in range(3)}
    first = Client().get("/en/search/", {"q": "Nahr", "sector": "daily-news"}).content.decode()
    assert len(_hits(first)) == 2
    assert '<a href="?q=Nahr&amp;sector=daily-news&amp;page=2" rel="next">' in first
    second = Client().get("/en/search/", {"q": "Nahr", "sector": "daily-news", "page": "2"}).content.decode()
    assert set(_hits(first)) | set(_hits(second)) == releases


def test_results_of_a_release_in_every_language_are_found_in_each_script(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("published", **every_language())
    for tag, query in (("ar", "الشمسية"), ("zh-Hans", "海水"), ("ko", "태양"), ("th", "แสงอาทิตย์")):
        html = Client().get(f"/{tag}/search/", {"q": query}).content.decode()
        assert _hits(html) == [str(release.id)], tag
        assert f'href="/releases/{release.id}/{tag}/" lang="{tag}"' in html, tag


def test_the_search_page_reads_a_bounded_number_of_queries(make_release: Callable[..., Release]) -> None:
    counts = []
    for _ in range(2):
        for _ in range(3):
            make_release("published")
        Client().get("/en/search/", {"q": "Nahr"})
        with CaptureQueriesContext(connection) as context:
            Client().get("/en/search/", {"q": "Nahr", "sector": "daily-news"})
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] and counts[1] <= 16, counts
