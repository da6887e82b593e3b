"""The lifecycle's port to the content keys of encrypted pre-positioning (docs/trust.md).

`releases` sits below `trust`, which holds the keys, yet a key is made, released and forgotten where the release
changes: made when a version is scheduled (before staging encrypts with it, in the same transaction), released by
the embargo clock in the transaction that publishes the version, forgotten when the schedule is dropped. So the
services call the keeper registered here, and `TrustConfig.ready()` registers `wireroom.trust.contentkeys`.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.releases.models import Release


class KeyKeeper(Protocol):
    def make(self, *, release: Release, version: int, embargo: dt.datetime) -> str:
        """A fresh key for a scheduled version; one made before for it is replaced (never released). Its id."""

    def release(self, *, release: Release, version: int, now: dt.datetime) -> str | None:
        """Mark the version's key released, at its embargo second; its id, or None when it has none."""

    def forget(self, *, release: Release, version: int) -> str | None:
        """Delete the version's key, unreleased: what was encrypted with it stays unreadable. Its id, or None
        when it had none."""


_KEEPERS: list[KeyKeeper] = []


def register(keeper: KeyKeeper) -> KeyKeeper:
    if _KEEPERS and _KEEPERS[0] is not keeper:
        raise ValueError("a second key keeper is registered; content keys are kept by exactly one")
    _KEEPERS[:] = [keeper]
    return keeper


def get_keeper() -> KeyKeeper:
    if not _KEEPERS:
        # Without a keeper a pre-positioned envelope would never find its key: refuse instead.
        raise ImproperlyConfigured("No key keeper is registered: is wireroom.trust installed?")
    return _KEEPERS[0]
