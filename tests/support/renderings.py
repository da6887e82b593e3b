"""Renderings of a version stored as staging stores them, for tests that drive a channel without the lifecycle."""

from __future__ import annotations

from django.utils import timezone

from wireroom.distribution import staging
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.registry import Recipients
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Release


def store_renderings(channel: str, release: Release, version: int, action: str, languages: list[str]) -> None:
    """Render `version` for `channel` and store it: for the staged rows' recipients and in `languages`.

    The version's time and note come from its row; a version with no row yet is described as it will be on the
    embargo second (or now).
    """
    row = release.versions.filter(number=version).first()
    upcoming = Upcoming(number=version, action=action,
                        at=row.created_at if row else release.embargo_at or timezone.now(),
                        note=row.note if row else "")
    spec = registry.get(channel)
    staged = staging.staged_recipients(release, version).get(channel, Recipients())
    recipients = Recipients(languages=staged.languages | set(languages), formats=staged.formats)
    staging.store(release=release, version=version,
                  renderings=spec.render(release, upcoming, spec.keys(recipients)))
