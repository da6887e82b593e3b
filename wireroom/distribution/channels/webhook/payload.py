"""What a webhook carries: one Standard Webhooks event per release version, the same bytes for every endpoint."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from wireroom.distribution.models import RenderedItem
from wireroom.formats.ninjs import release_to_ninjs
from wireroom.releases.models import Action, Release
from wireroom.releases.selectors import latest_correction_note

FORMAT = "ninjs-3.1"
LANGUAGE = "*"  # one item per version: the original with every translation as an association
EVENT_TYPES = {
    Action.PUBLISH: "release.published",
    Action.CORRECT: "release.corrected",
    Action.WITHDRAW: "release.withdrawn",
}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _event_time(release: Release, version: int) -> dt.datetime:
    created = release.versions.filter(number=version).values_list("created_at", flat=True).first()
    # A scheduled release is rendered before its version exists; it will carry the embargo second.
    return created or release.embargo_at or timezone.now()


def event(release: Release, version: int, action: str) -> dict[str, Any]:
    item = release_to_ninjs(release, correction_note=latest_correction_note(release=release) if action == Action.CORRECT
                            else "")
    # Renderings are made before the embargo second, while the release is still scheduled: describe it as it
    # will be when this goes out, not as it is now.
    item["version"] = str(version)
    if action != Action.WITHDRAW:
        item["pubStatus"] = "usable"
        if "contentCreated" not in item and release.embargo_at:
            item["contentCreated"] = _iso(release.embargo_at)
    return {"type": EVENT_TYPES[Action(action)], "timestamp": _iso(_event_time(release, version)), "data": item}


def prepare(release: Release, version: int, action: str, languages: list[str]) -> None:
    """Render the event once per version; `languages` does not matter, the item carries them all."""
    # An existing rendering is kept: some endpoints may already have it, and a retry must carry the same bytes.
    if not RenderedItem.objects.filter(release=release, version=version, format=FORMAT, language=LANGUAGE).exists():
        RenderedItem.objects.create(release=release, version=version, format=FORMAT, language=LANGUAGE,
                                    payload=event(release, version, action))


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent; made once per version, reused for every endpoint and attempt."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
