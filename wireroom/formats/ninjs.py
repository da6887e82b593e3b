"""ninjs 3.1: one item per release, in its original language, with each translation as an association."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from wireroom.anatomy.render import Anatomy, render_item
from wireroom.formats.registry import Format, register
from wireroom.releases.models import Acceptance, Kind, Localization, Origin, Release, State
from wireroom.releases.selectors import latest_correction_note

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
GENRES = {
    Kind.PRESS_RELEASE: "press-release",
    Kind.THIRD_PARTY_ARTICLE: "article",
    Kind.MEDIA_ADVISORY: "media-advisory",
}
DIGITAL_SOURCE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _version_created(release: Release) -> Any:
    """When the distributed version was made; before the first one, the draft's last change."""
    latest = release.versions.order_by("-number").values_list("created_at", flat=True).first()
    return latest or release.updated_at


def page_url(release: Release, language: str) -> str:
    return settings.BASE_URL + reverse("newsroom:release", kwargs={"release_id": release.id, "language": language})


def _language_object(release: Release, localization: Localization, anatomy: Anatomy) -> dict[str, Any]:
    body_html = anatomy.html()
    body_text = anatomy.text()
    item: dict[str, Any] = {
        "uri": f"{release.urn}:{localization.language_id}",
        "type": "text",
        "language": localization.language_id,
        "headlines": [{"role": "main", "value": localization.headline}],
        "bodies": [
            # Counted over the whole distributed item, anatomy included, as both values carry it.
            {"role": "main", "contentType": "text/html", "value": str(body_html), "charCount": len(body_text)},
            {"role": "main", "contentType": "text/plain", "value": body_text, "charCount": len(body_text)},
        ],
        "renditions": [{
            "name": "page",
            "href": page_url(release, localization.language_id),
            "contentType": "text/html",
            "title": localization.headline,
        }],
    }
    if localization.summary:
        item["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": localization.summary}]
    if localization.origin == Origin.HUMAN and localization.translator:
        item["people"] = [{"name": localization.translator, "rel": "translator"}]
    if localization.origin == Origin.MACHINE:
        unreviewed = localization.issuer_acceptance == Acceptance.UNREVIEWED
        item["digitalSourceType"] = {"name": "machine translation, unreviewed" if unreviewed else "machine translation",
                                     "uri": DIGITAL_SOURCE + "algorithmicMedia",
                                     "literal": localization.engine}
    return item


def release_to_ninjs(release: Release, *, correction_note: str = "") -> dict[str, Any]:
    localizations = sorted(release.localizations.select_related("language"), key=lambda loc: loc.language.position)
    original = next((loc for loc in localizations if loc.language_id == release.original_language_id),
                    localizations[0])
    anatomy = render_item(release, original.language_id, correction_note=correction_note)
    item: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "uri": release.urn,
        "representationType": "full",
        "profile": "wire-item",
        "version": str(release.version),
        "firstCreated": _iso(release.created_at),
        "versionCreated": _iso(_version_created(release)),
        "pubStatus": {State.WITHDRAWN: "canceled", State.PUBLISHED: "usable",
                      State.CORRECTED: "usable"}.get(State(release.state), "withheld"),
        "genres": [{"name": GENRES[Kind(release.kind)], "literal": release.kind}],
        "copyrightHolder": release.issuer.name,
        "organisations": [{"name": release.issuer.name, "rel": "issuer", "literal": release.issuer.slug}],
        "infoSources": [{"name": settings.WIRE_NAME, "role": "distributor"}],
        "subjects": [
            {"name": sector.label("en"), "rel": "about", "uri": sector.iptc_uri, "literal": sector.slug}
            for sector in release.sectors.all()
        ],
        "places": [{"name": country.name, "literal": country.code} for country in release.countries.all()],
    }
    item |= _language_object(release, original, anatomy)
    item["uri"] = release.urn
    if release.published_at:
        item["contentCreated"] = _iso(release.published_at)
    if release.embargo_at:
        item["embargoedUntil"] = _iso(release.embargo_at)
    if release.dateline:
        item["located"] = release.dateline
    if correction_note:
        item["edNote"] = correction_note
    translations = [loc for loc in localizations if loc.pk != original.pk]
    if translations:
        item["associations"] = [
            {"name": f"translation-{loc.language_id}", "rel": "translation"}
            | _language_object(release, loc, render_item(release, loc.language_id, correction_note=correction_note))
            for loc in translations
        ]
    return {key: value for key, value in item.items() if value not in (None, [], "")}


def current_item(release: Release) -> dict[str, Any]:
    """The release as it stands, with the note of its latest correction if it has one."""
    return release_to_ninjs(release, correction_note=latest_correction_note(release))


NINJS_31 = register(Format(name="ninjs-3.1", content_type="application/json", render=current_item))
