from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Header

from wireroom.accounts.models import Organization
from wireroom.api import idempotency
from wireroom.api.auth import READ_AUTH, actor, reader
from wireroom.api.conditional import conditional
from wireroom.api.negotiation import FORMAT_HELP, item_in_page, item_response, requested_format
from wireroom.api.schemas import (
    CorrectIn,
    ErrorOut,
    KindName,
    LocalizationIn,
    NoteIn,
    PublishIn,
    ReleaseCreate,
    ReleaseOut,
    ReleasePage,
    ReleaseUpdate,
    SubmitIn,
    VersionList,
    WithdrawIn,
)
from wireroom.formats.registry import DEFAULT, Format, get_format
from wireroom.formats.versions import as_distributed
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.lib.text import refuse_control_characters
from wireroom.releases import services
from wireroom.releases.models import Release, State
from wireroom.releases.selectors import (
    ArchiveFilters,
    archive_changed_at,
    release_by_pk,
    release_for,
    release_readable,
    release_version,
    release_versions,
    releases_readable,
)
from wireroom.search.selectors import search_releases
from wireroom.taxonomy.models import Country, Language, Region, Sector
from wireroom.translation.selectors import language_flags
from wireroom.trust.contentkeys import key_id
from wireroom.trust.selectors import released_content_key

router = Router(tags=["releases"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 413, 422}): ErrorOut}
MAX_PAGE = 100
# Search results are ranked, not a stable walk of the archive: a reader pages through the best matches only.
MAX_SEARCH_PAGES = 50


def _localizations(items: list[LocalizationIn]) -> list[services.LocalizationInput]:
    return [services.LocalizationInput(**item.dict()) for item in items]


def _contacts(items: list[Any] | None) -> list[dict[str, str]] | None:
    return None if items is None else [item.dict() for item in items]


def _ninjs(release: Release) -> dict[str, Any]:
    item: dict[str, Any] = json.loads(get_format(DEFAULT).render(release=release, version=None, language=None,
                                                                 action=None))
    return item


def _out(release: Release, removed: dict[str, list[str]] | None = None) -> dict[str, Any]:
    release = release_by_pk(pk=release.pk)
    return {
        "id": str(release.id),
        "state": release.state,
        "version": release.version,
        "embargo_at": release.embargo_at,
        "review_note": release.review_note,
        "removed_html": removed or {},
        "language_flags": language_flags(release=release),
        "item": _ninjs(release),
    }


IdempotencyKeyHeader = Annotated[str | None, Header(
    None, alias=idempotency.HEADER, min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
    description="Optional. A retry with the same key and body gets the same release (kept 24 hours, per "
                "organization); the same key with another body is 422 `idempotency_key_reused`.")]


@router.post("", response={201: ReleaseOut, **ERRORS}, summary="Create a draft")
def create_release(request: HttpRequest, payload: ReleaseCreate, response: HttpResponse,
                   idempotency_key: IdempotencyKeyHeader = None) -> Status[dict[str, Any]]:
    by = actor(request)
    issuer = None
    if payload.issuer is not None:
        refuse_control_characters([("issuer", payload.issuer, False)])
        issuer = Organization.objects.filter(slug=payload.issuer).first()
        if issuer is None:
            raise InvalidInput(f"Unknown issuer {payload.issuer!r}.")
    data = services.ReleaseInput(
        kind=payload.kind, original_language=payload.original_language, sectors=payload.sectors,
        countries=payload.countries, regions=payload.regions, languages=payload.languages,
        embargo_at=payload.embargo_at, dateline=payload.dateline, contacts=_contacts(payload.contacts),
        localizations=_localizations(payload.localizations),
    )
    if idempotency_key is None:
        outcome = services.release_create(by=by, data=data, issuer=issuer)
        return Status(201, _out(outcome.release, outcome.removed_html))
    claim = idempotency.idempotency_claim(
        organization=by.organization, key=idempotency_key,
        fingerprint=idempotency.fingerprint("POST /releases", payload.dict()))
    if claim.done:
        response["Idempotent-Replayed"] = "true"
        return Status(201, _out(release_for(actor=by, release_id=claim.release_id), claim.row.removed_html))
    try:
        outcome = services.release_create(by=by, data=data, issuer=issuer, release_id=claim.release_id)
    except Exception:
        idempotency.idempotency_release(claim=claim)
        raise
    idempotency.idempotency_complete(claim=claim, removed_html=outcome.removed_html)
    return Status(201, _out(outcome.release, outcome.removed_html))


@router.patch("/{release_id}", response={200: ReleaseOut, **ERRORS}, summary="Update a draft")
def update_release(request: HttpRequest, release_id: str, payload: ReleaseUpdate) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    data = services.ReleaseInput(
        kind=payload.kind, original_language=payload.original_language, sectors=payload.sectors,
        countries=payload.countries, regions=payload.regions, languages=payload.languages,
        embargo_at=payload.embargo_at, clear_embargo=payload.clear_embargo, dateline=payload.dateline,
        contacts=_contacts(payload.contacts), localizations=_localizations(payload.localizations),
    )
    outcome = services.release_update(release=release, by=actor(request), data=data, signature=payload.signature)
    return _out(outcome.release, outcome.removed_html)


class ItemQuery(Schema):
    format: str | None = Field(None, description=FORMAT_HELP)
    language: str | None = Field(None, description="BCP 47 tag of the item's language; the original by default")


ITEM_MEDIA_TYPES = ("application/ninjs+json", "application/vnd.iptc.g2.newsitem+xml", "application/nitf+xml")


def _item_changed_at(release: Release) -> dt.datetime:
    times = [release.updated_at, *(loc.updated_at for loc in release.localizations.all())]
    return max([*times, *([release.published_at] if release.published_at else [])])


ITEM_RESPONSES: dict[str, Any] = {"responses": {200: {"description": "The item", "content": {
    media_type: {"schema": {"type": "string" if media_type.endswith("xml") else "object"}}
    for media_type in ITEM_MEDIA_TYPES}}}}
CONDITIONAL = "; answers `If-None-Match` and `If-Modified-Since` with 304"


@router.get("/{release_id}", response={200: dict[str, Any], **ERRORS, 304: None, 406: ErrorOut}, auth=READ_AUTH,
            summary="Get one release as an item: ninjs 3.1, or the format asked for by Accept or ?format=",
            description="Published releases for every key (and anonymous clients where the operator allows "
                        "it); drafts and embargoed releases only for their issuer and the wire's staff"
                        + CONDITIONAL + ".",
            openapi_extra=ITEM_RESPONSES)
def get_release(request: HttpRequest, release_id: str, query: Query[ItemQuery]) -> HttpResponse:
    fmt = requested_format(request, query.format)
    release = release_readable(actor=reader(request), release_id=release_id)
    response = item_response(release, fmt, query.language)
    response["X-Wireroom-State"] = release.state
    return conditional(request, response, last_modified=_item_changed_at(release))


@router.get("/{release_id}/versions", response={200: VersionList, **ERRORS, 304: None}, auth=READ_AUTH,
            summary="The distributed versions of a release: publication, corrections, withdrawal",
            description="Readable as the release is: a withdrawn release's versions only by its issuer and the "
                        "wire's staff" + CONDITIONAL + ".")
def list_versions(request: HttpRequest, release_id: str) -> HttpResponse:
    release, versions = release_versions(actor=reader(request), release_id=release_id)
    body = {"release": str(release.id), "state": release.state, "versions": [
        {"number": v.number, "action": v.action, "note": v.note, "created_at": v.created_at.isoformat()}
        for v in versions]}
    changed = max([release.updated_at, *(v.created_at for v in versions)])
    return conditional(request, JsonResponse(body), last_modified=changed)


@router.get("/{release_id}/versions/{number}", response={200: dict[str, Any], **ERRORS, 304: None, 406: ErrorOut},
            auth=READ_AUTH, summary="One distributed version as an item, in any format",
            description="The item as that version was distributed: its own text (a later correction's is not in "
                        "it), number, time, status (a withdrawal is `canceled`) and correction note"
                        + CONDITIONAL + ".",
            openapi_extra=ITEM_RESPONSES)
def get_version(request: HttpRequest, release_id: str, number: int, query: Query[ItemQuery]) -> HttpResponse:
    fmt = requested_format(request, query.format)
    release, version = release_version(actor=reader(request), release_id=release_id, number=number)
    # Its own text, as it went out, not the text a later correction gave the release.
    distributed = as_distributed(release=release, version=version)
    response = item_response(distributed, fmt, query.language, version=version.number, action=version.action)
    response["X-Wireroom-State"] = release.state
    response["X-Wireroom-Version"] = str(version.number)
    return conditional(request, response, last_modified=max(version.created_at, _item_changed_at(release)))


class ContentKeyOut(Schema):
    release: str
    version: int
    key_id: str = Field(..., description="The key's id, as the envelopes it opens name it")
    key: str = Field(..., description="The AES-256-GCM key, base64 (32 bytes)")
    released_at: dt.datetime


@router.get("/{release_id}/versions/{number}/key", response={200: ContentKeyOut, **ERRORS}, auth=READ_AUTH,
            summary="The key of a pre-positioned version, from its embargo second",
            description="Opens the envelopes sent ahead of the embargo to endpoints that opted in (docs/trust.md). "
                        "404 until the embargo clock publishes the version, for a version that was never "
                        "pre-positioned, and for ever after its schedule was dropped; readable as the release is.")
def get_version_key(request: HttpRequest, release_id: str, number: int) -> dict[str, Any]:
    release, version = release_version(actor=reader(request), release_id=release_id, number=number)
    found = released_content_key(release_id=release.pk, version=version.number)
    if found is None or found.released_at is None:
        raise NotFound(f"Version {number} of this release has no released key.")
    return {"release": str(release.pk), "version": version.number, "key_id": key_id(bytes(found.key)),
            "key": base64.b64encode(bytes(found.key)).decode(), "released_at": found.released_at}


class ListFilters(Schema):
    state: State | None = Field(None, description="Only releases in this state (drafts and the like: your own)")
    sector: str | None = Field(None, max_length=40, description="Sector slug, e.g. `energy`")
    language: str | None = Field(None, max_length=20, description="Has text in this BCP 47 language")
    country: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2 code")
    region: str | None = Field(None, max_length=40, description="Region slug, e.g. `mena`")
    issuer: str | None = Field(None, max_length=80, description="Issuer organization's slug")
    kind: KindName | None = None
    since: dt.datetime | None = Field(None, description="Published at or after (ISO 8601 with a zone)")
    until: dt.datetime | None = Field(None, description="Published before (ISO 8601 with a zone)")
    updated_since: dt.datetime | None = Field(None, description="Changed at or after (ISO 8601 with a zone)")
    q: str | None = Field(None, max_length=500,
                          description="Full-text search in every language of the public archive, best match first; "
                                      "the other filters narrow it (`state` excepted)")
    cursor: str | None = None
    limit: int = Field(20, ge=1, le=MAX_PAGE)
    format: str | None = Field(None, description=FORMAT_HELP + "; an XML item is listed as text")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        created, _, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        moment = dt.datetime.fromisoformat(created)
        if moment.tzinfo is None:
            raise ValueError("naive")
        # In UTC here, as the query would convert it: year 1 or 9999 with an offset does not fit.
        return moment.astimezone(dt.UTC), uuid.UUID(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise InvalidInput("The cursor is not one this API gave out.") from None


def _aware(name: str, value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput(f"{name}: give a time zone (e.g. Z or +09:00).", details={"parameter": name})
    return value


def _archive_filters(filters: ListFilters) -> ArchiveFilters:
    refuse_control_characters([(name, value, False) for name, value in (
        ("sector", filters.sector), ("language", filters.language), ("country", filters.country),
        ("region", filters.region), ("issuer", filters.issuer)) if value is not None])
    known: list[tuple[str, str | None, Any]] = [
        ("sector", filters.sector, Sector.objects), ("language", filters.language, Language.objects),
        ("country", filters.country and filters.country.upper(), Country.objects),
        ("region", filters.region, Region.objects)]
    for name, value, manager in known:
        if value is not None and not manager.filter(pk=value).exists():
            raise InvalidInput(f"Unknown {name} {value!r}.", details={"parameter": name, "value": value})
    if filters.issuer is not None and not Organization.objects.filter(slug=filters.issuer).exists():
        raise InvalidInput(f"Unknown issuer {filters.issuer!r}.", details={"parameter": "issuer"})
    return ArchiveFilters(
        sector=filters.sector, language=filters.language, country=filters.country and filters.country.upper(),
        region=filters.region, issuer=filters.issuer, kind=filters.kind,
        since=_aware("since", filters.since), until=_aware("until", filters.until),
        updated_since=_aware("updated_since", filters.updated_since))


@router.get("", response={200: ReleasePage, **ERRORS, 304: None}, auth=READ_AUTH,
            summary="List and filter the archive, newest first",
            description="Every published release (past its embargo, not withdrawn), plus your organization's "
                        "own in every state (all of them for the wire's staff). Filters combine; an unknown "
                        "parameter or value is 422. The cursor walks the whole archive in a stable order "
                        "(creation time, then id), whatever the filters" + CONDITIONAL + ". With `q`, a full-text "
                        "search of the public archive only, best match first, with `matches` (the language and a "
                        "highlighted snippet of each) and `total`; its cursor pages through the first 50 pages.")
def list_releases(request: HttpRequest, filters: Query[ListFilters]) -> HttpResponse:
    fmt = get_format(DEFAULT) if filters.format is None else requested_format(request, filters.format)
    archive = _archive_filters(filters)
    if filters.q is not None:
        return _search(filters, archive, fmt)
    who = reader(request)
    queryset = releases_readable(actor=who, filters=archive)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.cursor:
        created, pk = _decode_cursor(filters.cursor)
        queryset = queryset.filter(created_at__lte=created).exclude(created_at=created, id__gte=pk)
    page = list(queryset[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    next_cursor = None
    if more and page:
        last = page[-1]
        next_cursor = base64.urlsafe_b64encode(f"{last.created_at.isoformat()}|{last.id}".encode()).decode()
    body = {"items": [item_in_page(release, fmt) for release in page], "next_cursor": next_cursor}
    response = JsonResponse(body)
    response["Vary"] = "Accept"
    return conditional(request, response, last_modified=archive_changed_at(actor=who, filters=archive))


def _search_page(cursor: str | None) -> int:
    """A search's cursor is the page that follows, written as the API writes cursors (opaque to clients)."""
    if cursor is None:
        return 1
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        if kind != "search" or not number.isdigit() or not 1 < int(number) <= MAX_SEARCH_PAGES:
            raise ValueError(kind)
        return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("The cursor is not one this search gave out.", details={"parameter": "cursor"}) from None


def _search(filters: ListFilters, archive: ArchiveFilters, fmt: Format) -> HttpResponse:
    """The list with `q`: the public archive's matches, best first (whoever asks: a search never shows drafts)."""
    if filters.state is not None:
        raise InvalidInput("q searches the public archive; leave out state.", details={"parameter": "state"})
    if not filters.q or not filters.q.strip():
        raise InvalidInput("q is empty; give words to search for, or leave it out.", details={"parameter": "q"})
    page = _search_page(filters.cursor)
    results = search_releases(query=filters.q, filters=archive, page=page, per_page=filters.limit)
    more = results.has_next and page < MAX_SEARCH_PAGES
    body = {
        "items": [item_in_page(hit.release, fmt) for hit in results.hits],
        "next_cursor": base64.urlsafe_b64encode(f"search|{page + 1}".encode()).decode() if more else None,
        "matches": [{"id": str(hit.release.pk), "language": hit.language, "headline": str(hit.headline),
                     "snippet": str(hit.snippet), "score": hit.score} for hit in results.hits],
        "total": results.total,
        "more": results.more,
    }
    response = JsonResponse(body)
    response["Vary"] = "Accept"
    return response


def _transition(request: HttpRequest, release_id: str, action: Any, **kwargs: Any) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    result = action(release=release, by=actor(request), **kwargs)
    return _out(result)


@router.post("/{release_id}/submit", response={200: ReleaseOut, **ERRORS}, summary="Submit for review")
def submit(request: HttpRequest, release_id: str, payload: SubmitIn | None = None) -> dict[str, Any]:
    return _transition(request, release_id, services.release_submit, signature=payload.signature if payload else None)


@router.post("/{release_id}/review", response={200: ReleaseOut, **ERRORS}, summary="Take into review (editors)")
def review(request: HttpRequest, release_id: str) -> dict[str, Any]:
    return _transition(request, release_id, services.release_start_review)


@router.post("/{release_id}/approve", response={200: ReleaseOut, **ERRORS}, summary="Approve (editors)")
def approve(request: HttpRequest, release_id: str) -> dict[str, Any]:
    return _transition(request, release_id, services.release_approve)


@router.post("/{release_id}/request-changes", response={200: ReleaseOut, **ERRORS},
             summary="Send back to the issuer (editors)")
def request_changes(request: HttpRequest, release_id: str, payload: NoteIn) -> dict[str, Any]:
    return _transition(request, release_id, services.release_request_changes, note=payload.note)


@router.post("/{release_id}/publish", response={200: ReleaseOut, **ERRORS},
             summary="Publish now, or schedule for an embargo second")
def publish(request: HttpRequest, release_id: str, payload: PublishIn | None = None) -> dict[str, Any]:
    embargo = payload.embargo_at if payload else None
    return _transition(request, release_id, services.release_publish, embargo_at=embargo)


@router.post("/{release_id}/unschedule", response={200: ReleaseOut, **ERRORS}, summary="Cancel a schedule")
def unschedule(request: HttpRequest, release_id: str) -> dict[str, Any]:
    return _transition(request, release_id, services.release_unschedule)


@router.post("/{release_id}/correct", response={200: ReleaseOut, **ERRORS},
             summary="Issue a correction (editors)")
def correct(request: HttpRequest, release_id: str, payload: CorrectIn) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    outcome = services.release_correct(release=release, by=actor(request), note=payload.note,
                                       localizations=_localizations(payload.localizations),
                                       signature=payload.signature)
    return _out(outcome.release, outcome.removed_html)


@router.post("/{release_id}/localizations/{language}/review", response={200: ReleaseOut, **ERRORS},
             summary="Mark a localization as reviewed by an editor (editors)")
def review_localization(request: HttpRequest, release_id: str, language: str) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    services.localization_mark_reviewed(release=release, language=language, by=actor(request))
    return _out(release)


@router.post("/{release_id}/withdraw", response={200: ReleaseOut, **ERRORS}, summary="Withdraw (editors)")
def withdraw(request: HttpRequest, release_id: str, payload: WithdrawIn) -> dict[str, Any]:
    return _transition(request, release_id, services.release_withdraw, reason=payload.reason)
