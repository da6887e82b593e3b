"""The lifecycle's port to the language checks.

`releases` sits below `translation`, which holds the checks (lingua, OpenCC), yet a localization is checked
where it arrives (a release written or changed, through the API or the desk) and again when the release is
submitted, so the reviewer sees whether each text is in its declared language. The services call the checker
registered here, and `TranslationConfig.ready()` registers `wireroom.translation.checks.declared_language_findings`.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from wireroom.releases.models import Localization


class LanguageChecker(Protocol):
    def __call__(self, *, language: str, headline: str, summary: str, body_html: str) -> list[dict[str, Any]]:
        """What is wrong with the text's language or script; empty when it reads as declared."""


_CHECKERS: list[LanguageChecker] = []


def register(checker: LanguageChecker) -> LanguageChecker:
    if _CHECKERS and _CHECKERS[0] is not checker:
        raise ValueError("a second language checker is registered; localizations are checked by exactly one")
    _CHECKERS[:] = [checker]
    return checker


def language_checks(*, language: str, headline: str, summary: str, body_html: str,
                    previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The localization's `checks` with the language findings made afresh; other findings are kept."""
    if not _CHECKERS:
        raise ImproperlyConfigured("No language checker is registered: is wireroom.translation installed?")
    findings = _CHECKERS[0](language=language, headline=headline, summary=summary, body_html=body_html)
    return {**(previous or {}), "language": findings}


def localization_recheck(localization: Localization) -> None:
    """Check a stored localization's language again and save the findings."""
    localization.checks = language_checks(
        language=localization.language_id, headline=localization.headline, summary=localization.summary,
        body_html=localization.body_html, previous=localization.checks)
    localization.save(update_fields=["checks"])
