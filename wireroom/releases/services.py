"""The release lifecycle. Views, the API, the CLI and the worker all change releases through here.

    draft → submitted → in_review → changes_requested | approved → scheduled → published
          → corrected (a new version) → withdrawn

Each transition checks the actor's role and organization and the current state, writes the audit
log, and refuses anything illegal with a clear error and no change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Model, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from wireroom.accounts.models import ISSUING_KINDS, Membership, Organization
from wireroom.audit.services import audit_record
from wireroom.lib.errors import IllegalTransition, InvalidInput, TooLarge
from wireroom.lib.html import HtmlTooDeep, sanitize_html
from wireroom.lib.text import control_character, refuse_control_characters
from wireroom.releases import permissions
from wireroom.releases.changes import changes
from wireroom.releases.fanout import Upcoming, get_stager
from wireroom.releases.indexing import get_indexer
from wireroom.releases.keys import get_keeper
from wireroom.releases.language import language_checks, localization_recheck
from wireroom.releases.models import (
    EVENT_CHANNEL,
    EVENT_LOG_LOCK,
    Acceptance,
    Action,
    EventAction,
    Kind,
    Localization,
    Origin,
    PrunedEvents,
    Release,
    ReleaseVersion,
    ReviewState,
    State,
    Submission,
    TranslationUpdate,
    WireEvent,
)
from wireroom.releases.retranslation import get_retranslator
from wireroom.releases.signing import SignedFields, get_checker, signed_fields
from wireroom.releases.submissions import submission_checks
from wireroom.taxonomy.labels import language_labels
from wireroom.taxonomy.models import Country, Language, Region, Sector, tag_for_django_code

ISSUER_EDITABLE = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
# The longest answer to a change request (as long as the editor's note may be).
REPLY_MAX = 5000
STAFF_EDITABLE = ISSUER_EDITABLE | {State.SUBMITTED, State.IN_REVIEW, State.APPROVED}
MAX_HEADLINE = 300
MAX_SUMMARY = 2_000
MAX_BODY = 200_000
# All the body HTML one request may carry: bounds the time a request spends sanitizing.
MAX_HTML_PER_REQUEST = 1_000_000
MAX_EMBARGO_AHEAD = dt.timedelta(days=366)
# An embargo this close to now is taken as "now" rather than refused as past: the caller's clock may lag ours.
EMBARGO_GRACE = dt.timedelta(seconds=1)
# A change that sends a version renders it before its transaction opens, and renders again if the release changed
# meanwhile; the last of these attempts renders under the lock, so the change always goes through.
RENDER_ATTEMPTS = 3


@dataclass
class LocalizationInput:
    language: str
    headline: str
    body_html: str
    summary: str = ""
    translated_from: str | None = None
    origin: str = Origin.AUTHOR
    engine: str = ""
    translator: str = ""


@dataclass
class ReleaseInput:
    """Fields a draft may set. None means "leave as it is"."""

    kind: str | None = None
    original_language: str | None = None
    sectors: list[str] | None = None
    countries: list[str] | None = None
    regions: list[str] | None = None
    languages: list[str] | None = None
    embargo_at: dt.datetime | None = None
    clear_embargo: bool = False
    dateline: str | None = None
    contacts: list[dict[str, str]] | None = None
    localizations: list[LocalizationInput] = field(default_factory=list)


@dataclass
class Outcome:
    release: Release
    removed_html: dict[str, list[str]] = field(default_factory=dict)


def _now() -> dt.datetime:
    return timezone.now()


def _whole_second(moment: dt.datetime) -> dt.datetime:
    """An embargo as given by a caller: a future UTC second, within a year.

    Every way of setting one (create, edit, publish) comes through here, so each refuses the same values with
    the same error. A fraction is rounded up so nothing leaves early.
    """
    if timezone.is_naive(moment):
        raise InvalidInput(_("The embargo needs a time zone (e.g. 2026-12-01T09:00:00Z)."))
    try:
        moment = moment.astimezone(dt.UTC)
    except OverflowError:
        # Year 1 or 9999 with an offset falls outside what a datetime can hold once in UTC.
        raise InvalidInput(_("The embargo is out of range; pick a second within the next year.")) from None
    now = _now()
    if moment > now + MAX_EMBARGO_AHEAD:
        raise InvalidInput(_("The embargo is more than a year away; pick a nearer second."))
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + dt.timedelta(seconds=1)
    if moment < now - EMBARGO_GRACE:
        raise InvalidInput(_("The embargo is in the past; leave it out to publish at once."))
    return moment


M = TypeVar("M", bound=Model)


def _lookup(model: type[M], keys: Sequence[str], what: str) -> list[M]:
    unique = list(dict.fromkeys(keys))
    # A key with a control character names nothing, and PostgreSQL would refuse a NUL in the query.
    queryable = [key for key in unique if control_character(str(key)) is None]
    found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=queryable)}
    missing = [key for key in unique if key not in found]
    if missing:
        raise InvalidInput(f"Unknown {what}: {', '.join(map(str, missing[:10]))}.", details={what: missing})
    return [found[key] for key in unique]


def _language(tag: str) -> Language:
    return _lookup(Language, [tag], "languages")[0]


def _text_fields(data: ReleaseInput) -> Iterable[tuple[str, str, bool]]:
    if data.dateline is not None:
        yield "dateline", data.dateline, False
    for index, contact in enumerate(data.contacts or []):
        for key in ("name", "organization", "email", "phone"):
            yield f"contacts.{index}.{key}", str(contact.get(key, "")), False
    for index, item in enumerate(data.localizations):
        where = f"localizations.{index}"
        yield from [(f"{where}.headline", item.headline, False), (f"{where}.summary", item.summary, True),
                    (f"{where}.body_html", item.body_html, True), (f"{where}.engine", item.engine, False),
                    (f"{where}.translator", item.translator, False)]


def _validate_contacts(contacts: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for contact in contacts[:20]:
        entry = {key: str(contact.get(key, "")).strip()[:200] for key in ("name", "organization", "email", "phone")}
        if not entry["name"] and not entry["email"]:
            raise InvalidInput(_("Each media contact needs at least a name or an e-mail address."))
        cleaned.append(entry)
    return cleaned


def _clean_localization(item: LocalizationInput) -> tuple[dict[str, Any], list[str]]:
    headline = " ".join(item.headline.split())
    if not headline:
        raise InvalidInput(f"The {item.language} headline is empty.")
    if len(headline) > MAX_HEADLINE:
        raise InvalidInput(f"The {item.language} headline is longer than {MAX_HEADLINE} characters.")
    if len(item.summary) > MAX_SUMMARY:
        raise InvalidInput(f"The {item.language} summary is longer than {MAX_SUMMARY} characters.")
    if len(item.body_html) > MAX_BODY:
        raise InvalidInput(f"The {item.language} body is longer than {MAX_BODY} characters.")
    try:
        sanitized = sanitize_html(item.body_html)
    except HtmlTooDeep as exc:
        raise InvalidInput(_("The %(language)s body nests its HTML more than %(limit)s elements deep; flatten it "
                             "to at most %(limit)s levels.") % {"language": item.language, "limit": exc.limit},
                           details={"language": item.language, "limit": exc.limit}) from None
    if not sanitized.html:
        raise InvalidInput(_("The %(language)s body is empty once unsafe HTML is removed.") % {
            "language": item.language})
    if item.origin not in Origin.values:
        raise InvalidInput(f"Unknown origin {item.origin!r}; use one of {', '.join(Origin.values)}.")
    translated_from = _language(item.translated_from) if item.translated_from else None
    if item.origin != Origin.AUTHOR and translated_from is None:
        raise InvalidInput(f"The {item.language} translation must say which language it was translated from.")
    if item.origin == Origin.MACHINE and not item.engine.strip():
        raise InvalidInput(f"The {item.language} machine translation must name its engine.")
    values: dict[str, Any] = {
        "headline": headline,
        "summary": " ".join(item.summary.split()),
        "body_html": sanitized.html,
        "translated_from": translated_from if item.origin != Origin.AUTHOR else None,
        "origin": item.origin,
        "engine": item.engine.strip()[:60] if item.origin == Origin.MACHINE else "",
        "translator": item.translator.strip()[:120] if item.origin == Origin.HUMAN else "",
        "review_state": ReviewState.UNREVIEWED,
        # Text the issuer (or an editor) sends is theirs: only Wireroom's own machine drafts wait for acceptance,
        # and a machine draft's chain and findings no longer describe text sent over it.
        "issuer_acceptance": Acceptance.SUPPLIED,
        "engine_chain": [],
        "checks": {},
        # A text sent now is current, whatever the one it replaces was waiting for.
        "translation_update": TranslationUpdate.CURRENT,
        "update_since": None,
    }
    return values, sanitized.removed


@dataclass
class _Prepared:
    """A ReleaseInput checked, looked up and sanitized: what is left is writing it."""

    data: ReleaseInput
    original: Language | None
    relations: list[tuple[str, list[Any] | None]]
    embargo: dt.datetime | None
    contacts: list[dict[str, str]] | None
    localizations: list[tuple[Language, dict[str, Any]]]
    removed: dict[str, list[str]]


def _prepare(data: ReleaseInput, *, creating: bool) -> _Prepared:
    """Everything slow or refusable, done before any write transaction opens (sanitizing a long body takes
    a while, and on SQLite an open write transaction stops every other writer)."""
    html_chars = sum(len(item.body_html) for item in data.localizations)
    if html_chars > MAX_HTML_PER_REQUEST:
        raise TooLarge(f"The bodies in this request hold {html_chars:,} characters of HTML; one request may carry "
                       f"at most {MAX_HTML_PER_REQUEST:,}. Send the localizations in several requests.",
                       details={"limit": MAX_HTML_PER_REQUEST, "received": html_chars})
    refuse_control_characters(_text_fields(data))
    if data.kind is not None and data.kind not in Kind.values:
        raise InvalidInput(f"Unknown kind {data.kind!r}; use one of {', '.join(Kind.values)}.")
    original = _language(data.original_language) if data.original_language else None
    if creating and original is None:
        raise InvalidInput("A release needs its original language.")
    sectors = _lookup(Sector, data.sectors, "sectors") if data.sectors is not None else None
    countries = (_lookup(Country, [c.upper() for c in data.countries], "countries")
                 if data.countries is not None else None)
    regions = _lookup(Region, data.regions, "regions") if data.regions is not None else None
    languages = _lookup(Language, data.languages, "languages") if data.languages is not None else None
    embargo = _whole_second(data.embargo_at) if data.embargo_at is not None else None
    contacts = _validate_contacts(data.contacts) if data.contacts is not None else None
    seen: set[str] = set()
    cleaned: list[tuple[Language, dict[str, Any]]] = []
    removed: dict[str, list[str]] = {}
    for item in data.localizations:
        if item.language in seen:
            raise InvalidInput(f"Two localizations for {item.language}.")
        seen.add(item.language)
        language = _language(item.language)
        values, dropped = _clean_localization(item)
        # A text a person sends replaces the localization, so the findings of an earlier draft go with it. Checked
        # here, before the write transaction opens, like the sanitizing.
        values["checks"] = language_checks(language=language.code, headline=values["headline"],
                                           summary=values.get("summary", ""), body_html=values["body_html"])
        cleaned.append((language, values))
        if dropped:
            removed[language.code] = dropped
    relations: list[tuple[str, list[Any] | None]] = [
        ("sectors", sectors), ("countries", countries), ("regions", regions), ("languages", languages)]
    return _Prepared(data, original, relations, embargo, contacts, cleaned, removed)


def _signed_fields_after(release: Release, prepared: _Prepared) -> SignedFields | None:
    """The signed fields as the edit will leave them, worked out before it is written."""
    language = prepared.original or release.original_language
    for localization_language, values in prepared.localizations:
        if localization_language.code == language.code:
            return SignedFields(release=release.urn, language=language.code, headline=values["headline"],
                                summary=values["summary"], body_html=values["body_html"])
    if language.code != release.original_language_id:
        stored = release.localizations.filter(language=language).first()
        if stored is None:
            return None
        return SignedFields(release=release.urn, language=language.code, headline=stored.headline,
                            summary=stored.summary, body_html=stored.body_html)
    return signed_fields(release)


def _write(release: Release, prepared: _Prepared) -> None:
    data = prepared.data
    if data.kind is not None:
        release.kind = data.kind
    if prepared.original is not None:
        release.original_language = prepared.original
    if data.dateline is not None:
        release.dateline = " ".join(data.dateline.split())[:120]
    if prepared.contacts is not None:
        release.contacts = prepared.contacts
    if prepared.embargo is not None:
        release.embargo_at = prepared.embargo
    elif data.clear_embargo:
        release.embargo_at = None
    release.save()
    for relation, related in prepared.relations:
        if related is not None:
            getattr(release, relation).set(related)
    for language, fields in prepared.localizations:
        Localization.objects.update_or_create(release=release, language=language, defaults=fields)


def release_create(
    *, by: Membership, data: ReleaseInput, issuer: Organization | None = None, release_id: uuid.UUID | None = None
) -> Outcome:
    permissions.require_can_issue(by)
    if permissions.is_wire_staff(by):
        if issuer is None:
            raise InvalidInput("Wire editors must say which issuer a release is for.")
        if issuer.kind not in ISSUING_KINDS:
            raise InvalidInput(f"{issuer.name} is not an issuing organization.")
    else:
        if issuer is not None and issuer.pk != by.organization_id:
            raise InvalidInput("You can only create releases for your own organization.")
        issuer = by.organization
    prepared = _prepare(data, creating=True)
    removed = prepared.removed
    with transaction.atomic():
        release = Release(issuer=issuer, created_by=by.user)
        if release_id is not None:
            if Release.objects.filter(pk=release_id).exists():
                raise InvalidInput(f"A release with id {release_id} exists already.")
            release.id = release_id
        _write(release, prepared)
        audit_record(actor=by.user, organization=by.organization, action="release.create", target=release,
                     to_state=State.DRAFT, data={"removed_html": removed} if removed else None)
    return Outcome(release, removed)


# Refusals that reach people are written with gettext: the workspace renders in its user's language, so they read
# in it there, while the API (which activates no language) and the command line answer in English, the default.
# One sentence per action, so that each language can say it whole.
REFUSED_ACTIONS = {
    "release.submit": gettext_lazy("Cannot submit this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.start_review": gettext_lazy(
        "Cannot start the review of this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.approve": gettext_lazy("Cannot approve this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.request_changes": gettext_lazy(
        "Cannot request changes to this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.publish": gettext_lazy("Cannot publish this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.schedule": gettext_lazy("Cannot schedule this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.unschedule": gettext_lazy(
        "Cannot unschedule this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.correct": gettext_lazy("Cannot correct this release: it is %(state)s (allowed from: %(allowed)s)."),
    "release.withdraw": gettext_lazy("Cannot withdraw this release: it is %(state)s (allowed from: %(allowed)s)."),
}


def _state_name(state: str) -> str:
    """A state named in running text: English lower-cases its label ("it is draft"); a translation is kept as its
    catalog writes it (German capitalizes nouns)."""
    label = State(state).label
    name = pgettext("release state", label)
    return name.lower() if name == label else name


def _require_editable(release: Release, by: Membership) -> None:
    permissions.require_view(by, release)
    editable = STAFF_EDITABLE if permissions.is_wire_staff(by) else ISSUER_EDITABLE
    if release.state not in editable:
        raise IllegalTransition(_("This release is %(state)s; it can no longer be edited.") % {
            "state": _state_name(release.state)}, details={"state": release.state})


def release_update(*, release: Release, by: Membership, data: ReleaseInput, signature: str | None = None) -> Outcome:
    # Checked before the sanitizing, so a refused edit costs none, and again under the lock.
    seen = _fresh(release)
    _require_editable(seen, by)
    prepared = _prepare(data, creating=False)
    removed = prepared.removed
    # The issuer's signature is checked on every edit, outside the transaction like the sanitizing. A draft may
    # be left unsigned; a release already submitted must stay signed if its issuer requires it.
    verdict = get_checker().verify(release=seen, fields=_signed_fields_after(seen, prepared), signature=signature,
                                   required=seen.state not in ISSUER_EDITABLE)
    with transaction.atomic():
        release = _locked(release)
        _require_editable(release, by)
        before = release_snapshot(release)
        _write(release, prepared)
        get_checker().record(release=release, verdict=verdict)
        written: dict[str, Any] = {"changes": changes(before, release_snapshot(release))}
        if removed:
            written["removed_html"] = removed
        audit_record(actor=by.user, organization=by.organization, action="release.update", target=release,
                     from_state=release.state, to_state=release.state, data=written)
    return Outcome(release, removed)


def _fresh(release: Release) -> Release:
    return Release.objects.select_related("issuer", "original_language").get(pk=release.pk)


def _locked(release: Release) -> Release:
    """Re-read the row under a lock so two concurrent transitions cannot both pass the state check. Only the
    release's row: without `of`, PostgreSQL would also lock the joined issuer and language rows, and every
    transition of one issuer's releases, or of all releases in one language, would wait for the others."""
    return (Release.objects.select_for_update(of=("self",)).select_related("issuer", "original_language")
            .get(pk=release.pk))


def _require_state(release: Release, *, allowed_from: Iterable[str], action: str) -> None:
    allowed = frozenset(allowed_from)
    if release.state not in allowed:
        names = ", ".join(sorted(_state_name(state) for state in allowed))
        raise IllegalTransition(REFUSED_ACTIONS[action] % {"state": _state_name(release.state), "allowed": names},
                                details={"state": release.state})


class _Changed(Exception):
    """The release changed between rendering its version and locking it: render again."""


def _stamp(release: Release) -> tuple[Any, ...]:
    """Changes whenever anything a version's renderings show changes: every write to a release or its relations
    saves the release's row (`updated_at`), and every write to a localization saves the localization's."""
    localizations = release.localizations.aggregate(count=Count("pk"), last=Max("updated_at"))
    return release.state, release.version, release.updated_at, localizations["count"], localizations["last"]


def _attempts() -> Iterator[bool]:
    """One per attempt at a change that renders its version; True for the last, which renders under the lock."""
    for attempt in range(1, RENDER_ATTEMPTS + 1):
        yield attempt == RENDER_ATTEMPTS


def _render(release: Release, upcoming: Upcoming) -> object:
    """The version's renderings, made from `release` as the change will leave it (held in memory)."""
    return get_stager().render(release=release, upcoming=upcoming)


def _unchanged(locked: Release, stamp: tuple[Any, ...]) -> None:
    if _stamp(locked) != stamp:
        raise _Changed


def _transition(
    release: Release, by: Membership | None, *, allowed_from: Iterable[str], to: str, action: str,
    data: dict[str, Any] | None = None,
) -> Release:
    _require_state(release, allowed_from=allowed_from, action=action)
    previous = release.state
    release.state = to
    release.save()
    audit_record(actor=by.user if by else None, organization=by.organization if by else None, action=action,
                 target=release, from_state=previous, to_state=to, data=data)
    return release


def _require_accepted(release: Release) -> None:
    waiting = sorted(release.localizations.filter(issuer_acceptance=Acceptance.PENDING)
                     .values_list("language_id", flat=True))
    if waiting:
        raise IllegalTransition(
            _("The release waits for the issuer to accept its machine translations (%(languages)s), or to let them "
              "out labelled \"machine translation, unreviewed\".") % {"languages": ", ".join(waiting)},
            details={"state": release.state, "unaccepted": waiting},
        )


def _require_ready(release: Release) -> None:
    original = release.localizations.filter(language=release.original_language).first()
    if original is None:
        raise InvalidInput(_("Add the %(language)s text (the original language) first.") % {
            "language": language_labels(release.original_language_id, release.original_language.name)[
                tag_for_django_code(get_language() or "en")]})
    if not release.sectors.exists():
        raise InvalidInput(_("Pick at least one sector."))


def release_submit(*, release: Release, by: Membership, signature: str | None = None, reply: str = "") -> Release:
    """Submit for review; `reply` answers the editor's change request, and is kept with the submission and in the
    audit log for the desk to read beside the changes."""
    seen = _fresh(release)
    permissions.require_issuer_or_staff(by, seen)
    refuse_control_characters([("reply", reply, True)])
    reply = reply.strip()
    if len(reply) > REPLY_MAX:
        raise InvalidInput(_("Keep the answer under %(count)d characters.") % {"count": REPLY_MAX},
                           details=[{"where": "reply", "problem": "too long"}])
    verdict = None
    if seen.state in ISSUER_EDITABLE:
        verdict = get_checker().verify(release=seen, fields=signed_fields(seen), signature=signature, required=True)
    with transaction.atomic():
        release = _locked(release)
        permissions.require_issuer_or_staff(by, release)
        if release.state in ISSUER_EDITABLE:
            _require_ready(release)
            for localization in release.localizations.all():
                localization_recheck(localization)
            if verdict is None:
                raise InvalidInput(_("The release changed while it was submitted; submit it again."))
            get_checker().record(release=release, verdict=verdict)
        # Only a submission after a change request answers one.
        note = release.review_note if release.state == State.CHANGES_REQUESTED else ""
        if reply and not note:
            raise InvalidInput(_("There is no change request to answer."),
                               details=[{"where": "reply", "problem": "nothing to answer"}])
        _transition(release, by, allowed_from=ISSUER_EDITABLE, to=State.SUBMITTED, action="release.submit",
                    data={"note": note, "reply": reply} if reply else None)
        _record_submission(release, by, note=note, reply=reply)
        return release


def _record_submission(release: Release, by: Membership, *, note: str, reply: str) -> Submission:
    """The release as submitted and the desk's checks of it, so the next review can diff against this one."""
    previous = release.submissions.order_by("-number").first()
    return Submission.objects.create(
        release=release, number=previous.number + 1 if previous else 1, snapshot=release_snapshot(release),
        checks=submission_checks(release=release, previous_at=previous.submitted_at if previous else None),
        submitted_at=_now(), submitted_by=by.user, note=note, reply=reply,
    )


@transaction.atomic
def release_start_review(*, release: Release, by: Membership) -> Release:
    release = _locked(release)
    permissions.require_staff(by, release)
    return _transition(release, by, allowed_from={State.SUBMITTED}, to=State.IN_REVIEW,
                       action="release.start_review")


@transaction.atomic
def release_approve(*, release: Release, by: Membership) -> Release:
    release = _locked(release)
    permissions.require_staff(by, release)
    release.review_note = ""
    return _transition(release, by, allowed_from={State.SUBMITTED, State.IN_REVIEW}, to=State.APPROVED,
                       action="release.approve")


@transaction.atomic
def release_request_changes(*, release: Release, by: Membership, note: str) -> Release:
    release = _locked(release)
    permissions.require_staff(by, release)
    refuse_control_characters([("note", note, True)])
    note = note.strip()
    if not note:
        raise InvalidInput("Say what needs to change.")
    release.review_note = note[:5000]
    return _transition(release, by, allowed_from={State.SUBMITTED, State.IN_REVIEW, State.APPROVED},
                       to=State.CHANGES_REQUESTED, action="release.request_changes", data={"note": note[:5000]})


def _check_publish(release: Release, by: Membership) -> None:
    permissions.require_issuer_or_staff(by, release, admin_only=True)
    if release.state == State.APPROVED:
        _require_accepted(release)


def release_publish(*, release: Release, by: Membership, embargo_at: dt.datetime | None = None) -> Release:
    """Publish now, or schedule for the embargo second when it is in the future.

    The version is rendered first, outside any transaction; the transaction then checks that the release is
    as it was rendered, writes the version and stages its deliveries with those renderings.
    """
    for last in _attempts():
        seen = _fresh(release)
        stamp = _stamp(seen)
        _check_publish(seen, by)
        embargo = _whole_second(embargo_at) if embargo_at is not None else seen.embargo_at
        now = _now()
        scheduling = embargo is not None and embargo > now
        action = "release.schedule" if scheduling else "release.publish"
        _require_state(seen, allowed_from={State.APPROVED}, action=action)
        # A scheduled version carries its embargo second, as the clock will publish it.
        at = embargo if embargo is not None and scheduling else now
        upcoming = Upcoming(number=seen.version + 1, action=Action.PUBLISH, at=at)
        prepared = None if last else _render(_as_published(seen, upcoming, scheduling), upcoming)
        # The search terms too are made before the transaction; the stamp check below vouches for them.
        terms = None if last or scheduling else get_indexer().prepare(release=seen)
        try:
            with transaction.atomic():
                locked = _locked(release)
                _check_publish(locked, by)
                _unchanged(locked, stamp)
                _as_published(locked, upcoming, scheduling)
                if prepared is None:
                    prepared = _render(locked, upcoming)
                key_id = ""
                if scheduling:
                    _transition(locked, by, allowed_from={State.APPROVED}, to=State.SCHEDULED, action=action,
                                data={"embargo_at": upcoming.at.isoformat()})
                    # Before staging, which seals the pre-positioned copies with it.
                    key_id = get_keeper().make(release=locked, version=upcoming.number, embargo=upcoming.at)
                else:
                    _transition(locked, by, allowed_from={State.APPROVED}, to=State.PUBLISHED, action=action)
                    _add_version(locked, by, Action.PUBLISH, note="", at=now)
                    get_indexer().index_release(release=locked, prepared=terms)
                # Targeted and rendered now, so the fan-out can start at once, or on the embargo second.
                get_stager().stage(release=locked, version=upcoming.number, action=Action.PUBLISH,
                                   not_before=upcoming.at, now=now, prepared=prepared)
                if scheduling:
                    # For the stream's clients that opted in: the sealed copies staging just made.
                    _append_event(release=locked, action=EventAction.ENVELOPE, at=now, version=upcoming.number,
                                  key_id=key_id)
                return locked
        except _Changed:
            continue
    raise AssertionError("the last attempt renders under the lock")


def _as_published(release: Release, upcoming: Upcoming, scheduling: bool) -> Release:
    """`release` (in memory) as publishing or scheduling `upcoming` leaves it."""
    if scheduling:
        release.embargo_at = upcoming.at
    else:
        release.published_at = upcoming.at
    return release


@transaction.atomic
def release_unschedule(*, release: Release, by: Membership) -> Release:
    release = _locked(release)
    permissions.require_issuer_or_staff(by, release, admin_only=True)
    # Back to approved with no embargo: the next publish goes out now unless it names a new second.
    release.embargo_at = None
    _transition(release, by, allowed_from={State.SCHEDULED}, to=State.APPROVED, action="release.unschedule")
    get_stager().unstage(release=release, version=release.version + 1)
    _forget_key(release, version=release.version + 1)
    return release


def _forget_key(release: Release, *, version: int) -> None:
    """A dropped schedule: its key deleted unreleased, and the stream's pre-positioned clients told (staging told
    the other channels' recipients)."""
    forgotten = get_keeper().forget(release=release, version=version)
    if forgotten is not None:
        _append_event(release=release, action=EventAction.KILL, at=_now(), version=version, key_id=forgotten)


def _due(release: Release, moment: dt.datetime) -> bool:
    return release.state == State.SCHEDULED and release.embargo_at is not None and release.embargo_at <= moment


def release_publish_due(*, release: Release, now: dt.datetime | None = None) -> bool:
    """The embargo clock: publish a scheduled release whose second has come. False if it was not due.

    Its deliveries were normally staged when it was scheduled; if not, they are rendered first and staged here.
    """
    moment = now or _now()
    stager = get_stager()
    for last in _attempts():
        seen = _fresh(release)
        stamp = _stamp(seen)
        if not _due(seen, moment):
            return False
        assert seen.embargo_at is not None
        # The release carries the embargo second as its time, not the moment the worker got to it.
        upcoming = Upcoming(number=seen.version + 1, action=Action.PUBLISH, at=seen.embargo_at)
        staged = stager.is_staged(release=seen, version=upcoming.number)
        prepared = None if staged or last else _render(_as_published(seen, upcoming, False), upcoming)
        terms = None if last else get_indexer().prepare(release=seen)
        try:
            with transaction.atomic():
                locked = _locked(release)
                if not _due(locked, moment):
                    return False
                _unchanged(locked, stamp)
                _as_published(locked, upcoming, False)
                _transition(locked, None, allowed_from={State.SCHEDULED}, to=State.PUBLISHED,
                            action="release.publish")
                # The pre-positioned copies become readable in the transaction that makes the version public; the
                # stream's key event goes just before the version's own.
                released = get_keeper().release(release=locked, version=upcoming.number, now=moment)
                if released is not None:
                    _append_event(release=locked, action=EventAction.KEY, at=upcoming.at, version=upcoming.number,
                                  key_id=released)
                _add_version(locked, None, Action.PUBLISH, note="", at=upcoming.at)
                # Searchable from its second: the index gains it in the transaction that makes it public.
                get_indexer().index_release(release=locked, prepared=terms)
                if not stager.is_staged(release=locked, version=locked.version):
                    if prepared is None:
                        prepared = _render(locked, upcoming)
                    stager.stage(release=locked, version=locked.version, action=Action.PUBLISH, not_before=moment,
                                 now=moment, prepared=prepared)
                return True
        except _Changed:
            continue
    raise AssertionError("the last attempt renders under the lock")


def _require_correctable(release: Release, by: Membership, note: str) -> None:
    permissions.require_staff(by, release)
    refuse_control_characters([("note", note, True)])
    if not note:
        raise InvalidInput("A correction needs a note saying what changed.")
    if release.state not in (State.PUBLISHED, State.CORRECTED):
        raise IllegalTransition(f"Only a published release can be corrected; this one is "
                                f"{release.get_state_display().lower()}.", details={"state": release.state})


def release_correct(
    *, release: Release, by: Membership, note: str, localizations: list[LocalizationInput] | None = None,
    signature: str | None = None,
) -> Outcome:
    """A new version of a distributed release. When it changes the original, each translation of it that the
    correction does not bring itself goes out marked "translation pending update", and its update is queued
    (machine ones translated again by the worker, the translators' ones back in their queue): it follows as a
    correction of its own (`release_correct_translation`)."""
    note = note.strip()
    seen = _fresh(release)
    _require_correctable(seen, by, note)
    prepared_input = _prepare(ReleaseInput(localizations=localizations or []), creating=False)
    verdict = get_checker().verify(release=seen, fields=_signed_fields_after(seen, prepared_input),
                                   signature=signature, required=True)

    def check(current: Release) -> None:
        _require_correctable(current, by, note)

    return _correct(release, by, note, prepared_input, check=check, verdict=verdict)


def release_correct_translation(*, release: Release, language: str, values: dict[str, Any], note: str,
                                by: Membership | None) -> Release:
    """The correction that brings a translation left "pending update" by an earlier correction up to date:
    `values` are its new fields (the worker's draft, or a translator's, which the issuer accepted or allowed out
    unreviewed). The callers check who may; the original is unchanged, so its signature stands."""
    target = _language(language)

    def check(current: Release) -> None:
        if current.state not in (State.PUBLISHED, State.CORRECTED):
            raise IllegalTransition(f"Only a published release's translations are updated; this one is "
                                    f"{current.get_state_display().lower()}.", details={"state": current.state})
        if not current.localizations.filter(language=target,
                                            translation_update=TranslationUpdate.PENDING).exists():
            raise IllegalTransition(f"The {language} translation is not waiting for an update.",
                                    details={"state": current.state})

    fields = {**values, "translation_update": TranslationUpdate.UPDATED, "update_since": None}
    prepared = _Prepared(ReleaseInput(), None, [], None, None, [(target, fields)], {})
    return _correct(release, by, note.strip(), prepared, check=check, verdict=None).release


def _correct(release: Release, by: Membership | None, note: str, prepared_input: _Prepared, *,
             check: Callable[[Release], None], verdict: object | None) -> Outcome:
    for last in _attempts():
        seen = _fresh(release)
        stamp = _stamp(seen)
        check(seen)
        now = _now()
        upcoming = Upcoming(number=seen.version + 1, action=Action.CORRECT, at=now, note=note[:5000])
        corrected = _as_corrected(seen, prepared_input, version=upcoming.number)
        if verdict is not None:
            # Rendered before the write: the items carry the signature that comes with the correction. (A
            # translation's update leaves the original, and so its stored signature, as it was.)
            get_checker().hold(release=corrected, verdict=verdict)
        prepared = None if last else _render(corrected, upcoming)
        terms = None if last else get_indexer().prepare(release=corrected)
        try:
            with transaction.atomic():
                locked = _locked(release)
                check(locked)
                _unchanged(locked, stamp)
                before = release_snapshot(locked)
                changed, marks = _follow_ups(locked, prepared_input, version=upcoming.number)
                _write(locked, prepared_input)
                for language, (mark, since) in marks.items():
                    locked.localizations.filter(language_id=language).update(
                        translation_update=mark, update_since=since, updated_at=now)
                if verdict is not None:
                    get_checker().record(release=locked, verdict=verdict)
                _transition(locked, by, allowed_from={State.PUBLISHED, State.CORRECTED}, to=State.CORRECTED,
                            action="release.correct",
                            data={"note": note[:5000], "changes": changes(before, release_snapshot(locked))})
                _add_version(locked, by, Action.CORRECT, note=note[:5000], at=now)
                outdated = [localization for localization in locked.localizations.all()
                            if localization.language_id in marks
                            and marks[localization.language_id][1] is not None and changed]
                if outdated:
                    # Queued in this transaction: the correction and the promise of its updates stand or fall together.
                    get_retranslator()(release=locked, outdated=outdated, fields=changed, by=by)
                get_indexer().index_release(release=locked, prepared=terms)
                if prepared is None:
                    prepared = _render(locked, upcoming)
                get_stager().stage(release=locked, version=locked.version, action=Action.CORRECT, not_before=now,
                                   now=now, prepared=prepared)
                return Outcome(locked, prepared_input.removed)
        except _Changed:
            continue
    raise AssertionError("the last attempt renders under the lock")


TRANSLATED_FIELDS = ("headline", "summary", "body_html")


def _follow_ups(release: Release, prepared: _Prepared, *, version: int,
                current: Iterable[Localization] | None = None) -> tuple[list[str], dict[str, tuple[str, int | None]]]:
    """What a correction does to the translations it does not bring itself: the original's fields it changes, and
    each such localization's new (translation_update, update_since). A translation of a changed original is
    pending from this version (or from the one that first left it behind); an "updated" mark is the note of the
    version that carried the update, so the next correction drops it."""
    stored = list(release.localizations.all() if current is None else current)
    supplied = {language.code: values for language, values in prepared.localizations}
    source = release.original_language_id
    original = next((loc for loc in stored if loc.language_id == source), None)
    changed = []
    if source in supplied and original is not None:
        changed = [name for name in TRANSLATED_FIELDS if supplied[source][name] != getattr(original, name)]
    marks: dict[str, tuple[str, int | None]] = {}
    for localization in stored:
        if localization.language_id in supplied or localization.language_id == source:
            continue
        translation = (localization.origin in (Origin.MACHINE, Origin.HUMAN)
                       and localization.translated_from_id == source)
        if changed and translation:
            marks[localization.language_id] = (TranslationUpdate.PENDING, localization.update_since or version)
        elif localization.translation_update == TranslationUpdate.UPDATED:
            marks[localization.language_id] = (TranslationUpdate.CURRENT, None)
    return changed, marks


def _as_corrected(release: Release, prepared: _Prepared, *, version: int) -> Release:
    """`release` as the correction's `_write` will leave it, held in memory: its renderings are made before
    the write. The renderers read the localizations through `release.localizations.all()`, which answers from
    the prefetched list below."""
    prefetch_related_objects([release], "localizations__language", "localizations__translated_from")
    cached = release.localizations.all()
    _, marks = _follow_ups(release, prepared, version=version, current=cached)
    by_language = {localization.language_id: localization for localization in cached}
    for code, (mark, since) in marks.items():
        by_language[code].translation_update, by_language[code].update_since = mark, since
    for language, fields in prepared.localizations:
        localization = by_language.get(language.code) or Localization(release=release, language=language)
        for name, value in fields.items():
            setattr(localization, name, value)
        by_language[language.code] = localization
    # The prefetched queryset's own list: a correction may add a language, which no query has returned yet.
    cached._result_cache = list(by_language.values())
    return release


def _check_withdraw(release: Release, by: Membership, reason: str) -> None:
    permissions.require_staff(by, release)
    refuse_control_characters([("reason", reason, True)])
    if not reason.strip():
        raise InvalidInput("A withdrawal needs a reason.")


def release_withdraw(*, release: Release, by: Membership, reason: str) -> Release:
    for last in _attempts():
        seen = _fresh(release)
        stamp = _stamp(seen)
        _check_withdraw(seen, by, reason)
        reason = reason.strip()
        allowed = {State.PUBLISHED, State.CORRECTED, State.SCHEDULED}
        _require_state(seen, allowed_from=allowed, action="release.withdraw")
        # The withdrawal of a distributed release is a version of its own, so a kill notice reaches everyone who
        # got it; a scheduled release was never sent, and what was staged for it is dropped.
        was_distributed = seen.state in (State.PUBLISHED, State.CORRECTED)
        now = _now()
        upcoming = Upcoming(number=seen.version + 1, action=Action.WITHDRAW, at=now, note=reason[:5000])
        prepared = _render(seen, upcoming) if was_distributed and not last else None
        try:
            with transaction.atomic():
                locked = _locked(release)
                _check_withdraw(locked, by, reason)
                _unchanged(locked, stamp)
                locked.withdrawn_at = now
                _transition(locked, by, allowed_from=allowed, to=State.WITHDRAWN, action="release.withdraw",
                            data={"reason": reason[:5000]})
                # Gone from search results in the transaction that withdraws it.
                get_indexer().unindex_release(release=locked)
                if not was_distributed:
                    get_stager().unstage(release=locked, version=upcoming.number)
                    _forget_key(locked, version=upcoming.number)
                    return locked
                _add_version(locked, by, Action.WITHDRAW, note=reason[:5000], at=now)
                if prepared is None:
                    prepared = _render(locked, upcoming)
                get_stager().stage(release=locked, version=locked.version, action=Action.WITHDRAW,
                                   not_before=now, now=now, prepared=prepared)
                return locked
        except _Changed:
            continue
    raise AssertionError("the last attempt renders under the lock")


def release_snapshot(release: Release) -> dict[str, Any]:
    localizations = release.localizations.select_related("language").order_by("language__position")
    return {
        "id": str(release.id),
        "urn": release.urn,
        "kind": release.kind,
        "issuer": {"id": release.issuer_id, "name": release.issuer.name},
        "original_language": release.original_language_id,
        "sectors": list(release.sectors.values_list("slug", flat=True)),
        "countries": list(release.countries.values_list("code", flat=True)),
        "regions": list(release.regions.values_list("slug", flat=True)),
        "languages": list(release.languages.values_list("code", flat=True)),
        "dateline": release.dateline,
        "contacts": release.contacts,
        "embargo_at": release.embargo_at.isoformat() if release.embargo_at else None,
        "published_at": release.published_at.isoformat() if release.published_at else None,
        "localizations": [
            {
                "language": loc.language_id,
                "headline": loc.headline,
                "summary": loc.summary,
                "body_html": loc.body_html,
                "translated_from": loc.translated_from_id,
                "origin": loc.origin,
                "engine": loc.engine,
                "translator": loc.translator,
            }
            for loc in localizations
        ],
    }


def _add_version(release: Release, by: Membership | None, action: str, *, note: str, at: dt.datetime) -> None:
    release.version += 1
    release.save(update_fields=["version", "updated_at"])
    ReleaseVersion.objects.create(
        release=release, number=release.version, action=action, note=note, snapshot=release_snapshot(release),
        created_at=at, created_by=by.user if by else None,
    )
    _append_event(release=release, action=action, at=at)


def _append_event(*, release: Release, action: str, at: dt.datetime, version: int | None = None,
                  key_id: str = "") -> None:
    """Appends to the event log so that events become visible in `seq` order, the order readers resume in.

    PostgreSQL takes `seq` from a sequence at insert, not at commit: two publishes could take 10 and 11 and
    commit 11 first, and a reader that resumed after 11 would never see 10. The advisory lock, held from here to
    the end of the transaction, lets one append at a time: the next takes its `seq` only once this one has
    committed (or rolled back), so a committed event never has an uncommitted one below it. Only the staging of
    deliveries follows in the transaction, so publishes wait for each other's staging and nothing else.
    SQLite needs nothing: a write transaction holds the database's only write lock from its first statement
    (IMMEDIATE) until it ends.
    The NOTIFY is delivered at commit, and never for a transaction that rolls back.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EVENT_LOG_LOCK])
    event = WireEvent.objects.create(release=release, version=release.version if version is None else version,
                                     action=action, key_id=key_id, created_at=at)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [EVENT_CHANNEL, str(event.seq)])



@transaction.atomic
def localization_mark_reviewed(*, release: Release, language: str, by: Membership) -> Localization:
    """An editor vouches for a localization (typically a machine translation) after reading it."""
    release = _locked(release)
    permissions.require_staff(by, release)
    if release.state == State.WITHDRAWN:
        raise IllegalTransition("A withdrawn release's localizations can no longer be reviewed.",
                                details={"state": release.state})
    localization = (release.localizations.filter(language_id=language).first()
                    if control_character(language) is None else None)
    if localization is None:
        raise InvalidInput(f"This release has no {language} localization.")
    if localization.review_state != ReviewState.REVIEWED:
        previous = localization.review_state
        localization.review_state = ReviewState.REVIEWED
        localization.save(update_fields=["review_state", "updated_at"])
        audit_record(actor=by.user, organization=by.organization, action="localization.review",
                     target=localization, from_state=previous, to_state=ReviewState.REVIEWED,
                     data={"release": str(release.pk), "language": language})
    return localization


@transaction.atomic
def events_prune(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Deletes the events older than the retention (`WIREROOM_EVENT_RETENTION_DAYS`) and records the highest
    `seq` pruned, so `events_after` can tell a reader whose cursor is below it. Prunes by `seq`: everything up to
    the newest event older than the retention goes, so the retained log has no holes. Returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days or settings.EVENT_RETENTION_DAYS)
    through = (WireEvent.objects.filter(created_at__lt=cutoff).order_by("-seq")
               .values_list("seq", flat=True).first())
    if through is None:
        return 0
    deleted, _ = WireEvent.objects.filter(seq__lte=through).delete()
    marker, _ = PrunedEvents.objects.select_for_update().get_or_create(pk=1)
    if through > marker.through_seq:
        marker.through_seq = through
        marker.save(update_fields=["through_seq"])
    return deleted
