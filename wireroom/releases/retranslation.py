"""The lifecycle's port to re-translation after a correction.

`releases` sits below `translation`, yet a correction that changes the original leaves its translations behind:
the machine ones must be translated again (in the worker, never in the correction's request) and the translators'
ones go back to the translators' queue. `release_correct` marks those translations "pending update" itself (the
mark is part of the version it distributes) and, in the same transaction, tells the re-translator registered here
which languages and fields to update; `TranslationConfig.ready()` registers `wireroom.translation.services`'s
`retranslation_queue`.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.accounts.models import Membership
from wireroom.releases.models import Localization, Release


class Retranslator(Protocol):
    def __call__(self, *, release: Release, outdated: list[Localization], fields: list[str],
                 by: Membership | None) -> None:
        """Queue the update of each outdated translation: the original's `fields` changed. Called inside the
        correction's transaction, so it writes rows and nothing slow."""


_RETRANSLATORS: list[Retranslator] = []


def register(retranslator: Retranslator) -> Retranslator:
    if _RETRANSLATORS and _RETRANSLATORS[0] is not retranslator:
        raise ValueError("a second re-translator is registered; corrections are followed up by exactly one")
    _RETRANSLATORS[:] = [retranslator]
    return retranslator


def get_retranslator() -> Retranslator:
    if not _RETRANSLATORS:
        # Without one, a corrected original's translations would say "pending update" forever.
        raise ImproperlyConfigured("No re-translator is registered: is wireroom.translation installed?")
    return _RETRANSLATORS[0]
