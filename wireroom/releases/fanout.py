"""The lifecycle's port to the distribution engine.

`releases` sits below `distribution` and never imports it, yet publishing, scheduling, correcting and
withdrawing must stage the version's deliveries in the transaction that makes the version: a failed staging
must roll the version back. So the services call the stager registered here, and `DistributionConfig.ready()`
registers `wireroom.distribution.staging`.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.releases.models import Release


class Stager(Protocol):
    def stage(self, *, release: Release, version: int, action: str, not_before: dt.datetime,
              now: dt.datetime) -> object:
        """Write the version's ledger rows and renderings; idempotent."""

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
