from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from tests.support.factories import HEADLINES, every_language
from wireroom.brand.services import wording_save
from wireroom.feeds import views
from wireroom.releases.models import Release
from wireroom.taxonomy.models import Sector

ATOM = "{http://www.w3.org/2005/Atom}"
KINDS = ("rss", "atom", "json")


def _get(client: Client, url: str, **headers: Any) -> Any:
    return client.get(url, headers=headers)


def _entries(client: Client, url: str) -> list[dict[str, Any]]:
    """The entries of a feed of any kind, as (id, title, language, updated, content)."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    if url.split("?")[0].endswith(".json"):
        document = json.loads(response.content)
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        return [{"id": item["id"], "title": item["title"], "language": item["language"],
                 "updated": item["date_modified"], "published": item["date_published"],
                 "content": item["content_html"], "tags": item["tags"]} for item in document["items"]]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [{"id": entry.id, "title": entry.title, "language": entry.title_detail.get("language"),
             "updated": entry.get("updated", ""), "published": entry.get("published"),
             "content": entry.content[0].value if "content" in entry else entry.description,
             "tags": [tag.get("label") or tag.term for tag in entry.get("tags", [])]} for entry in parsed.entries]


def _ids(client: Client, url: str) -> set[str]:
    return {entry["id"].split(":release:")[1].split(":")[0] for entry in _entries(client, url)}


@pytest.mark.parametrize("kind", KINDS)
def test_every_feed_kind_reads_cleanly_in_all_fifteen_languages(
        client: Client, make_release: Callable[..., Release], kind: str) -> None:
    release = make_release("published", **every_language())
    assert len(HEADLINES) == 15
    for language in HEADLINES:
        entries = _entries(client, f"/feeds/language/{language}.{kind}")
        assert [entry["title"] for entry in entries] == [HEADLINES[language]]
        entry = entries[0]
        assert entry["id"] == f"{release.urn}:{language}"
        if kind != "rss":  # RSS carries its language once, on the channel
            assert entry["language"] == language
        # The whole wire item: credit line, body, disclaimer, sectors line and boilerplate.
        assert 'class="credit"' in entry["content"]
        assert 'class="disclaimer"' in entry["content"]
        assert 'class="sectors"' in entry["content"]
        assert 'class="boilerplate"' in entry["content"]
        assert HEADLINES[language] in entry["content"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_language_feed_says_its_language(client: Client, make_release: Callable[..., Release], kind: str) -> None:
    make_release("published", **every_language())
    parsed = feedparser.parse(client.get(f"/feeds/language/ar.{kind}").content)
    assert parsed.feed.language == "ar"
    labels = {tag.get("label") or tag.term for tag in parsed.entries[0].tags}
    assert labels == {Sector.objects.get(slug=slug).label("ar") for slug in every_language()["sectors"]}


def test_the_sectors_are_categories_labelled_in_the_entrys_language(
        client: Client, make_release: Callable[..., Release]) -> None:
    make_release("published", sectors=["energy"])
    atom = etree.fromstring(client.get("/feeds/language/ar.atom").content)
    category = atom.find(f"{ATOM}entry/{ATOM}category")
    assert category is not None
    assert category.get("term") == "energy"
    assert category.get("label") == "الطاقة"
    rss = etree.fromstring(client.get("/feeds/language/en.rss").content)
    assert [c.text for c in rss.iterfind("channel/item/category")] == ["Energy"]
    document = json.loads(client.get("/feeds/language/en.json").content)
    assert document["items"][0]["tags"] == ["Energy"]


@pytest.mark.parametrize("kind", KINDS)
def test_only_public_releases_are_in_a_feed(client: Client, make_release: Callable[..., Release],
                                            kind: str) -> None:
    published = make_release("published")
    corrected = make_release("corrected")
    embargoed = make_release("scheduled")
    withdrawn = make_release("withdrawn")
    draft = make_release("approved")
    for url in (f"/feeds/all.{kind}", f"/feeds/language/ar.{kind}", f"/feeds/sector/daily-news.{kind}",
                f"/feeds/issuer/nahr-energy.{kind}", f"/feeds/country/AE.{kind}"):
        ids = _ids(client, url)
        assert ids == {str(published.id), str(corrected.id)}, url
        assert not ids & {str(embargoed.id), str(withdrawn.id), str(draft.id)}


@pytest.mark.parametrize("kind", KINDS)
def test_an_embargoed_release_appears_only_once_its_second_has_passed(
        client: Client, make_release: Callable[..., Release], kind: str) -> None:
    embargoed = make_release("scheduled")
    assert _ids(client, f"/feeds/all.{kind}") == set()
    embargo = embargoed.embargo_at
    assert embargo is not None
    # The clock publishes it at its embargo second; until that moment passes it stays out.
    Release.objects.filter(pk=embargoed.pk).update(state="published", published_at=embargo)
    assert _ids(client, f"/feeds/all.{kind}") == set()
    Release.objects.filter(pk=embargoed.pk).update(embargo_at=timezone.now() - dt.timedelta(seconds=1),
                                                   published_at=timezone.now() - dt.timedelta(seconds=1))
    assert _ids(client, f"/feeds/all.{kind}") == {str(embargoed.id)}


@pytest.mark.parametrize("kind", KINDS)
def test_a_correction_is_an_updated_entry_with_its_note(client: Client, make_release: Callable[..., Release],
                                                        actors: dict[str, Any], kind: str) -> None:
    from wireroom.releases import services

    release = make_release("published")
    before = _entries(client, f"/feeds/all.{kind}")[0]
    if kind == "rss":
        item = etree.fromstring(client.get("/feeds/all.rss").content).find("channel/item")
        assert item is not None and item.find(f"{ATOM}updated") is None
    services.release_correct(release=release, by=actors["wire_editor"], note="The plant makes 60,000 m³ a day.")
    after = _entries(client, f"/feeds/all.{kind}")
    assert len(after) == 1
    assert after[0]["id"] == before["id"]
    assert "The plant makes 60,000 m³ a day." in after[0]["content"]
    assert "The plant makes" not in before["content"]
    if kind == "rss":
        # RSS has no update time of its own: a corrected item carries Atom's, which feed readers know.
        item = etree.fromstring(client.get("/feeds/all.rss").content).find("channel/item")
        assert item is not None and item.findtext(f"{ATOM}updated")
    else:
        assert before["updated"] == before["published"]
        assert after[0]["updated"] > after[0]["published"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_withdrawn_release_leaves_the_feed_and_changes_its_validators(
        client: Client, make_release: Callable[..., Release], actors: dict[str, Any], kind: str) -> None:
    from wireroom.releases import services

    kept = make_release("published")
    gone = make_release("published")
    first = client.get(f"/feeds/all.{kind}")
    assert _ids(client, f"/feeds/all.{kind}") == {str(kept.id), str(gone.id)}
    services.release_withdraw(release=gone, by=actors["wire_editor"], reason="Issued in error.")
    assert _ids(client, f"/feeds/all.{kind}") == {str(kept.id)}
    again = _get(client, f"/feeds/all.{kind}", if_none_match=first["ETag"])
    assert again.status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_a_conditional_get_of_an_unchanged_feed_is_304(client: Client, make_release: Callable[..., Release],
                                                       kind: str) -> None:
    make_release("published")
    url = f"/feeds/all.{kind}"
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    by_tag = _get(client, url, if_none_match=first["ETag"])
    assert by_tag.status_code == 304
    assert by_tag["ETag"] == first["ETag"]
    assert by_tag.content == b""
    by_date = _get(client, url, if_modified_since=first["Last-Modified"])
    assert by_date.status_code == 304
    other = _get(client, f"/feeds/all.{kind}?language=en", if_none_match=first["ETag"])
    assert other.status_code == 200


@pytest.mark.parametrize("kind", ["rss", "json"])
def test_an_edit_of_the_wires_wording_changes_the_feeds_validators(
        client: Client, make_release: Callable[..., Release], kind: str) -> None:
    make_release("published")
    url = f"/feeds/all.{kind}"
    first = client.get(url)
    wording_save(language="ar", by=None, values={"disclaimer_press_release": "{issuer} — {wire}."})
    again = _get(client, url, if_none_match=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    contents = [entry["content"] for entry in _entries(client, url)]
    assert any("\u2068Nahr Energy\u2069 — Wireroom." in content for content in contents)  # the Arabic entry


def test_rss_has_the_elements_rss_2_requires(client: Client, make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    rss = etree.fromstring(client.get("/feeds/all.rss").content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel is not None
    for name in ("title", "link", "description", "lastBuildDate"):
        assert (channel.findtext(name) or "").strip(), name
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "http://127.0.0.1:8000/feeds/all.rss"
    item = channel.find("item")
    assert item is not None
    for name in ("title", "link", "description", "guid", "pubDate"):
        assert (item.findtext(name) or "").strip(), name
    assert item.findtext("link") == f"http://127.0.0.1:8000/releases/{release.id}/ar/"
    guid = item.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"


def test_atom_has_the_elements_rfc_4287_requires(client: Client, make_release: Callable[..., Release]) -> None:
    make_release("published")
    atom = etree.fromstring(client.get("/feeds/all.atom").content)
    assert atom.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (atom.findtext(f"{ATOM}{name}") or "").strip(), name
    assert atom.find(f"{ATOM}author/{ATOM}name") is not None
    assert atom.find(f"{ATOM}link[@rel='self']") is not None
    entry = atom.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    for name in ("id", "title", "updated", "published"):
        assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html" and "(Wireroom) –" in (content.text or "")
    assert entry.find(f"{ATOM}link[@rel='alternate']") is not None


def test_json_feed_has_what_version_1_1_requires(client: Client, make_release: Callable[..., Release]) -> None:
    make_release("published")
    response = client.get("/feeds/language/ar.json")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    document = json.loads(response.content)
    assert document["title"] and document["feed_url"] == "http://127.0.0.1:8000/feeds/language/ar.json"
    assert document["language"] == "ar"
    item = document["items"][0]
    assert item["id"] and item["url"] and item["content_html"] and item["language"] == "ar"


def test_facets_combine_by_query(client: Client, make_release: Callable[..., Release]) -> None:
    energy = make_release("published", sectors=["energy"])
    finance = make_release("published", sectors=["banking-finance"])
    english_only = make_release("published", sectors=["energy"], original_language="en",
                                localizations=[every_language()["localizations"][0]])
    assert _ids(client, "/feeds/all.atom?language=ar&sector=energy") == {str(energy.id)}
    assert _ids(client, "/feeds/sector/energy.rss") == {str(energy.id), str(english_only.id)}
    assert _ids(client, "/feeds/language/ar.json?sector=banking-finance") == {str(finance.id)}
    assert _ids(client, "/feeds/region/mena.atom") == set()
    assert _ids(client, "/feeds/issuer/lotus-fintech.atom") == set()
    assert _ids(client, "/feeds/country/SA.atom?language=en") == {str(energy.id), str(finance.id),
                                                                  str(english_only.id)}


def test_a_region_feed_lists_the_releases_targeting_that_region(
        client: Client, make_release: Callable[..., Release]) -> None:
    gulf = make_release("published", regions=["gcc"])
    make_release("published")
    assert _ids(client, "/feeds/region/gcc.atom") == {str(gulf.id)}


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/feeds/all.atom?query=solar", 400, "Unknown parameter: query"),
    ("/feeds/all.atom?q=solar&q=wind", 400, "once"),
    ("/feeds/all.rss?langauge=ar", 400, "langauge"),
    ("/feeds/all.json?sector=energy&sector=banking-finance", 400, "once"),
    ("/feeds/language/ar.atom?language=en", 400, "already names its language"),
    ("/feeds/all.atom?before=yesterday", 400, "rel=\"next\""),
    ("/feeds/all.atom?language=", 400, "language is empty"),
    ("/feeds/language/xx.atom", 404, "No language 'xx'"),
    ("/feeds/sector/astrology.rss", 404, "No sector 'astrology'"),
    ("/feeds/issuer/nobody.json", 404, "No issuer 'nobody'"),
    ("/feeds/country/ZZ.atom", 404, "No country 'ZZ'"),
    ("/feeds/region/atlantis.atom", 404, "No region 'atlantis'"),
    ("/feeds/all.atom?sector=%00", 404, "No sector"),
])
def test_bad_feed_requests_get_a_clear_error(client: Client, db: Any, url: str, status: int, words: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    error = json.loads(response.content)["error"]
    assert words in error["message"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_pages_back_through_the_archive(client: Client, make_release: Callable[..., Release],
                                               monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [make_release("published") for _ in range(3)]
    first = client.get(f"/feeds/all.{kind}?language=ar")
    links = _links(first.content, kind)
    assert "next" in links
    if kind != "json":
        assert links["prev-archive"] == links["next"]
    assert links["next"].startswith("http://127.0.0.1:8000/feeds/all.")
    older_path = links["next"].removeprefix("http://127.0.0.1:8000")
    page_one = _ids(client, f"/feeds/all.{kind}?language=ar")
    page_two = _ids(client, older_path)
    assert len(page_one) == 2 and len(page_two) == 1
    assert page_one | page_two == {str(release.id) for release in made}
    older = _links(client.get(older_path).content, kind)
    assert "next" not in older
    if kind != "json":
        assert older["current"] == "http://127.0.0.1:8000/feeds/all." + kind + "?language=ar"


def _links(content: bytes, kind: str) -> dict[str, str]:
    if kind == "json":
        document = json.loads(content)
        return {"next": document["next_url"]} if "next_url" in document else {}
    root = etree.fromstring(content)
    found = root.iterfind(f"{ATOM}link") if kind == "atom" else root.iterfind(f"channel/{ATOM}link")
    return {str(link.get("rel")): str(link.get("href")) for link in found}


def test_a_feed_holds_the_newest_fifty_entries_and_links_to_the_rest(
        client: Client, make_release: Callable[..., Release]) -> None:
    made = [make_release("published") for _ in range(51)]
    newest = _entries(client, "/feeds/all.atom")
    assert len(newest) == 50
    assert made[0].urn + ":ar" not in {entry["id"] for entry in newest}
    older = _links(client.get("/feeds/all.atom").content, "atom")["next"].removeprefix("http://127.0.0.1:8000")
    assert [entry["id"] for entry in _entries(client, older)] == [made[0].urn + ":ar"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_feed_names_itself_and_the_wires_own_hub_or_the_hub_that_is_set(
        client: Client, make_release: Callable[..., Release], settings: Any, kind: str) -> None:
    make_release("published")
    url = f"/feeds/issuer/nahr-energy.{kind}"
    own = "http://127.0.0.1:8000/websub/hub"
    plain = client.get(url)
    assert plain["Link"] == f'<http://127.0.0.1:8000{url}>; rel="self", <{own}>; rel="hub"'
    links = _links(plain.content, kind)
    if kind == "json":
        assert json.loads(plain.content)["hubs"] == [{"type": "WebSub", "url": own}]
    else:
        assert links["self"] == "http://127.0.0.1:8000" + url
        assert links["hub"] == own
    settings.WEBSUB_HUB = "https://hub.example.net/"
    hubbed = client.get(url)
    assert '<https://hub.example.net/>; rel="hub"' in hubbed["Link"]
    assert own not in hubbed.content.decode()
    if kind == "json":
        assert json.loads(hubbed.content)["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]
    else:
        assert _links(hubbed.content, kind)["hub"] == "https://hub.example.net/"
    # A hub named in the feed is part of what a client caches.
    assert hubbed["ETag"] != plain["ETag"]


def test_the_home_page_and_a_release_page_announce_their_feeds(
        client: Client, make_release: Callable[..., Release]) -> None:
    release = make_release("published", **every_language())
    home = client.get("/").content.decode()
    for kind, media_type in (("atom", "application/atom+xml"), ("rss", "application/rss+xml"),
                             ("json", "application/feed+json")):
        assert f'<link rel="alternate" type="{media_type}"' in home
        assert f'href="/feeds/all.{kind}"' in home
    page = client.get(f"/releases/{release.id}/th/").content.decode()
    head = page.split("</head>")[0]
    for kind in ("atom", "rss", "json"):
        assert f'href="/feeds/language/th.{kind}"' in head
        assert client.get(f"/feeds/language/th.{kind}").status_code == 200
