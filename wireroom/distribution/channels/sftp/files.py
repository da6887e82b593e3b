"""What an SFTP drop holds: one file per release, language and version, in the partner's format.

Names are stable, so a partner can tell versions apart and never sees one replaced:
`<release uuid>.<language>.v<version>.<extension>`; a withdrawal's notice is `….v<version>.kill.<extension>`.
Encrypted pre-positioning (docs/trust.md) adds, for each scheduling, `<release uuid>.v<version>.<key id>.sealed.json`
(the envelope), `….<key id>.key.json` (the key, at the embargo) or `….<key id>.sealed.kill.json` (the schedule
was dropped: the key never comes).
The documents come from the formats registry, rendered once per version (`wireroom/distribution/renderings.py`).
"""

from __future__ import annotations

import uuid

from wireroom.distribution.channels.registry import Recipients
from wireroom.distribution.renderings import Renderings, rendering
from wireroom.formats.registry import DEFAULT, format_names, get_format
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Action, Release


def file_name(*, release_id: uuid.UUID, language: str, version: int, action: str, extension: str) -> str:
    kill = ".kill" if action == Action.WITHDRAW else ""
    return f"{release_id}.{language}.v{version}{kill}.{extension.lstrip('.')}"


EXTRA_SUFFIXES = {"envelope": "sealed.json", "key": "key.json", "kill": "sealed.kill.json"}


def extra_file_name(*, release_id: uuid.UUID, version: int, action: str, key_id: str) -> str:
    """The file of a pre-positioning row: an envelope, a key or a kill notice."""
    return f"{release_id}.v{version}.{key_id}.{EXTRA_SUFFIXES[action]}"


def keys(recipients: Recipients) -> frozenset[str]:
    """One set of files per format the recipients' endpoints take (unknown formats fail their rows, saying so)."""
    return frozenset(recipients.formats & set(format_names())) or frozenset({DEFAULT})


def render(release: Release, upcoming: Upcoming, formats: frozenset[str]) -> Renderings:
    """Each of `formats` in every language the release has; reads the release, writes nothing."""
    made: Renderings = {}
    for format_name in sorted(formats):
        for localization in release.localizations.all():
            item = rendering(release=release, upcoming=upcoming, format_name=format_name,
                             language=localization.language_id)
            made[item.key()] = item.payload()
    return made


def stored_format(format_name: str) -> str:
    """The RenderedItem format under which `format_name`'s documents are kept."""
    return get_format(format_name).name
