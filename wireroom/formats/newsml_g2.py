"""NewsML-G2 2.35: one `newsItem` per release and language, the translations linked to the item they came from.

The body is the NITF document of the same language (`wireroom/formats/nitf.py`) in `inlineXML`, so the wire
anatomy (credit line, disclaimer, sectors line, boilerplate) travels in it. Every QCode's scheme is declared
in the item's own catalog.
"""

from __future__ import annotations

from django.conf import settings
from lxml import etree

from wireroom.brand.selectors import brand
from wireroom.formats.item import Item, iso, item_of
from wireroom.formats.nitf import MEDIA_TYPE as NITF_MEDIA_TYPE
from wireroom.formats.nitf import nitf_element, serialize, xml_text
from wireroom.formats.registry import Format, register
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Acceptance, Localization, Origin, Release

NS = "http://iptc.org/std/nar/2006-10-01/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/vnd.iptc.g2.newsitem+xml"
STANDARD_VERSION = "2.35"
# The schemes of every QCode the items use, declared in each item rather than by a remote catalog.
SCHEMES = {
    "ninat": "http://cv.iptc.org/newscodes/ninature/",
    "stat": "http://cv.iptc.org/newscodes/pubstatusg2/",
    "sig": "http://cv.iptc.org/newscodes/signal/",
    "irel": "http://cv.iptc.org/newscodes/itemrelation/",
    "cpnat": "http://cv.iptc.org/newscodes/cpnature/",
    "drol": "http://cv.iptc.org/newscodes/descriptionrole/",
    "medtop": "http://cv.iptc.org/newscodes/mediatopic/",
    "iso3166-1a2": "http://cv.iptc.org/newscodes/iso3166-1a2/",
    "dst": "http://cv.iptc.org/newscodes/digitalsourcetype/",
}
GENRES = {"press_release": "Press release", "third_party_article": "Article", "media_advisory": "Media advisory"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), {key: xml_text(value) for key, value in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element


def _named(parent: etree._Element, tag: str, name: str, language: str | None = None, **attrs: str) -> None:
    element = _sub(parent, tag, **attrs)
    label = _sub(element, "name", name)
    if language:
        label.set(XML_LANG, language)


def machine_label(localization: Localization) -> str:
    """The label every output gives a machine translation: reviewed by the issuer, or let out unreviewed."""
    if localization.issuer_acceptance == Acceptance.UNREVIEWED:
        return "machine translation, unreviewed"
    return "machine translation"


def engine_chain_text(chain: list[dict[str, str]]) -> str:
    """Each hop of the engine chain with its version: "apertium 3.8.3 (en→es), apertium 3.8.3 (es→pt)"."""
    return ", ".join(f"{hop['engine']} {hop.get('version', '')}".strip() + f" ({hop['source']}→{hop['target']})"
                     for hop in chain)


def news_item(item: Item, localization: Localization) -> etree._Element:
    release = item.release
    tag = localization.language_id
    root = etree.Element(_q("newsItem"), nsmap={None: NS}, guid=item.uri(tag), version=str(max(item.version, 1)),
                         standard="NewsML-G2", standardversion=STANDARD_VERSION, conformance="power")
    root.set(XML_LANG, tag)
    catalog = _sub(root, "catalog")
    for alias, uri in SCHEMES.items():
        _sub(catalog, "scheme", alias=alias, uri=uri)
    rights = _sub(root, "rightsInfo")
    _named(rights, "copyrightHolder", release.issuer.name, literal=release.issuer.slug)

    meta = _sub(root, "itemMeta")
    _sub(meta, "itemClass", qcode="ninat:text")
    _named(meta, "provider", brand(language=tag).wire_name, literal=settings.URN_NAMESPACE)
    _sub(meta, "versionCreated", iso(item.version_created))
    _sub(meta, "firstCreated", iso(release.created_at))
    if release.embargo_at:
        _sub(meta, "embargoed", iso(release.embargo_at))
    _sub(meta, "pubStatus", qcode=f"stat:{item.pub_status}")
    if item.correction_note:
        _sub(meta, "edNote", item.correction_note)
    if localization.translation_update:
        # "Translation pending update" or "updated" after a correction of the original, in the item's language.
        _sub(meta, "edNote", item.anatomy(localization).update_note).set(XML_LANG, tag)
    if item.correction_note:
        # The schema puts every edNote before the signals.
        _sub(meta, "signal", qcode="sig:correction")
    if localization.translated_from_id and localization.pk != item.original.pk:
        source = next((loc for loc in item.localizations if loc.language_id == localization.translated_from_id),
                      item.original)
        _sub(meta, "link", rel="irel:translatedFrom", residref=item.uri(source.language_id),
             contenttype=MEDIA_TYPE)
    # The issuer's signature (docs/trust.md): the JWS as the value, the key's kid as the literal, the words as the name.
    signature = item.signature
    extension = _sub(meta, "itemMetaExtProperty", reluri=f"urn:{settings.URN_NAMESPACE}:trust:issuer-signature",
                     uri=item.signature_url(), **({"value": signature.jws, "literal": signature.kid}
                                                  if signature.signed else {}))
    _sub(extension, "name", signature.label).set(XML_LANG, "en")

    content = _sub(root, "contentMeta")
    if item.content_created:
        _sub(content, "contentCreated", iso(item.content_created))
    machine = localization.origin == Origin.MACHINE
    if machine:
        # The IPTC digital source type of text an algorithm wrote; its name carries the wire's label.
        _named(content, "digitalSourceType", machine_label(localization), "en", qcode="dst:algorithmicMedia")
    if release.dateline:
        _named(content, "located", release.dateline, tag)
    _named(content, "creator", release.issuer.name, literal=release.issuer.slug)
    _sub(content, "language", tag=tag)
    _named(content, "genre", GENRES[release.kind], "en", literal=release.kind)
    for code, sector in item.media_topics:
        _named(content, "subject", sector.label(tag), tag, type="cpnat:abstract", qcode=code)
    for country in release.countries.all():
        _named(content, "subject", country.name, "en", type="cpnat:geoArea", qcode=f"iso3166-1a2:{country.code}")
    _sub(content, "headline", localization.headline)
    if machine:
        credit = _sub(content, "creditline", f"{machine_label(localization).capitalize()}: "
                                             f"{engine_chain_text(localization.engine_chain) or localization.engine}")
        credit.set(XML_LANG, "en")
    if localization.summary:
        _sub(content, "description", localization.summary, role="drol:summary")

    inline = _sub(_sub(root, "contentSet"), "inlineXML", contenttype=NITF_MEDIA_TYPE)
    inline.append(nitf_element(item, localization))
    return root


def render(*, release: Release, version: int | None, language: str | None, action: str | None,
           upcoming: Upcoming | None = None) -> bytes:
    item = item_of(release=release, version=version, action=action, upcoming=upcoming)
    return serialize(news_item(item, item.localization(language)))


NEWSML_G2 = register(Format(
    name="newsml-g2", standard="NewsML-G2", version=STANDARD_VERSION, media_type=MEDIA_TYPE, extension="xml",
    render=render, accept=(MEDIA_TYPE,),
))
