"""Full-text search in every language, through the selector, the lifecycle, the API, the feeds and the rebuild.

Every test runs on the database the run uses (SQLite, or PostgreSQL with WIREROOM_DATABASE_URL), so each backend
answers the same questions.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.support.api import ApiClient
from tests.support.factories import every_language
from wireroom.accounts.models import Membership
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.releases.selectors import ArchiveFilters
from wireroom.search.analysis import Part, fold_text, query_parts, terms, words
from wireroom.search.models import SearchEntry
from wireroom.search.selectors import search_releases

pytestmark = pytest.mark.django_db

# A word or run of characters of each language's headline in `every_language()`, and the language it is in.
QUERIES = [
    ("en", "desalination"),
    ("ko", "태양"),  # two Hangul syllables inside a longer word (태양광)
    ("ja", "プラント"),
    ("ar", "الشمسية"),
    ("zh-Hans", "海水"),  # two characters inside a longer run (海水淡化厂)
    ("zh-Hant", "淡化廠"),
    ("vi", "khử mặn"),
    ("th", "แสงอาทิตย์"),
    ("id", "desalinasi"),
    ("ms", "penyahgaraman"),
    ("de", "Entsalzungsanlage"),
    ("ru", "опреснительную"),
    ("fr", "dessalement"),
    ("es", "desalinizadora"),
    ("pt", "dessalinização"),
]
# Words in each script that no release here holds.
MISSES = ["火山", "화산", "火", "噴火", "ภูเขาไฟ", "بركان", "вулкан", "volcano", "Vulkan", "núi lửa"]


def _ids(query: str, **filters: Any) -> set[str]:
    return {str(hit.release.pk) for hit in search_releases(query=query, filters=ArchiveFilters(**filters)).hits}


def _other_release(make_release: Callable[..., Release]) -> Release:
    """A release about something else, in Chinese, Korean, Thai and English, published beside the first."""
    return make_release("published", original_language="zh-Hans", languages=["zh-Hans", "ko", "th", "en"],
                        sectors=["fintech"], countries=["SG"], localizations=[
        services.LocalizationInput(language="zh-Hans", headline="莲花金融科技发布移动支付应用",
                                   body_html="<p>新应用支持二维码付款。</p>"),
        services.LocalizationInput(language="ko", headline="로터스 핀테크, 모바일 결제 앱 출시",
                                   body_html="<p>새 앱은 QR 코드 결제를 지원합니다.</p>"),
        services.LocalizationInput(language="th", headline="โลตัส ฟินเทค เปิดตัวแอปชำระเงินบนมือถือ",
                                   body_html="<p>แอปใหม่รองรับการชำระเงินด้วยคิวอาร์โค้ด</p>"),
        services.LocalizationInput(language="en", headline="Lotus Fintech launches a mobile payments app",
                                   body_html="<p>The new app takes QR-code payments.</p>"),
    ])


@pytest.fixture
def two_releases(make_release: Callable[..., Release]) -> tuple[Release, Release]:
    return make_release("published", **every_language()), _other_release(make_release)


@pytest.mark.parametrize(("language", "query"), QUERIES)
def test_a_word_of_each_language_finds_its_release_shown_in_that_language(
        two_releases: tuple[Release, Release], language: str, query: str) -> None:
    plant, _ = two_releases
    results = search_releases(query=query, filters=ArchiveFilters(language=language))
    assert [(hit.release.pk, hit.language) for hit in results.hits] == [(plant.pk, language)]
    assert results.total == 1
    # Without the language filter it is found too, and the other release is not.
    assert _ids(query) == {str(plant.pk)}
    assert "<mark>" in results.hits[0].headline


@pytest.mark.parametrize("query", MISSES)
def test_words_no_release_holds_find_nothing(two_releases: tuple[Release, Release], query: str) -> None:
    assert search_releases(query=query).hits == []


@pytest.mark.parametrize(("query", "expected"), [
    ("淡", "plant"),  # one Chinese character, found inside runs (淡化, 淡水)
    ("金", "payments"),  # one character at the start of a run
    ("款", "payments"),  # one character at the end of a run (付款)
    ("결제", "payments"),  # two Hangul syllables
    ("앱", "payments"),  # one Hangul syllable standing alone
    ("支付", "payments"),  # two Chinese characters
    ("ชำระเงิน", "payments"),  # Thai, written without spaces
    ("พลังงาน", "plant"),
    ("محطة", "plant"),  # Arabic, with the article and vowel marks of the text not typed
    ("مَحطة", "plant"),  # and with a vowel mark typed
    ("plants", "plant"),  # an English plural finds the singular
    ("payment", "payments"),
])
def test_short_cjk_queries_thai_arabic_and_stems_find_the_right_release(
        two_releases: tuple[Release, Release], query: str, expected: str) -> None:
    plant, payments = two_releases
    assert _ids(query) == {str(plant.pk if expected == "plant" else payments.pk)}


THAI_COMPOUND = "การท่องเที่ยวแห่งประเทศไทยเปิดสำนักงานที่ดูไบ"


def test_a_thai_word_is_found_inside_a_compound_that_icu_keeps_whole(
        two_releases: tuple[Release, Release], make_release: Callable[..., Release]) -> None:
    # ICU's dictionary keeps ประเทศไทย (Thailand) as one word; its last part ไทย (Thai) is a word of its own.
    assert "ประเทศไทย" in words(THAI_COMPOUND)
    tourism = make_release("published", original_language="th", languages=["th"], localizations=[
        services.LocalizationInput(language="th", headline=THAI_COMPOUND, body_html="<p>สำนักงานแห่งใหม่</p>")])
    results = search_releases(query="ไทย")
    assert [hit.release.pk for hit in results.hits] == [tourism.pk]
    assert results.hits[0].headline == ("การท่องเที่ยวแห่งประเทศ<mark>ไทย</mark>เปิดสำนักงานที่ดูไบ")
    assert _ids("ไทย", language="th") == {str(tourism.pk)}
    # Found inside any word, not only at its start; a word the text does not hold is still a miss.
    assert _ids("ท่องเที่ยว") == {str(tourism.pk)}
    assert _ids("ไทยแลนด์") == set()
    assert _ids("ไทย desalination") == set()


def test_thai_and_cjk_runs_are_indexed_in_pairs_and_other_scripts_in_words() -> None:
    assert terms("ประเทศไทย", "th") == ["ปร", "ระ", "ะเ", "เท", "ทศ", "ศไ", "ไท", "ทย", "ย"]
    # One Thai character that NFKC makes two (ำ) is paired the same in the text and in the query.
    assert query_parts("ชำระ") == [Part(phrase=tuple(terms("ชำระ", "th")[:-1]), surface=fold_text("ชำระ"))]
    assert terms("Thai Airways ไทย", "en") == ["thai", "airway", "ไท", "ทย", "ย"]
    assert terms("北京市 solar", "zh-Hans") == ["北京", "京市", "市", "solar"]
    assert terms("Entsalzungsanlagen", "de") == ["entsalzungsanlag"]


def test_hits_without_relations_are_the_same_hits_read_in_three_queries(
        two_releases: tuple[Release, Release], make_release: Callable[..., Release],
        django_assert_num_queries: Callable[[int], Any]) -> None:
    make_release("published", original_language="en", languages=["en"], localizations=[
        services.LocalizationInput(language="en", headline="Solar desalination, a second plant",
                                   summary="Solar again.", body_html="<p>Desalination by the sea.</p>")])
    # One moment for both: the score discounts age.
    moment = timezone.now()
    full = search_releases(query="solar desalination", prefer_language="ar", now=moment)
    # The match, the releases with their issuers, and the matched localizations.
    with django_assert_num_queries(3):
        light = search_releases(query="solar desalination", prefer_language="ar", now=moment, relations=False)
        shown = [(hit.release.issuer.slug, hit.release.kind) for hit in light.hits]
    assert len(full.hits) == 2 and light.total == full.total
    assert [(hit.release.pk, hit.language, hit.headline, hit.snippet, hit.score) for hit in light.hits] == [
        (hit.release.pk, hit.language, hit.headline, hit.snippet, hit.score) for hit in full.hits]
    assert shown == [(hit.release.issuer.slug, hit.release.kind) for hit in full.hits]


def test_every_word_of_a_query_must_match(two_releases: tuple[Release, Release]) -> None:
    plant, _ = two_releases
    assert _ids("solar desalination") == {str(plant.pk)}
    assert _ids("solar payments") == set()
    assert _ids("태양 결제") == set()


def test_a_query_of_punctuation_only_finds_nothing(two_releases: tuple[Release, Release]) -> None:
    assert search_releases(query=" ?!… 、。 ").hits == []


def test_the_snippet_is_escaped_text_with_only_marks_added(make_release: Callable[..., Release]) -> None:
    make_release("published", localizations=[services.LocalizationInput(
        language="ar", headline="نهر للطاقة <b>تفتتح</b> محطة",
        summary="نص فيه <script>alert(1)</script> ومحطة جديدة & أكثر",
        body_html="<p>المحطة</p>")], languages=["ar"])
    hit = search_releases(query="محطة").hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<mark>ومحطة</mark>" in hit.snippet
    assert hit.headline == "نهر للطاقة &lt;b&gt;تفتتح&lt;/b&gt; <mark>محطة</mark>"


def test_filters_narrow_the_matches(two_releases: tuple[Release, Release]) -> None:
    plant, payments = two_releases
    assert _ids("Lotus", sector="fintech") == {str(payments.pk)}
    assert _ids("Lotus", sector="energy") == set()
    assert _ids("Nahr", country="AE") == {str(plant.pk)}
    assert _ids("Nahr", country="SG") == set()
    assert _ids("Nahr", issuer="nahr-energy") == {str(plant.pk)}
    assert _ids("Nahr", issuer="lotus-fintech") == set()
    assert _ids("Nahr", kind="media_advisory") == set()
    assert _ids("Lotus", language="ko") == set()  # the Korean text says 로터스
    assert _ids("로터스", language="ko") == {str(payments.pk)}
    now = timezone.now()
    assert _ids("Nahr", since=now - dt.timedelta(hours=1)) == {str(plant.pk)}
    assert _ids("Nahr", until=now - dt.timedelta(hours=1)) == set()


def test_newer_releases_rank_above_older_ones_of_equal_relevance(make_release: Callable[..., Release]) -> None:
    older, newer = make_release("published"), make_release("published")
    Release.objects.filter(pk=older.pk).update(published_at=timezone.now() - dt.timedelta(days=90))
    assert [hit.release.pk for hit in search_releases(query="desalination").hits] == [newer.pk, older.pk]


def test_a_headline_match_ranks_above_a_body_match(make_release: Callable[..., Release]) -> None:
    in_body = make_release("published", languages=["en"], original_language="en", localizations=[
        services.LocalizationInput(language="en", headline="Quarterly results",
                                   body_html="<p>The turbine plant grew.</p>")])
    in_headline = make_release("published", languages=["en"], original_language="en", localizations=[
        services.LocalizationInput(language="en", headline="A new turbine", body_html="<p>Results grew.</p>")])
    assert [hit.release.pk for hit in search_releases(query="turbine").hits] == [in_headline.pk, in_body.pk]


def test_a_release_matching_in_several_languages_comes_once_in_the_preferred_one(
        two_releases: tuple[Release, Release]) -> None:
    plant, _ = two_releases
    results = search_releases(query="Nahr", prefer_language="de")
    assert results.total == 1
    assert [(hit.release.pk, hit.language) for hit in results.hits] == [(plant.pk, "de")]


def test_results_are_paged(make_release: Callable[..., Release]) -> None:
    made = {str(make_release("published").pk) for _ in range(3)}
    first = search_releases(query="desalination", per_page=2)
    second = search_releases(query="desalination", per_page=2, page=2)
    assert (first.total, first.has_next, second.has_next, first.pages) == (3, True, False, 2)
    assert {str(hit.release.pk) for hit in first.hits + second.hits} == made
    beyond = search_releases(query="desalination", per_page=2, page=5)
    assert (beyond.hits, beyond.total, beyond.has_next) == ([], 3, False)


def test_drafts_approved_scheduled_and_withdrawn_releases_are_never_found(
        make_release: Callable[..., Release]) -> None:
    for state in ("draft", "submitted", "approved", "scheduled", "withdrawn"):
        make_release(state)
    assert search_releases(query="desalination").hits == []
    assert search_releases(query="تحلية").hits == []


def test_an_embargoed_release_is_found_from_its_second(make_release: Callable[..., Release]) -> None:
    release = make_release("scheduled")
    assert release.embargo_at is not None
    assert _ids("desalination") == set()
    # The clock publishes it at its second, indexing it in the same transaction.
    assert services.release_publish_due(release=release, now=release.embargo_at)
    assert SearchEntry.objects.filter(release=release).count() == 2
    before = release.embargo_at - dt.timedelta(seconds=1)
    assert search_releases(query="desalination", now=before).hits == []
    found = search_releases(query="desalination", now=release.embargo_at).hits
    assert [hit.release.pk for hit in found] == [release.pk]


def test_a_withdrawn_release_is_gone_at_once(make_release: Callable[..., Release],
                                              actors: dict[str, Membership]) -> None:
    release = make_release("published")
    assert _ids("desalination") == {str(release.pk)}
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    assert _ids("desalination") == set()
    assert not SearchEntry.objects.filter(release=release).exists()


def test_a_correction_replaces_the_indexed_text(make_release: Callable[..., Release],
                                                actors: dict[str, Membership]) -> None:
    release = make_release("published")
    services.release_correct(release=release, by=actors["wire_editor"], note="Renamed the plant.",
                             localizations=[services.LocalizationInput(
                                 language="en", headline="Nahr Energy opens a solar-powered reverse-osmosis plant",
                                 body_html="<p>It runs wholly on solar power.</p>", origin="human",
                                 translated_from="ar", translator="Layla Haddad")])
    assert _ids("osmosis") == {str(release.pk)}
    assert _ids("desalination") == set()
    assert _ids("تحلية") == {str(release.pk)}


def test_a_failed_lifecycle_change_leaves_the_index_as_it_was(make_release: Callable[..., Release],
                                                              actors: dict[str, Membership]) -> None:
    release = make_release("published")
    with pytest.raises(Exception, match="reason"):
        services.release_withdraw(release=release, by=actors["wire_editor"], reason=" ")
    assert _ids("desalination") == {str(release.pk)}


def test_reindex_rebuilds_the_index_from_the_public_releases(make_release: Callable[..., Release]) -> None:
    published, corrected = make_release("published"), make_release("corrected")
    make_release("withdrawn")
    SearchEntry.objects.all().delete()
    assert _ids("desalination") == set()
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert out.getvalue() == "Indexed 4 localizations.\n"
    assert _ids("desalination") == {str(published.pk), str(corrected.pk)}
    assert SearchEntry.objects.count() == 4


@pytest.mark.parametrize(("query", "problem"), [("x" * 501, "longer than 500"), ("solar\x00", "control")])
def test_a_bad_query_is_refused(query: str, problem: str) -> None:
    with pytest.raises(Exception, match=problem):
        search_releases(query=query)


# The API


def test_the_api_searches_with_q_and_says_where_each_release_matched(
        two_releases: tuple[Release, Release], api: Callable[[str | None], ApiClient]) -> None:
    plant, payments = two_releases
    response = api("issuer_member").get("/api/v1/releases", q="결제")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 1
    assert [match["id"] for match in body["matches"]] == [str(payments.pk)]
    assert body["matches"][0]["language"] == "ko"
    assert "<mark>결제</mark>" in body["matches"][0]["headline"]
    assert body["items"][0]["uri"].endswith(str(payments.pk))
    narrowed = api("issuer_member").get("/api/v1/releases", q="Nahr", language="de", sector="energy").json()
    assert [(match["id"], match["language"]) for match in narrowed["matches"]] == [(str(plant.pk), "de")]
    assert api("issuer_member").get("/api/v1/releases", q="火山").json()["items"] == []


def test_the_api_search_never_shows_embargoed_withdrawn_or_draft_releases_even_to_their_issuer(
        make_release: Callable[..., Release], api: Callable[[str | None], ApiClient]) -> None:
    for state in ("draft", "scheduled", "withdrawn"):
        make_release(state)
    for role in ("issuer_admin", "wire_editor"):
        body = api(role).get("/api/v1/releases", q="desalination").json()
        assert (body["items"], body["total"]) == ([], 0)


def test_the_api_search_pages_with_its_cursor(make_release: Callable[..., Release],
                                              api: Callable[[str | None], ApiClient]) -> None:
    made = {str(make_release("published").pk) for _ in range(3)}
    client = api("issuer_member")
    first = client.get("/api/v1/releases", q="desalination", limit=2).json()
    second = client.get("/api/v1/releases", q="desalination", limit=2, cursor=first["next_cursor"]).json()
    assert second["next_cursor"] is None
    assert {match["id"] for match in first["matches"] + second["matches"]} == made


@pytest.mark.parametrize(("params", "parameter"), [
    ({"q": "solar", "state": "draft"}, "state"),
    ({"q": "  "}, "q"),
    ({"q": "solar", "cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
    ({"q": "solar\x07"}, "q"),
    ({"q": "x" * 501}, None),
])
def test_the_api_refuses_a_bad_search_with_a_422(api: Callable[[str | None], ApiClient],
                                                 params: dict[str, str], parameter: str | None) -> None:
    response = api("issuer_member").get("/api/v1/releases", **params)
    assert response.status_code == 422, response.content
    if parameter is not None:
        assert response.json()["error"]["details"]["parameter"] == parameter


# The feeds


def _feed_ids(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["id"].split(":release:")[1].split(":")[0] for item in json.loads(response.content)["items"]]


def test_a_feed_with_q_lists_the_matching_public_releases_newest_first(
        client: Client, two_releases: tuple[Release, Release], make_release: Callable[..., Release]) -> None:
    plant, payments = two_releases
    for state in ("scheduled", "withdrawn", "draft"):
        make_release(state)
    assert _feed_ids(client, "/feeds/all.json?q=태양") == [str(plant.pk)]
    assert _feed_ids(client, "/feeds/all.json?q=支付") == [str(payments.pk)]
    assert _feed_ids(client, "/feeds/all.json?q=desalination") == [str(plant.pk)]
    assert _feed_ids(client, "/feeds/all.json?q=Nahr&language=de") == [str(plant.pk)]
    assert _feed_ids(client, "/feeds/sector/fintech.json?q=Nahr") == []
    assert _feed_ids(client, "/feeds/all.json?q=火山") == []
    title = json.loads(client.get("/feeds/all.json?q=支付").content)["title"]
    assert "支付" in title


@pytest.mark.parametrize("query", ["", "%20", "x" * 201])
def test_a_feed_refuses_an_empty_or_long_q(client: Client, query: str) -> None:
    response = client.get(f"/feeds/all.atom?q={query}")
    assert response.status_code == 400


def test_the_index_changes_in_the_lifecycles_transaction(make_release: Callable[..., Release],
                                                          actors: dict[str, Membership]) -> None:
    from django.db import transaction

    release = make_release("published")

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
        assert _ids("desalination") == set()
        raise Undo
    # The withdrawal rolled back, and the index with it.
    assert _ids("desalination") == {str(release.pk)}


# The backends


def test_auto_takes_the_databases_own_backend_and_a_mismatch_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from wireroom.search.backends.registry import spec_for

    assert spec_for("auto", "sqlite").name == "fts5"
    assert spec_for("auto", "postgresql").name == "postgres"
    assert spec_for("postgres", "postgresql").name == "postgres"
    with pytest.raises(ImproperlyConfigured, match="needs postgresql"):
        spec_for("postgres", "sqlite")
    with pytest.raises(ImproperlyConfigured, match="no backend 'elastic'"):
        spec_for("elastic", "sqlite")


def test_the_backend_setting_takes_only_known_names() -> None:
    from wireroom import conf

    assert conf.load({"WIREROOM_SEARCH_BACKEND": " FTS5 "})["WIREROOM_SEARCH_BACKEND"] == "fts5"
    with pytest.raises(Exception, match="WIREROOM_SEARCH_BACKEND"):
        conf.load({"WIREROOM_SEARCH_BACKEND": "elastic"})


def test_the_rebuild_goes_batch_by_batch_and_says_how_far_it_is(make_release: Callable[..., Release],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from wireroom.search import services as search_services

    made = {str(make_release("published").pk) for _ in range(3)}
    monkeypatch.setattr(search_services, "REBUILD_BATCH", 2)
    told: list[tuple[int, int]] = []
    assert search_services.search_rebuild(progress=lambda done, total: told.append((done, total))) == 6
    assert told == [(2, 3), (3, 3)]
    assert _ids("desalination") == made


def test_a_word_in_more_texts_than_are_ranked_says_there_are_more(make_release: Callable[..., Release],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from wireroom.search.backends import fts5, postgres, sql

    for module in (sql, fts5, postgres):
        monkeypatch.setattr(module, "MAX_CANDIDATES", 2)
    for _ in range(3):
        make_release("published")
    results = search_releases(query="desalination")
    assert (len(results.hits), results.total, results.more) == (2, 2, True)
    narrowed = search_releases(query="desalination", filters=ArchiveFilters(issuer="nahr-energy"), per_page=1)
    assert (narrowed.total, narrowed.more, narrowed.has_next) == (2, True, True)
    assert search_releases(query="Nahr", filters=ArchiveFilters(language="de")).more is False
