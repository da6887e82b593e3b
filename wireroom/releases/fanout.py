"""The lifecycle's port to the distribution engine.

`releases` sits below `distribution` and never imports it, yet publishing, scheduling, correcting and
withdrawing must stage the version's deliveries in the transaction that makes the version: a failed staging
must roll the version back. So the services call the stager registered here, and `DistributionConfig.ready()`
registers `wireroom.distribution.staging`.

Staging happens in two steps, so the slow one holds no lock: `render` makes the version's renderings before
the transaction opens (it reads, and writes nothing), and `stage` writes them with the ledger rows inside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.releases.models import Release


@dataclass(frozen=True)
class Upcoming:
    """The version a lifecycle change is about to make, as its renderings describe it.

    They are made before the transaction that writes its `ReleaseVersion`, so what that row will say is given
    here: its number, the action, its time (now, or the embargo second) and the note or reason.
    """

    number: int
    action: str
    at: dt.datetime
    note: str = ""


class Stager(Protocol):
    def render(self, *, release: Release, upcoming: Upcoming) -> object:
        """Render what the version's recipients will need, outside any transaction; writes nothing.

        `release` is the release as the change will leave it. The result is opaque to the lifecycle: it is
        handed back to `stage` as `prepared`.
        """

    def stage(self, *, release: Release, version: int, action: str, not_before: dt.datetime,
              now: dt.datetime, prepared: object) -> object:
        """Write the version's ledger rows and the renderings `render` made; idempotent."""

    def unstage(self, *, release: Release, version: int) -> object:
        """Drop what was staged for a version that will not go out."""

    def is_staged(self, *, release: Release, version: int) -> bool: ...


_STAGERS: list[Stager] = []


def register(stager: Stager) -> Stager:
    if _STAGERS and _STAGERS[0] is not stager:
        raise ValueError("a second stager is registered; the lifecycle stages through exactly one")
    _STAGERS[:] = [stager]
    return stager


def get_stager() -> Stager:
    if not _STAGERS:
        # Without a stager a release would go public with nobody to deliver it to: refuse instead.
        raise ImproperlyConfigured("No stager is registered: wireroom.distribution must be in INSTALLED_APPS.")
    return _STAGERS[0]
