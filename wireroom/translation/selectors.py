"""Reads of the translation app: progress of requested drafts, and the checks of a release's localizations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q

from wireroom.accounts.models import Membership
from wireroom.lib.errors import NotFound
from wireroom.releases.models import (
    PUBLIC_STATES,
    Acceptance,
    Localization,
    Origin,
    Release,
    ReleaseVersion,
    State,
    TranslationUpdate,
)
from wireroom.translation import checks
from wireroom.translation.models import Claim, TranslationJob, TranslatorLanguage

# The states in which a translator works on a release: submitted to the wire and not yet scheduled. Before,
# the text is the issuer's private draft; once scheduled (or out), its localizations can no longer change.
TRANSLATABLE = (State.SUBMITTED, State.IN_REVIEW, State.APPROVED)
WRITE = "write"
POST_EDIT = "post_edit"
UPDATE = "update"  # a translator's translation of an original a correction changed since
# A distributed release is in the queue only for its translators' translations a correction left behind.
_IN_QUEUE = Q(state__in=TRANSLATABLE) | Q(state__in=PUBLIC_STATES, localizations__origin=Origin.HUMAN,
                                          localizations__translation_update=TranslationUpdate.PENDING)


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
            "update_fields": job.update_fields,
            "update_waiting": bool(job.draft),
        })
    return rows


def waiting_update(*, release: Release, language: str) -> dict[str, Any] | None:
    """The update of a translation a correction left behind, made and waiting for the issuer's acceptance (its
    headline, summary and body as they would go out), or None."""
    job = TranslationJob.objects.filter(release=release, language_id=language).exclude(draft={}).first()
    return dict(job.draft) if job is not None else None


def language_flags(*, release: Release) -> dict[str, list[checks.Finding]]:
    """Localizations whose text is not in their declared language or script, as checked when the text arrived
    (written, imported through the API, or drafted by the worker) and again at submission."""
    return {localization.language_id: localization.checks["language"]
            for localization in release.localizations.all() if localization.checks.get("language")}


@dataclass(frozen=True)
class QueueItem:
    """One localization a translator may write (`write`: a language the release is distributed in, with no
    text yet), post-edit (`post_edit`: a machine draft the issuer has not accepted yet) or update (`update`: a
    translator's translation of a distributed release whose original a correction changed)."""

    release: Release
    language: str
    task: str
    original: Localization
    draft: Localization | None
    claim: Claim | None


def translator_languages(*, membership: Membership) -> list[str]:
    if not membership.is_wire_translator:
        return []
    return list(TranslatorLanguage.objects.filter(membership=membership).values_list("language_id", flat=True))


def _items(release: Release, languages: list[str], claims: dict[tuple[Any, str], Claim],
           waiting: set[tuple[Any, str]]) -> list[QueueItem]:
    localizations = {localization.language_id: localization for localization in release.localizations.all()}
    original = localizations.get(release.original_language_id)
    if original is None:
        return []
    wanted = {language.code for language in release.languages.all()}
    items = []
    for code in languages:
        if code == release.original_language_id:
            continue
        current = localizations.get(code)
        if release.state in PUBLIC_STATES:
            if (current is None or current.origin != Origin.HUMAN
                    or current.translation_update != TranslationUpdate.PENDING or (release.pk, code) in waiting):
                continue
            task = UPDATE
        elif current is None and code in wanted:
            task = WRITE
        elif (current is not None and current.origin == Origin.MACHINE
              and current.issuer_acceptance == Acceptance.PENDING):
            task = POST_EDIT
        else:
            continue
        items.append(QueueItem(release=release, language=code, task=task, original=original, draft=current,
                               claim=claims.get((release.pk, code))))
    return items


def _waiting(languages: list[str], release_id: uuid.UUID | None = None) -> set[tuple[Any, str]]:
    """(release, language) of updates a translator submitted that wait for the issuer: out of the queue."""
    jobs = TranslationJob.objects.filter(language_id__in=languages, release__state__in=PUBLIC_STATES).exclude(draft={})
    if release_id is not None:
        jobs = jobs.filter(release_id=release_id)
    return set(jobs.values_list("release_id", "language_id"))


def translator_queue(*, membership: Membership) -> list[QueueItem]:
    """What the translator may work on, in their languages only, the nearest embargo first (then the oldest
    submission); releases in other states, and the languages nobody asked for, are not shown."""
    languages = translator_languages(membership=membership)
    if not languages:
        return []
    releases = (Release.objects.filter(_IN_QUEUE).distinct()
                .prefetch_related("localizations", "languages").select_related("issuer")
                .order_by(F("embargo_at").asc(nulls_last=True), "created_at", "id"))
    claims = {(claim.release_id, claim.language_id): claim for claim in
              Claim.objects.filter(language_id__in=languages).select_related("translator")}
    waiting = _waiting(languages)
    return [item for release in releases for item in _items(release, languages, claims, waiting)]


def translator_item(*, membership: Membership, release_id: uuid.UUID | str, language: str) -> QueueItem:
    """One item of the translator's queue; anything outside it is missing (NotFound), so ids leak nothing."""
    languages = translator_languages(membership=membership)
    if language not in languages:
        raise NotFound("No such translation for you.")
    try:
        key = uuid.UUID(str(release_id))
    except ValueError:
        raise NotFound("No such translation for you.") from None
    release = (Release.objects.filter(_IN_QUEUE, pk=key).distinct()
               .prefetch_related("localizations", "languages").select_related("issuer").first())
    claims = {(claim.release_id, claim.language_id): claim for claim in
              Claim.objects.filter(release_id=key, language_id=language).select_related("translator")}
    found = [item for item in (_items(release, [language], claims, _waiting([language], key)) if release else [])]
    if not found:
        raise NotFound("No such translation for you.")
    return found[0]


def update_changes(*, item: QueueItem) -> list[dict[str, str]]:
    """For an update: each field of the original as it was when the translation was last current (the version
    before the correction that left it behind) and as it is now."""
    if item.task != UPDATE or item.draft is None or not item.draft.update_since:
        return []
    snapshot = (ReleaseVersion.objects.filter(release=item.release, number=item.draft.update_since - 1)
                .values_list("snapshot", flat=True).first()) or {}
    before: dict[str, Any] = next((loc for loc in snapshot.get("localizations", [])
                                   if loc.get("language") == item.original.language_id), {})
    return [{"field": name, "before": str(before.get(name, "")), "after": getattr(item.original, name)}
            for name in ("headline", "summary", "body_html") if before.get(name, "") != getattr(item.original, name)]
