"""Writes of the translation app: requesting machine drafts, making them (the worker), the issuer's glossary."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from wireroom.accounts.models import Membership, Organization, Role
from wireroom.audit.services import audit_record
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed
from wireroom.lib.html import HtmlTooDeep, sanitize_html
from wireroom.releases import permissions
from wireroom.releases.models import (
    PUBLIC_STATES,
    Acceptance,
    Localization,
    Origin,
    Release,
    ReviewState,
    TranslationUpdate,
)
from wireroom.releases.services import (
    ISSUER_EDITABLE,
    MAX_BODY,
    MAX_HEADLINE,
    MAX_SUMMARY,
    STAFF_EDITABLE,
    TRANSLATED_FIELDS,
    release_correct_translation,
)
from wireroom.taxonomy.models import Language
from wireroom.translation import checks, machine
from wireroom.translation.engines.base import EngineError, Markup
from wireroom.translation.models import Claim, GlossaryTerm, JobState, TranslationJob
from wireroom.translation.protect import GlossaryEntry
from wireroom.translation.selectors import POST_EDIT, UPDATE, QueueItem, translator_item

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30.0
MAX_GLOSSARY_TERMS = 500


def _editable(by: Membership) -> frozenset[str]:
    return STAFF_EDITABLE if permissions.is_wire_staff(by) else ISSUER_EDITABLE


def translation_request(*, release: Release, languages: list[str], by: Membership) -> list[TranslationJob]:
    """Ask the worker for machine drafts of the release in these languages. Nothing is translated here."""
    permissions.require_issuer_or_staff(by, release)
    wanted = list(dict.fromkeys(languages))
    if not wanted:
        raise InvalidInput("Name at least one language to translate into.")
    known = {language.code: language for language in Language.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise InvalidInput(f"Unknown languages: {', '.join(unknown)}.", details={"languages": unknown})
    # Asking the engines which pairs they have may reach a server: done before any row is locked.
    source = release.original_language_id
    reach = machine.reachable(source, [code for code in wanted if code != source])
    with transaction.atomic():
        return _queue(release=release, wanted=wanted, known=known, reach=reach, reached_from=source, by=by)


def _queue(*, release: Release, wanted: list[str], known: dict[str, Language], reach: dict[str, bool],
           reached_from: str, by: Membership) -> list[TranslationJob]:
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.state not in _editable(by):
        raise IllegalTransition(f"A {release.state} release's localizations cannot be changed by you now.",
                                details={"state": release.state})
    source = release.original_language_id
    if source in wanted:
        raise InvalidInput(f"{source} is the release's original language; it is not translated.")
    written = sorted(release.localizations.filter(language_id__in=wanted).exclude(origin=Origin.MACHINE)
                     .values_list("language_id", flat=True))
    if written:
        raise InvalidInput(f"These languages already have a localization written by a person: {', '.join(written)}.",
                           details={"languages": written})
    if not release.localizations.filter(language_id=source).exists():
        raise InvalidInput(f"Add the {source} text (the original language) first; it is what gets translated.")
    if source != reached_from:
        raise IllegalTransition("The release's original language changed meanwhile; ask again.",
                                details={"state": release.state})
    unreachable = [code for code in wanted if not reach.get(code, False)]
    if unreachable:
        raise InvalidInput(f"No installed translation engine reaches {', '.join(unreachable)} from {source}.",
                           details={"languages": unreachable})
    now = timezone.now()
    jobs = []
    for code in wanted:
        job, _ = TranslationJob.objects.update_or_create(
            release=release, language=known[code],
            defaults={"state": JobState.PENDING, "attempts": 0, "next_attempt_at": now, "leased_by": "",
                      "lease_expires_at": None, "last_error": "", "requested_by": by.user, "finished_at": None},
        )
        jobs.append(job)
    audit_record(actor=by.user, organization=by.organization, action="translation.request", target=release,
                 data={"languages": wanted})
    return jobs


def localization_accept(*, release: Release, language: str, by: Membership, unreviewed: bool = False) -> Localization:
    """The issuer accepts a machine draft or a translator's localization, or lets a machine draft out labelled
    "machine translation, unreviewed". On a distributed release, what is accepted is the update of a translation
    a correction left behind, which then goes out as a correction of its own."""
    if Release.objects.filter(pk=release.pk, state__in=PUBLIC_STATES).exists():
        return _accept_update(release=release, language=language, by=by, unreviewed=unreviewed)
    return _accept_draft(release=release, language=language, by=by, unreviewed=unreviewed)


def _require_issuer_admin(by: Membership, release: Release) -> None:
    permissions.require_issuer_or_staff(by, release, admin_only=True)
    if permissions.is_wire_staff(by):
        raise NotAllowed("Only the issuer's admins may accept a machine translation in the issuer's name.")


@transaction.atomic
def _accept_draft(*, release: Release, language: str, by: Membership, unreviewed: bool) -> Localization:
    release = Release.objects.select_for_update().get(pk=release.pk)
    _require_issuer_admin(by, release)
    if release.state not in STAFF_EDITABLE:
        raise IllegalTransition(f"A {release.state} release's localizations can no longer change.",
                                details={"state": release.state})
    localization = release.localizations.filter(language_id=language,
                                                origin__in=(Origin.MACHINE, Origin.HUMAN)).first()
    if localization is None or localization.issuer_acceptance == Acceptance.SUPPLIED:
        raise InvalidInput(f"This release has no {language} translation waiting to be accepted.")
    if unreviewed and localization.origin == Origin.HUMAN:
        raise InvalidInput("A translator's localization is accepted or not; only a machine draft goes out "
                           "unreviewed.")
    previous = localization.issuer_acceptance
    localization.issuer_acceptance = Acceptance.UNREVIEWED if unreviewed else Acceptance.ACCEPTED
    localization.save(update_fields=["issuer_acceptance", "updated_at"])
    audit_record(actor=by.user, organization=by.organization, action="localization.accept", target=localization,
                 from_state=previous, to_state=localization.issuer_acceptance,
                 data={"release": str(release.pk), "language": language})
    return localization


def _accept_update(*, release: Release, language: str, by: Membership, unreviewed: bool) -> Localization:
    release = Release.objects.get(pk=release.pk)
    _require_issuer_admin(by, release)
    job = TranslationJob.objects.filter(release=release, language_id=language).exclude(draft={}).first()
    if job is None:
        raise InvalidInput(f"This release has no update of its {language} translation waiting to be accepted.")
    if unreviewed and job.draft.get("origin") == Origin.HUMAN:
        raise InvalidInput("A translator's localization is accepted or not; only a machine draft goes out "
                           "unreviewed.")
    values = {**job.draft, "issuer_acceptance": Acceptance.UNREVIEWED if unreviewed else Acceptance.ACCEPTED}
    release_correct_translation(release=release, language=language, values=values, by=by,
                                note=_update_note(language))
    # Only the draft that went out is cleared: a correction of the original meanwhile queued a new one.
    TranslationJob.objects.filter(pk=job.pk, draft=job.draft).update(draft={})
    localization = release.localizations.get(language_id=language)
    audit_record(actor=by.user, organization=by.organization, action="localization.accept", target=localization,
                 to_state=localization.issuer_acceptance,
                 data={"release": str(release.pk), "language": language, "update": True})
    return localization


def _update_note(language: str) -> str:
    name = Language.objects.filter(code=language).values_list("name", flat=True).first() or language
    return f"The {name} translation is updated to follow the corrected original."


def retranslation_queue(*, release: Release, outdated: list[Localization], fields: list[str],
                        by: Membership | None) -> None:
    """The port `releases.retranslation` calls inside a correction that changed the original: each machine
    translation it left behind gets a job translating the changed fields again (with those of an update still
    waiting); each translator's goes back to the translators' queue. Any update draft not yet accepted is stale."""
    now = timezone.now()
    for localization in outdated:
        job = TranslationJob.objects.filter(release=release, language_id=localization.language_id).first()
        waiting = set(job.update_fields) if job is not None and localization.update_since != release.version else set()
        wanted = [name for name in TRANSLATED_FIELDS if name in fields or name in waiting]
        if localization.origin == Origin.MACHINE:
            TranslationJob.objects.update_or_create(
                release=release, language_id=localization.language_id,
                defaults={"state": JobState.PENDING, "attempts": 0, "next_attempt_at": now, "leased_by": "",
                          "lease_expires_at": None, "last_error": "", "finished_at": None, "draft": {},
                          "update_fields": wanted, "requested_by": by.user if by else None})
        else:
            TranslationJob.objects.filter(release=release, language_id=localization.language_id).update(
                draft={}, update_fields=wanted)
        audit_record(actor=by.user if by else None, organization=by.organization if by else None,
                     action="translation.update_requested", target=localization,
                     data={"release": str(release.pk), "language": localization.language_id, "fields": wanted,
                           "origin": localization.origin})


def glossary_for(*, issuer_id: int, language: str) -> list[GlossaryEntry]:
    return [GlossaryEntry(term=term, translation=translation) for term, translation in
            GlossaryTerm.objects.filter(issuer_id=issuer_id, language_id=language).values_list("term", "translation")]


@transaction.atomic
def glossary_set(*, organization: Organization, language: str, terms: dict[str, str],
                 by: Membership) -> list[GlossaryTerm]:
    """Replace the organization's glossary for one language: term → fixed translation ("" keeps the term)."""
    if not (by.is_wire_staff or (by.organization_id == organization.pk and by.role == Role.ISSUER_ADMIN)):
        raise NotAllowed("Only the organization's issuer admins or the wire's editors may change its glossary.")
    if not Language.objects.filter(code=language).exists():
        raise InvalidInput(f"Unknown language {language!r}.")
    if len(terms) > MAX_GLOSSARY_TERMS:
        raise InvalidInput(f"A glossary holds at most {MAX_GLOSSARY_TERMS} terms per language.")
    cleaned: dict[str, str] = {}
    for term, translation in terms.items():
        term, translation = " ".join(term.split()), " ".join(translation.split())
        if not term or len(term) > 120 or len(translation) > 120:
            raise InvalidInput("Each glossary term and its translation must be 1 to 120 characters.",
                               details={"term": term[:120]})
        cleaned[term] = translation
    GlossaryTerm.objects.filter(issuer=organization, language_id=language).delete()
    rows = GlossaryTerm.objects.bulk_create(
        GlossaryTerm(issuer=organization, language_id=language, term=term, translation=translation)
        for term, translation in cleaned.items()
    )
    audit_record(actor=by.user, organization=by.organization, action="glossary.set", target=organization,
                 data={"language": language, "terms": len(rows)})
    return rows


def engine_label(chain: list[dict[str, str]]) -> str:
    """The short name the labels show: "apertium", "apertium via es", "deepl + opencc via zh-Hans"."""
    names = " + ".join(dict.fromkeys(hop["engine"] for hop in chain))
    pivots = [hop["target"] for hop in chain[:-1]]
    return (f"{names} via {', '.join(pivots)}" if pivots else names)[:60]


def _draft(job: TranslationJob) -> dict[str, object]:
    """Translate the release's original into the job's language: slow, so outside any transaction. An update
    translates only the fields the correction changed and keeps the others as the translation has them."""
    release = job.release
    original = release.localizations.get(language_id=release.original_language_id)
    glossary = glossary_for(issuer_id=release.issuer_id, language=job.language_id)
    current = (release.localizations.filter(language_id=job.language_id).first() if job.update_fields else None)
    wanted = [name for name in TRANSLATED_FIELDS if current is None or name in job.update_fields]
    markup: dict[str, Markup] = {"headline": "text", "summary": "text", "body_html": "html"}
    done = machine.translate([machine.Segment(getattr(original, name), markup[name]) for name in wanted],
                             source=original.language_id, target=job.language_id, glossary=glossary)
    texts = {name: getattr(current, name) for name in TRANSLATED_FIELDS} if current is not None else {}
    texts.update(zip(wanted, done.texts, strict=True))
    headline, summary, body = texts["headline"], texts["summary"], texts["body_html"]
    if "body_html" in wanted:
        body = sanitize_html(body).html
    if "headline" in wanted:
        headline = " ".join(headline.split())[:300] or original.headline
    if "summary" in wanted:
        summary = " ".join(summary.split())
    source_text = checks.localization_text(headline=original.headline, summary=original.summary,
                                           body_html=original.body_html)
    target_text = checks.localization_text(headline=headline, summary=summary, body_html=body)
    findings = {
        "language": checks.language_findings(language=job.language_id, text=target_text),
        "quality": checks.quality_findings(source_language=original.language_id, source_text=source_text,
                                           target_language=job.language_id, target_text=target_text,
                                           glossary=glossary),
    }
    return {
        "headline": headline, "summary": summary,
        "body_html": body, "translated_from_id": original.language_id, "origin": Origin.MACHINE,
        "engine": engine_label(done.chain), "engine_chain": done.chain,
        "translator": "", "review_state": ReviewState.UNREVIEWED, "checks": findings,
        "issuer_acceptance": Acceptance.PENDING,
    }


def translation_job_run(*, job: TranslationJob, worker: str, now: dt.datetime | None = None) -> str:
    """Make one leased job's draft and record the outcome; returns the job's new state, or `leased` when
    another worker has taken the job over meanwhile (this worker's result is then dropped)."""
    try:
        fields = _draft(job)
    except machine.NoRoute as exc:
        return _finish(job, worker, JobState.FAILED, str(exc))
    except Localization.DoesNotExist:
        return _finish(job, worker, JobState.FAILED, "The release has no text in its original language.")
    except EngineError as exc:
        if job.attempts >= MAX_ATTEMPTS:
            return _finish(job, worker, JobState.FAILED, f"gave up after {job.attempts} attempts: {exc}")
        return _finish(job, worker, JobState.RETRYING, str(exc), now=now)
    if job.update_fields:
        return _finish_update(job, worker, fields)
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=job.release_id)
        if release.state not in STAFF_EDITABLE:
            return _finish(job, worker, JobState.FAILED, f"The release became {release.state} before the draft "
                                                         "was ready; its localizations can no longer change.")
        current = release.localizations.filter(language_id=job.language_id).exclude(origin=Origin.MACHINE)
        if current.exists():
            return _finish(job, worker, JobState.FAILED, "A person wrote this localization meanwhile; it is kept.")
        if _finish(job, worker, JobState.DONE, "") != JobState.DONE:
            return JobState.LEASED
        localization, _ = Localization.objects.update_or_create(release=release, language_id=job.language_id,
                                                                defaults=fields)
        audit_record(actor=None, action="translation.draft", target=localization, organization=None,
                     data={"release": str(release.pk), "language": job.language_id,
                           "engine_chain": fields["engine_chain"]})
    return JobState.DONE


def _finish_update(job: TranslationJob, worker: str, fields: dict[str, object]) -> str:
    """An update after a correction: a translation the issuer let out unreviewed goes out at once as its own
    correction, still labelled unreviewed; any other waits as the job's draft for the issuer's acceptance."""
    release = Release.objects.get(pk=job.release_id)
    current = release.localizations.filter(language_id=job.language_id).first()
    if release.state not in PUBLIC_STATES:
        return _finish(job, worker, JobState.FAILED, f"The release became {release.state} before the update was "
                                                     "ready; it is not distributed any more.")
    if current is None or current.translation_update != TranslationUpdate.PENDING:
        return _finish(job, worker, JobState.DONE, "The translation was brought up to date meanwhile.")
    if current.origin == Origin.MACHINE and current.issuer_acceptance == Acceptance.UNREVIEWED:
        try:
            release_correct_translation(release=release, language=job.language_id, by=None,
                                        values={**fields, "issuer_acceptance": Acceptance.UNREVIEWED},
                                        note=_update_note(job.language_id))
        except IllegalTransition as exc:
            return _finish(job, worker, JobState.FAILED, str(exc))
        return _finish(job, worker, JobState.DONE, "")
    with transaction.atomic():
        if _finish(job, worker, JobState.DONE, "") != JobState.DONE:
            return JobState.LEASED
        TranslationJob.objects.filter(pk=job.pk).update(draft=fields)
    return JobState.DONE


def _finish(job: TranslationJob, worker: str, state: str, error: str, *, now: dt.datetime | None = None) -> str:
    """Record the outcome if this worker still holds the job; returns the state, or `leased` if it does not."""
    moment = now or timezone.now()
    delay = dt.timedelta(seconds=RETRY_BASE_SECONDS * 2 ** max(job.attempts - 1, 0))
    changed = TranslationJob.objects.filter(pk=job.pk, leased_by=worker, state=JobState.LEASED).update(
        state=state, last_error=error, leased_by="", lease_expires_at=None,
        next_attempt_at=moment + delay if state == JobState.RETRYING else job.next_attempt_at,
        finished_at=moment if state in (JobState.DONE, JobState.FAILED) else None,
    )
    if not changed:
        return JobState.LEASED
    if state == JobState.FAILED:
        log.warning("translation of %s into %s failed: %s", job.release_id, job.language_id, error)
    return state


def _translator_item(*, release_id: object, language: str, by: Membership) -> QueueItem:
    if not by.is_wire_translator:
        raise NotAllowed("Only the wire's translators translate from the queue.")
    return translator_item(membership=by, release_id=str(release_id), language=language)


@transaction.atomic
def translation_claim(*, release: Release, language: str, by: Membership) -> Claim:
    """A translator takes one language of a release from the queue; their draft starts from the machine
    draft, if there is one, to post-edit."""
    Release.objects.select_for_update().filter(pk=release.pk).first()
    item = _translator_item(release_id=release.pk, language=language, by=by)
    if item.claim is not None:
        if item.claim.translator_id == by.user_id:
            return item.claim
        raise IllegalTransition("Another translator is working on this translation.",
                                details={"state": item.release.state})
    start = item.draft
    claim = Claim.objects.create(release=item.release, language_id=language, translator=by.user,
                                 claimed_at=timezone.now(), headline=start.headline if start else "",
                                 summary=start.summary if start else "", body_html=start.body_html if start else "")
    audit_record(actor=by.user, organization=by.organization, action="translation.claim", target=item.release,
                 data={"language": language, "task": item.task})
    return claim


def _cleaned(headline: str, summary: str, body_html: str) -> tuple[str, str, str]:
    headline, summary = " ".join(headline.split()), summary.strip()
    if len(headline) > MAX_HEADLINE or len(summary) > MAX_SUMMARY or len(body_html) > MAX_BODY:
        raise InvalidInput(f"A headline holds at most {MAX_HEADLINE} characters, a summary {MAX_SUMMARY}, "
                           f"a body {MAX_BODY}.")
    try:
        body = sanitize_html(body_html).html
    except HtmlTooDeep as exc:
        raise InvalidInput(str(exc)) from None
    return headline, summary, body


@transaction.atomic
def translation_save(*, release: Release, language: str, by: Membership, headline: str, summary: str,
                     body_html: str, submit: bool = False) -> Claim | Localization:
    """Keep the translator's draft on their claim; with `submit`, make it the release's localization in that
    language (human, by this translator, post-edited from the machine draft's engine chain if there was one),
    waiting for the issuer's acceptance like a machine draft."""
    Release.objects.select_for_update().filter(pk=release.pk).first()
    item = _translator_item(release_id=release.pk, language=language, by=by)
    if item.claim is None or item.claim.translator_id != by.user_id:
        raise IllegalTransition("Claim this translation before you write it.", details={"state": item.release.state})
    headline, summary, body = _cleaned(headline, summary, body_html)
    claim = item.claim
    claim.headline, claim.summary, claim.body_html, claim.saved_at = headline, summary, body, timezone.now()
    if not submit:
        claim.save(update_fields=["headline", "summary", "body_html", "saved_at"])
        return claim
    if not headline or not checks.localization_text(headline="", summary="", body_html=body).strip():
        raise InvalidInput("Write the headline and the body before you submit the translation.")
    original = item.original
    machine_draft = item.draft if item.task in (POST_EDIT, UPDATE) and item.draft else None
    values: dict[str, object] = {
        "headline": headline, "summary": summary, "body_html": body,
        "translated_from_id": original.language_id, "origin": Origin.HUMAN, "engine": "",
        "engine_chain": machine_draft.engine_chain if machine_draft else [],
        "translator": (by.user.get_full_name() or by.user.get_username())[:120],
        "review_state": ReviewState.UNREVIEWED, "issuer_acceptance": Acceptance.PENDING,
        "checks": {"language": checks.language_findings(
            language=language, text=checks.localization_text(headline=headline, summary=summary,
                                                             body_html=body))},
    }
    claim.delete()
    if item.task == UPDATE:
        # The release is out: the update waits for the issuer, then goes out as a correction of its own.
        TranslationJob.objects.update_or_create(
            release=item.release, language_id=language,
            defaults={"state": JobState.DONE, "next_attempt_at": timezone.now(), "finished_at": timezone.now(),
                      "leased_by": "", "lease_expires_at": None, "last_error": "", "draft": values,
                      "requested_by": by.user})
        assert item.draft is not None  # an update is of a translation that exists
        audit_record(actor=by.user, organization=by.organization, action="translation.submit_update",
                     target=item.draft, data={"release": str(item.release.pk), "language": language})
        return item.draft
    localization, _ = Localization.objects.update_or_create(
        release=item.release, language_id=language, defaults=values)
    audit_record(actor=by.user, organization=by.organization, action="translation.submit", target=localization,
                 data={"release": str(item.release.pk), "language": language,
                       "post_edited_from": machine_draft.engine_chain if machine_draft else []})
    return localization
