"""ninjs 3.1, the default format: one item per release and language, the other languages as associations."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.urls import reverse

from wireroom.anatomy.render import Anatomy
from wireroom.brand.selectors import brand
from wireroom.formats.item import MEDIA_TOPIC_URI, Item, iso, item_of, page_url
from wireroom.formats.registry import Format, register
from wireroom.media.images import CONTENT_TYPES, EXTENSIONS
from wireroom.media.selectors import release_images
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Acceptance, Kind, Localization, Origin, Release

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
MEDIA_TYPE = "application/ninjs+json"
GENRES = {
    Kind.PRESS_RELEASE: "press-release",
    Kind.THIRD_PARTY_ARTICLE: "article",
    Kind.MEDIA_ADVISORY: "media-advisory",
}
DIGITAL_SOURCE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# The issuer's signature, in fields ninjs 3.1 has (its schema admits no others): docs/trust.md.
SIGNATURE_ROLE = "issuer-signature"
SIGNATURE_KEY_ROLE = "issuer-signature-kid"


def signature_fields(item: Item) -> dict[str, Any]:
    signature = item.signature
    fields: dict[str, Any] = {"trustIndicators": [{
        "role": f"urn:{settings.URN_NAMESPACE}:trust:{SIGNATURE_ROLE}", "title": signature.label,
        "href": item.signature_url()}]}
    if signature.signed:
        fields["altIds"] = [{"role": SIGNATURE_ROLE, "value": signature.jws},
                            {"role": SIGNATURE_KEY_ROLE, "value": signature.kid}]
    return fields


def _language_object(item: Item, localization: Localization, anatomy: Anatomy) -> dict[str, Any]:
    body_html = anatomy.html()
    body_text = anatomy.text()
    tag = localization.language_id
    obj: dict[str, Any] = {
        "uri": item.uri(tag),
        "type": "text",
        "language": tag,
        "headlines": [{"role": "main", "value": localization.headline}],
        "bodies": [
            # Counted over the whole distributed item, anatomy included, as both values carry it.
            {"role": "main", "contentType": "text/html", "value": str(body_html), "charCount": len(body_text)},
            {"role": "main", "contentType": "text/plain", "value": body_text, "charCount": len(body_text)},
        ],
        "renditions": [{
            "name": "page",
            "href": page_url(item.release, tag),
            "contentType": "text/html",
            "title": localization.headline,
        }],
    }
    if localization.summary:
        obj["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": localization.summary}]
    if localization.origin == Origin.HUMAN and localization.translator:
        obj["people"] = [{"name": localization.translator, "rel": "translator"}]
    if localization.origin == Origin.MACHINE:
        unreviewed = localization.issuer_acceptance == Acceptance.UNREVIEWED
        obj["digitalSourceType"] = {"name": "machine translation, unreviewed" if unreviewed else "machine translation",
                                    "uri": DIGITAL_SOURCE + "algorithmicMedia", "literal": localization.engine}
    if anatomy.update_note:
        # In the item's own language, like the page's note: whether this translation follows a corrected original.
        obj["edNote"] = anatomy.update_note
    return obj


def _image_associations(item: Item, language: str) -> list[dict[str, Any]]:
    """The release's pictures, each with its renditions and the full-size file as absolute links (answered once
    the release is public) and its alternative text in the item's language."""
    release = item.release
    associations = []
    for number, image in enumerate(release_images(release=release), start=1):
        descriptions = [{"role": "alternative-text", "contentType": "text/plain",
                         "value": image.alt_in(language, release.original_language_id)}]
        if image.caption:
            descriptions.append({"role": "caption", "contentType": "text/plain", "value": image.caption})
        association: dict[str, Any] = {
            "name": f"image-{number}", "rel": "image", "uri": f"{release.urn}:image:{image.key}", "type": "picture",
            "language": language, "descriptions": descriptions,
            "renditions": [{"name": str(rendition["name"]), "contentType": rendition["type"],
                            "width": rendition["width"], "height": rendition["height"],
                            "href": settings.BASE_URL + reverse("media:image", args=[image.key, rendition["name"]])}
                           for rendition in image.renditions]
                          + [{"name": "original", "contentType": CONTENT_TYPES[image.format], "width": image.width,
                              "height": image.height, "href": settings.BASE_URL + reverse(
                                  "media:image", args=[image.key, f"original.{EXTENSIONS[image.format]}"])}],
        }
        if image.credit:
            association["by"] = image.credit
        associations.append(association)
    return associations


def ninjs_item(item: Item, language: str | None) -> dict[str, Any]:
    """The item as a ninjs 3.1 object: `language` (None: the original) as the item, the others as associations."""
    release = item.release
    main = item.localization(language)
    obj: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "uri": release.urn,
        "representationType": "full",
        "profile": "wire-item",
        "version": str(item.version),
        "firstCreated": iso(release.created_at),
        "versionCreated": iso(item.version_created),
        "pubStatus": item.pub_status,
        "genres": [{"name": GENRES[item.kind], "literal": release.kind}],
        "copyrightHolder": release.issuer.name,
        "organisations": [{"name": release.issuer.name, "rel": "issuer", "literal": release.issuer.slug}],
        "infoSources": [{"name": brand(language=main.language_id).wire_name, "role": "distributor"}],
        "subjects": [
            {"name": sector.label("en"), "rel": "about", "uri": MEDIA_TOPIC_URI + code.removeprefix("medtop:"),
             "literal": sector.slug}
            for code, sector in item.media_topics
        ],
        "places": [{"name": country.name, "literal": country.code} for country in release.countries.all()],
    }
    obj |= _language_object(item, main, item.anatomy(main))
    obj["uri"] = release.urn
    obj["contentCreated"] = iso(item.content_created)
    obj["embargoedUntil"] = iso(release.embargo_at)
    obj["located"] = release.dateline
    obj["edNote"] = " ".join(note for note in (item.correction_note, obj.get("edNote", "")) if note)
    obj |= signature_fields(item)
    others = [loc for loc in item.localizations if loc.pk != main.pk]
    # Seen from a translation, the original is the item's source, not another translation.
    obj["associations"] = [
        ({"name": f"original-{loc.language_id}", "rel": "original"} if loc.pk == item.original.pk
         else {"name": f"translation-{loc.language_id}", "rel": "translation"})
        | _language_object(item, loc, item.anatomy(loc))
        for loc in others
    ] + _image_associations(item, main.language_id)
    return {key: value for key, value in obj.items() if value not in (None, [], "")}


def dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def render(*, release: Release, version: int | None, language: str | None, action: str | None,
           upcoming: Upcoming | None = None) -> bytes:
    return dump(ninjs_item(item_of(release=release, version=version, action=action, upcoming=upcoming), language))


NINJS = register(Format(
    name="ninjs", standard="ninjs", version="3.1", media_type=MEDIA_TYPE, extension="json", render=render,
    accept=(f"{MEDIA_TYPE}; version=3.1",),
))
