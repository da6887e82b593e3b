"""A distributed version as it went out: the release with the text its version's snapshot froze."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from wireroom.releases.models import Localization, Release, ReleaseVersion
from wireroom.taxonomy.models import Language


def as_distributed(*, release: Release, version: ReleaseVersion) -> Release:
    """`release` holding, in memory, the localizations and text `version` was distributed with; a later
    correction's text and languages are not in it. The formats read the localizations through
    `release.localizations.all()`, which answers from the prefetched list set here. Writes nothing: the
    release is the caller's to read, never to save."""
    snapshot = version.snapshot
    prefetch_related_objects([release], "localizations__language", "localizations__translated_from")
    cached = release.localizations.all()
    current = {localization.language_id: localization for localization in cached}
    frozen = snapshot["localizations"]
    codes = {entry["language"] for entry in frozen} | {entry["translated_from"] for entry in frozen
                                                       if entry.get("translated_from")}
    languages = Language.objects.in_bulk(list(codes), field_name="code")
    localizations = []
    for entry in frozen:
        localization = current.get(entry["language"]) or Localization(release=release)
        localization.language = languages[entry["language"]]
        localization.translated_from = languages.get(entry.get("translated_from") or "")
        for name in ("headline", "summary", "body_html", "origin", "engine", "translator"):
            setattr(localization, name, entry[name])
        localizations.append(localization)
    cached._result_cache = localizations
    release.dateline = snapshot["dateline"]
    release.contacts = snapshot["contacts"]
    return release
