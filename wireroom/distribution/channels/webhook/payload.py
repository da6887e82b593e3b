"""What a webhook carries: one Standard Webhooks event per release version and format, the same bytes for every
endpoint that takes that format and for every retry.

The item comes from the formats registry, rendered once per version (`wireroom/distribution/renderings.py`). A
JSON format (ninjs) is the event's `data` itself; an XML format (NewsML-G2, NITF) is carried as text, one
document per language: `{"format", "contentType", "items": [{"language", "value"}]}`, the original first.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from wireroom.distribution.models import Delivery, RenderedItem
from wireroom.distribution.renderings import rendering
from wireroom.formats.item import iso
from wireroom.formats.registry import DEFAULT, format_names, get_format
from wireroom.releases.models import Action, Release

LANGUAGE = "*"  # one event per version and format, every language in it
EVENT_TYPES = {
    Action.PUBLISH: "release.published",
    Action.CORRECT: "release.corrected",
    Action.WITHDRAW: "release.withdrawn",
}


def event_key(format_name: str) -> str:
    """The RenderedItem format under which a format's event is stored."""
    return f"webhook:{format_name}"


def _event_time(release: Release, version: int) -> dt.datetime:
    created = release.versions.filter(number=version).values_list("created_at", flat=True).first()
    # A scheduled release is rendered before its version exists; it will carry the embargo second.
    return created or release.embargo_at or timezone.now()


def _data(release: Release, version: int, action: str, format_name: str) -> Any:
    fmt = get_format(format_name)
    if fmt.is_json:
        return json.loads(rendering(release=release, version=version, action=action, format_name=fmt.name,
                                    language=None).value)
    localizations = sorted(release.localizations.all(),
                           key=lambda loc: (loc.language_id != release.original_language_id, loc.language.position))
    items = [rendering(release=release, version=version, action=action, format_name=fmt.name,
                       language=loc.language_id) for loc in localizations]
    return {"format": fmt.name, "contentType": fmt.content_type,
            "items": [{"language": each.language, "value": each.value} for each in items]}


def event(release: Release, version: int, action: str, format_name: str = DEFAULT) -> dict[str, Any]:
    return {"type": EVENT_TYPES[Action(action)], "timestamp": iso(_event_time(release, version)),
            "data": _data(release, version, action, format_name)}


def prepare(release: Release, version: int, action: str, languages: list[str]) -> None:
    """Render the event once per version and per format the staged endpoints take; `languages` does not matter,
    the event carries them all."""
    staged = set(Delivery.objects.filter(release=release, version=version, channel="webhook")
                 .values_list("endpoint__format", flat=True).distinct())
    # An endpoint set to a format that does not exist gets no body (its rows fail, saying so), and the others
    # still get theirs.
    wanted = staged & set(format_names())
    for format_name in sorted(wanted or {DEFAULT}):
        # An existing rendering is kept: some endpoints may already have it, and a retry must carry the same bytes.
        key = event_key(format_name)
        if not RenderedItem.objects.filter(release=release, version=version, format=key, language=LANGUAGE).exists():
            RenderedItem.objects.create(release=release, version=version, format=key, language=LANGUAGE,
                                        payload=event(release, version, action, format_name))


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent; made once per version, reused for every endpoint and attempt."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
