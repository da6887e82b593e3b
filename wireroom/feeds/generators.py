"""RSS 2.0 and Atom 1.0 through Django's feed generator, JSON Feed 1.1 as the JSON its specification describes.

Django's generators write the required elements; the subclasses add what a wire's feed needs beyond them: the
full item as HTML (Atom `content`), each entry's language (`xml:lang`), sectors as labelled categories, the
update time of a corrected entry in RSS (`atom:updated`), and the links for paging (RFC 5005) and WebSub.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

ATOM_NS = "http://www.w3.org/2005/Atom"
ARCHIVE_NS = "http://purl.org/syndication/history/1.0"


@dataclass(frozen=True)
class Category:
    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    language: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    home_url: str
    feed_id: str
    self_url: str
    language: str | None
    author: str
    # (rel, href): next, prev-archive, first, current, hub.
    links: tuple[tuple[str, str], ...]
    archive: bool
    updated: dt.datetime


def _categories(handler: SimplerXMLGenerator, item: dict[str, Any], *, atom: bool) -> None:
    for category in item["sectors"]:
        if atom:
            handler.addQuickElement("category", "", {"term": category.term, "label": category.label,
                                                     "scheme": category.scheme})
        else:
            handler.addQuickElement("category", category.label, {"domain": category.scheme})


class WireRss(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:fh": ARCHIVE_NS}

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        for rel, href in self.feed["wire_links"]:
            handler.addQuickElement("atom:link", None, {"rel": rel, "href": href})
        if self.feed["archive"]:
            handler.addQuickElement("fh:archive", None)

    def latest_post_date(self) -> dt.datetime:
        updated: dt.datetime = self.feed["updated"]
        return updated

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        _categories(handler, item, atom=False)
        # RSS has no update time of its own; Atom's element is the one feed readers know.
        if item["updateddate"] is not None and item["updateddate"] != item["pubdate"]:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


class WireAtom(Atom1Feed):
    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:fh": ARCHIVE_NS}

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        for rel, href in self.feed["wire_links"]:
            handler.addQuickElement("link", "", {"rel": rel, "href": href})
        if self.feed["archive"]:
            handler.addQuickElement("fh:archive", None)

    def latest_post_date(self) -> dt.datetime:
        updated: dt.datetime = self.feed["updated"]
        return updated

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        _categories(handler, item, atom=True)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def _syndication(feed_class: type[SyndicationFeed], channel: Channel, entries: list[Entry],
                 *, atom: bool) -> bytes:
    feed = feed_class(
        title=channel.title, link=channel.home_url, description=channel.description, language=channel.language,
        author_name=channel.author, feed_url=channel.self_url, feed_guid=channel.feed_id,
        wire_links=channel.links, archive=channel.archive, updated=channel.updated,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title, link=entry.url,
            # RSS readers show `description`: the whole item. Atom has a summary and a content of its own.
            # The summary is plain text; Atom's is declared HTML, so it is escaped.
            description=escape(entry.summary) if atom else entry.content_html,
            author_name=entry.author, pubdate=entry.published, updateddate=entry.updated, unique_id=entry.id,
            unique_id_is_permalink=False, language=entry.language, content_html=entry.content_html,
            sectors=entry.categories,
        )
    return feed.writeString("utf-8").encode()


def rss(channel: Channel, entries: list[Entry]) -> bytes:
    return _syndication(WireRss, channel, entries, atom=False)


def atom(channel: Channel, entries: list[Entry]) -> bytes:
    return _syndication(WireAtom, channel, entries, atom=True)


def json_feed(channel: Channel, entries: list[Entry]) -> bytes:
    links = dict(channel.links)
    document: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "home_page_url": channel.home_url,
        "feed_url": channel.self_url,
        "description": channel.description,
        "authors": [{"name": channel.author}],
    }
    if channel.language:
        document["language"] = channel.language
    if "next" in links:
        document["next_url"] = links["next"]
    if "hub" in links:
        document["hubs"] = [{"type": "WebSub", "url": links["hub"]}]
    document["items"] = [
        {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
            **({"summary": entry.summary} if entry.summary else {}),
            "date_published": rfc3339_date(entry.published),
            "date_modified": rfc3339_date(entry.updated),
            "authors": [{"name": entry.author}],
            "language": entry.language,
            "tags": [category.label for category in entry.categories],
        }
        for entry in entries
    ]
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    write: Callable[[Channel, list[Entry]], bytes]


KINDS = {
    "rss": Kind("RSS 2.0", "application/rss+xml; charset=utf-8", rss),
    "atom": Kind("Atom 1.0", "application/atom+xml; charset=utf-8", atom),
    "json": Kind("JSON Feed 1.1", "application/feed+json; charset=utf-8", json_feed),
}
