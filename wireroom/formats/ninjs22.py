"""ninjs 2.2, for consumers that have not moved to 3.x: the 3.1 item with 2.x's property names.

2.x spells every property in lower case (`versioncreated`, `contenttype`), calls the embargo `embargoed`, and
knows no `rel` on an association.
"""

from __future__ import annotations

from typing import Any

from wireroom.formats.item import item_of
from wireroom.formats.ninjs import MEDIA_TYPE, dump, ninjs_item
from wireroom.formats.registry import Format, register
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Release

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#"
RENAMED = {"embargoedUntil": "embargoed"}


def _spell(value: Any, *, association: bool = False) -> Any:
    if isinstance(value, list):
        return [_spell(entry) for entry in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, entry in value.items():
        if association and key == "rel":
            continue
        name = RENAMED.get(key, key.lower())
        if key == "associations":
            out[name] = [_spell(each, association=True) for each in entry]
        else:
            out[name] = _spell(entry)
    return out


def to_22(item31: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = _spell(item31)
    item["standard"] = {"name": "ninjs", "version": "2.2", "schema": SCHEMA_URI}
    return item


def render(*, release: Release, version: int | None, language: str | None, action: str | None,
           upcoming: Upcoming | None = None) -> bytes:
    item = item_of(release=release, version=version, action=action, upcoming=upcoming)
    return dump(to_22(ninjs_item(item, language)))


NINJS_22 = register(Format(
    name="ninjs-2.2", standard="ninjs", version="2.2", media_type=MEDIA_TYPE, extension="json", render=render,
    accept=(f"{MEDIA_TYPE}; version=2.2",),
))
