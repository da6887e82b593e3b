"""NITF 3.6: one document per release and language, the wire anatomy in its body.

NewsML-G2 carries the same document in its `inlineXML`, so the builder is shared (`nitf_element`).
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
from lxml import etree

from wireroom.brand.selectors import brand
from wireroom.formats.item import MEDIA_TOPIC_URI, Item, item_of
from wireroom.formats.registry import Format, register
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Localization, Release

NS = "http://iptc.org/std/NITF/2006-10-18/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/nitf+xml"
# The sanitizer's block tags (wireroom/lib/html.py) and what NITF calls them.
BLOCKS = {"p": "p", "h2": "hl2", "h3": "hl2", "h4": "hl2", "pre": "pre", "figcaption": "p", "caption": "p"}
LISTS = {"ul": "ul", "ol": "ol"}
# Inline tags NITF has; every other inline tag keeps its text and loses its markup.
INLINES = {"a": "a", "em": "em", "i": "em", "strong": "em", "b": "em", "q": "q", "br": "br"}
CONTAINERS = frozenset({"figure", "thead", "tbody", "div", "section", "article"})


# Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF); lxml refuses them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return NOT_XML.sub("", value)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), {key: xml_text(value) for key, value in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element


def _add_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    text = xml_text(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inline(source: etree._Element, target: etree._Element) -> None:
    """Copy `source`'s content into `target` as NITF enriched text."""
    _add_text(target, source.text)
    for child in source:
        _inline_child(child, target)
        _add_text(target, child.tail)


def _inline_child(child: etree._Element, target: etree._Element) -> None:
    tag = child.tag if isinstance(child.tag, str) else None
    if tag in INLINES:
        element = _sub(target, INLINES[tag])
        if tag == "a" and child.get("href"):
            element.set("href", xml_text(str(child.get("href"))))
        if tag != "br":
            _inline(child, element)
    elif tag is not None:
        _inline(child, target)


def _table(source: etree._Element, target: etree._Element) -> None:
    # A wire item's tables are small; each row becomes a paragraph of its cells, which every reader displays.
    for caption in source.iter("caption"):
        _inline(caption, _sub(target, "p", **{"class": "caption"}))
    for row in source.iter("tr"):
        paragraph = _sub(target, "p", **{"class": "table-row"})
        for index, cell in enumerate(row):
            if index:
                _add_text(paragraph, " | ")
            _inline(cell, paragraph)


def blocks_from_html(html: str, target: etree._Element) -> None:
    """Sanitized HTML (wireroom/lib/html.py) as NITF block content appended to `target`."""
    if not html.strip():
        return
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    _blocks(fragment, target)


def _blocks(source: etree._Element, target: etree._Element) -> None:
    loose: etree._Element | None = None

    def paragraph() -> etree._Element:
        nonlocal loose
        if loose is None:
            loose = _sub(target, "p")
        return loose

    if source.text and source.text.strip():
        _add_text(paragraph(), source.text)
    for child in source:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag in BLOCKS:
            loose = None
            _inline(child, _sub(target, BLOCKS[tag]))
        elif tag in LISTS:
            loose = None
            listing = _sub(target, LISTS[tag])
            for entry in child:
                if isinstance(entry.tag, str):
                    _inline(entry, _sub(listing, "li"))
        elif tag == "blockquote":
            loose = None
            _blocks(child, _sub(_sub(target, "bq"), "block"))
        elif tag == "table":
            loose = None
            _table(child, target)
        elif tag == "hr":
            loose = None
            _sub(target, "hr")
        elif tag in CONTAINERS:
            loose = None
            _blocks(child, target)
        elif tag is not None:
            holder = paragraph()
            _inline_child(child, holder)
            _add_text(holder, child.tail)
            continue
        if child.tail and child.tail.strip():
            _add_text(paragraph(), child.tail)


def _norm(moment: dt.datetime | None) -> str | None:
    """NITF's dates: ISO 8601 basic format, in UTC."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ") if moment else None


def nitf_element(item: Item, localization: Localization) -> etree._Element:
    release = item.release
    anatomy = item.anatomy(localization)
    tag = localization.language_id
    root = etree.Element(_q("nitf"), nsmap={None: NS})
    root.set(XML_LANG, tag)
    head = _sub(root, "head")
    _sub(head, "title", localization.headline)
    tobject = _sub(head, "tobject", **{"tobject.type": "news"})
    for code, sector in item.media_topics:
        _sub(tobject, "tobject.subject", **{
            "tobject.subject.ipr": "IPTC-MediaTopic", "tobject.subject.refnum": code.removeprefix("medtop:"),
            "tobject.subject.matter": sector.label("en")})
    docdata = _sub(head, "docdata", **{"management-status": item.pub_status})
    if item.correction_note:
        _sub(docdata, "correction", info=item.correction_note, **{"id-string": item.uri(tag)})
        _sub(docdata, "ed-msg", **{"msg-type": "correction", "info": item.correction_note})
    wire = brand(language=tag).wire_name
    _sub(docdata, "doc-id", **{"id-string": item.uri(tag), "regsrc": wire})
    issued = _norm(item.content_created or item.version_created)
    if issued:
        _sub(docdata, "date.issue", norm=issued)
    embargo = _norm(release.embargo_at)
    if embargo:
        _sub(docdata, "date.release", norm=embargo)
    _sub(docdata, "doc.copyright", holder=release.issuer.name)
    if item.media_topics:
        identified = _sub(docdata, "identified-content")
        for code, sector in item.media_topics:
            _sub(identified, "classifier", sector.label(tag), type="subject", idsrc=MEDIA_TOPIC_URI, value=code)
    _sub(head, "pubdata", type="web", name=wire, **{"date.publication": issued or ""})

    body = _sub(root, "body")
    body_head = _sub(body, "body.head")
    _sub(_sub(body_head, "hedline"), "hl1", localization.headline)
    for note in (anatomy.correction_note, anatomy.origin_note, anatomy.update_note):
        if note:
            _sub(_sub(_sub(body_head, "note", noteclass="editorsnote"), "body.content"), "p", note)
    _sub(body_head, "distributor", wire)
    if release.dateline:
        _sub(body_head, "dateline", release.dateline)
    if localization.summary:
        _sub(_sub(body_head, "abstract"), "p", localization.summary)

    content = _sub(body, "body.content")
    _sub(content, "p", anatomy.lede_line, lede="true", **{"class": "lede"})
    blocks_from_html(anatomy.rest_html, content)
    if anatomy.contacts:
        _sub(content, "hl2", anatomy.contact_heading, **{"class": "contacts"})
        for contact in anatomy.contacts:
            line = ", ".join(str(contact[key]) for key in ("name", "organization", "email", "phone")
                             if contact.get(key))
            _sub(content, "p", line, **{"class": "contact"})
    _sub(content, "p", anatomy.disclaimer, **{"class": "disclaimer"})
    if anatomy.sectors_line:
        _sub(content, "p", anatomy.sectors_line, **{"class": "sectors"})
    _sub(content, "p", anatomy.boilerplate, **{"class": "boilerplate"})
    return root


def serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def render(*, release: Release, version: int | None, language: str | None, action: str | None,
           upcoming: Upcoming | None = None) -> bytes:
    item = item_of(release=release, version=version, action=action, upcoming=upcoming)
    return serialize(nitf_element(item, item.localization(language)))


NITF = register(Format(
    name="nitf", standard="NITF", version="3.6", media_type=MEDIA_TYPE, extension="xml", render=render,
    accept=(MEDIA_TYPE,),
))
