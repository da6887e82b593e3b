"""What a webhook carries: one Standard Webhooks event per release version and format, the same bytes for every
endpoint that takes that format and for every retry.

The item comes from the formats registry, rendered once per version (`wireroom/distribution/renderings.py`). A
JSON format (ninjs) is the event's `data` itself; an XML format (NewsML-G2, NITF) is carried as text, one
document per language: `{"format", "contentType", "items": [{"language", "value"}]}`, the original first.
"""

from __future__ import annotations

import json
from typing import Any

from wireroom.distribution.channels.registry import Recipients
from wireroom.distribution.prepositioning import ENVELOPE, body_bytes
from wireroom.distribution.renderings import Rendering, Renderings, rendering
from wireroom.formats.item import iso
from wireroom.formats.registry import DEFAULT, format_names, get_format
from wireroom.releases.fanout import Upcoming
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


def envelope_key(format_name: str) -> str:
    """The RenderedItem format under which a format's pre-positioned envelope is stored."""
    return f"pre:{format_name}"


def stored_as(action: str, format_name: str) -> str:
    """The RenderedItem format a ledger row of `action` sends."""
    return envelope_key(format_name) if action == ENVELOPE else event_key(format_name)


def _items(release: Release, upcoming: Upcoming, format_name: str) -> list[Rendering]:
    fmt = get_format(format_name)
    if fmt.is_json:
        return [rendering(release=release, upcoming=upcoming, format_name=fmt.name, language=None)]
    localizations = sorted(release.localizations.all(),
                           key=lambda loc: (loc.language_id != release.original_language_id, loc.language.position))
    return [rendering(release=release, upcoming=upcoming, format_name=fmt.name, language=loc.language_id)
            for loc in localizations]


def _data(format_name: str, items: list[Rendering]) -> Any:
    fmt = get_format(format_name)
    if fmt.is_json:
        return json.loads(items[0].value)
    return {"format": fmt.name, "contentType": fmt.content_type,
            "items": [{"language": each.language, "value": each.value} for each in items]}


def keys(recipients: Recipients) -> frozenset[str]:
    """One event per format the recipients' endpoints take. An endpoint set to a format that does not exist gets
    no body (its rows fail, saying so), and the others still get theirs."""
    return frozenset(recipients.formats & set(format_names())) or frozenset({DEFAULT})


def render(release: Release, upcoming: Upcoming, formats: frozenset[str]) -> Renderings:
    """The upcoming version's event in each of `formats`, and the format renderings it carries; writes nothing."""
    made: Renderings = {}
    for format_name in sorted(formats):
        items = _items(release, upcoming, format_name)
        made |= {item.key(): item.payload() for item in items}
        made[(event_key(format_name), LANGUAGE)] = {
            "type": EVENT_TYPES[Action(upcoming.action)], "timestamp": iso(upcoming.at),
            "data": _data(format_name, items)}
    return made


__all__ = ["body_bytes", "envelope_key", "event_key", "keys", "render", "stored_as"]
