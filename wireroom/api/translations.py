"""Machine translation through the API: request drafts of a release in other languages, follow their
progress and the checks of each localization; the issuer's glossary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from wireroom.accounts.models import Organization
from wireroom.api.auth import actor
from wireroom.api.schemas import ErrorOut
from wireroom.lib.errors import InvalidInput, NotAllowed
from wireroom.releases.selectors import release_for
from wireroom.translation import selectors, services
from wireroom.translation.models import GlossaryTerm

router = Router(tags=["translations"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 413, 422}): ErrorOut}


class TranslationRequestIn(Schema):
    languages: list[str] = Field(..., min_length=1, max_length=20, description="BCP 47 tags, e.g. `es`, `zh-Hant`")


class JobOut(Schema):
    language: str
    state: str = Field(..., description="pending, leased, retrying, done or failed")
    attempts: int
    last_error: str
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    engine_chain: list[dict[str, str]] = Field(..., description="Each hop: engine, version, source, target")
    review_state: str | None
    issuer_acceptance: str | None = Field(
        ..., description="pending (the release waits), accepted, or unreviewed (goes out labelled as such)")
    checks: dict[str, Any] = Field(..., description="The draft's language and quality findings")
    update_fields: list[str] = Field(
        ..., description="After a correction of the original: the fields translated again (empty: a first draft)")
    update_waiting: bool = Field(
        ..., description="An update of the translation is ready and waits for the issuer's acceptance (`…/accept`)")


class TranslationsOut(Schema):
    jobs: list[JobOut]
    language_flags: dict[str, list[dict[str, Any]]] = Field(
        ..., description="Localizations whose text is not in their declared language or script")


class AcceptIn(Schema):
    unreviewed: bool = Field(False, description="Let it out labelled \"machine translation, unreviewed\"")


class GlossaryTermIn(Schema):
    term: str = Field(..., min_length=1, max_length=120)
    translation: str = Field("", max_length=120, description="Empty: keep the term as written")


class GlossaryIn(Schema):
    organization: str | None = Field(None, description="Organization slug; wire editors only")
    terms: list[GlossaryTermIn] = Field(..., max_length=500)


class GlossaryOut(Schema):
    organization: str
    language: str
    terms: list[GlossaryTermIn]


def _progress(release_id: str, request: HttpRequest) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    return {"jobs": selectors.translation_progress(release=release),
            "language_flags": selectors.language_flags(release=release)}


@router.post("/releases/{release_id}/translations", response={202: TranslationsOut, **ERRORS},
             summary="Request machine drafts in these languages; the worker makes them")
def request_translations(request: HttpRequest, release_id: str,
                         payload: TranslationRequestIn) -> Status[dict[str, Any]]:
    release = release_for(actor=actor(request), release_id=release_id)
    services.translation_request(release=release, languages=payload.languages, by=actor(request))
    return Status(202, _progress(release_id, request))


@router.get("/releases/{release_id}/translations", response={200: TranslationsOut, **ERRORS},
            summary="Progress of the requested drafts, and the language checks of every localization")
def translations(request: HttpRequest, release_id: str) -> dict[str, Any]:
    return _progress(release_id, request)


@router.post("/releases/{release_id}/localizations/{language}/accept", response={200: TranslationsOut, **ERRORS},
             summary="Accept a machine draft in the issuer's name, or let it out unreviewed (issuer admins); on a "
                     "distributed release, accept the update of a translation, which goes out as a correction")
def accept(request: HttpRequest, release_id: str, language: str, payload: AcceptIn | None = None) -> dict[str, Any]:
    release = release_for(actor=actor(request), release_id=release_id)
    services.localization_accept(release=release, language=language, by=actor(request),
                                 unreviewed=payload.unreviewed if payload else False)
    return _progress(release_id, request)


def _organization(request: HttpRequest, slug: str | None) -> Organization:
    membership = actor(request)
    if slug is None or slug == membership.organization.slug:
        return membership.organization
    if not membership.is_wire_staff:
        raise NotAllowed("Only the wire's editors may manage another organization's glossary.")
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise InvalidInput(f"Unknown organization {slug!r}.")
    return organization


def _glossary(organization: Organization, language: str) -> dict[str, Any]:
    terms = GlossaryTerm.objects.filter(issuer=organization, language_id=language)
    return {"organization": organization.slug, "language": language,
            "terms": [{"term": t.term, "translation": t.translation} for t in terms]}


@router.get("/glossary/{language}", response={200: GlossaryOut, **ERRORS},
            summary="Your organization's glossary for one language")
def glossary(request: HttpRequest, language: str, organization: str | None = None) -> dict[str, Any]:
    return _glossary(_organization(request, organization), language)


@router.put("/glossary/{language}", response={200: GlossaryOut, **ERRORS},
            summary="Replace your organization's glossary for one language (issuer admins, wire editors)")
def set_glossary(request: HttpRequest, language: str, payload: GlossaryIn) -> dict[str, Any]:
    organization = _organization(request, payload.organization)
    services.glossary_set(organization=organization, language=language, by=actor(request),
                          terms={item.term: item.translation for item in payload.terms})
    return _glossary(organization, language)
