"""Reads of the translation app: progress of requested drafts, and the checks of a release's localizations."""

from __future__ import annotations

from typing import Any

from wireroom.releases.models import Release
from wireroom.translation import checks
from wireroom.translation.models import TranslationJob


def translation_progress(*, release: Release) -> list[dict[str, Any]]:
    """Each requested language: where its job stands and, once drafted, the draft's origin and findings."""
    localizations = {loc.language_id: loc for loc in release.localizations.all()}
    rows = []
    for job in TranslationJob.objects.filter(release=release).order_by("language_id"):
        localization = localizations.get(job.language_id)
        rows.append({
            "language": job.language_id, "state": job.state, "attempts": job.attempts,
            "last_error": job.last_error, "requested_at": job.created_at, "finished_at": job.finished_at,
            "engine_chain": localization.engine_chain if localization else [],
            "review_state": localization.review_state if localization else None,
            "issuer_acceptance": localization.issuer_acceptance if localization else None,
            "checks": localization.checks if localization else {},
        })
    return rows


def language_flags(*, release: Release) -> dict[str, list[checks.Finding]]:
    """Localizations whose text is not in their declared language or script, as checked when the text arrived
    (written, imported through the API, or drafted by the worker) and again at submission."""
    return {localization.language_id: localization.checks["language"]
            for localization in release.localizations.all() if localization.checks.get("language")}
