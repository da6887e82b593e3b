from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from wireroom.releases.services import MAX_BODY, MAX_HEADLINE, MAX_SUMMARY

KindName = Literal["press_release", "third_party_article", "media_advisory"]
OriginName = Literal["author", "machine", "human"]


class ContactIn(Schema):
    name: str = Field("", max_length=200)
    organization: str = Field("", max_length=200)
    email: str = Field("", max_length=200)
    phone: str = Field("", max_length=60)


class LocalizationIn(Schema):
    language: str = Field(..., max_length=20, description="BCP 47 tag, e.g. `ar` or `zh-Hans`")
    headline: str = Field(..., min_length=1, max_length=MAX_HEADLINE)
    summary: str = Field("", max_length=MAX_SUMMARY)
    body_html: str = Field(..., min_length=1, max_length=MAX_BODY,
                           description="HTML; unsafe markup is removed and reported back")
    translated_from: str | None = Field(None, max_length=20)
    origin: OriginName = "author"
    engine: str = Field("", max_length=60)
    translator: str = Field("", max_length=120)


class ReleaseCreate(Schema):
    kind: KindName = "press_release"
    issuer: str | None = Field(None, description="Issuer slug; wire editors only")
    original_language: str = Field(..., max_length=20)
    sectors: list[str] = Field(default_factory=list, max_length=40)
    countries: list[str] = Field(default_factory=list, max_length=300)
    regions: list[str] = Field(default_factory=list, max_length=40)
    languages: list[str] = Field(default_factory=list, max_length=40)
    embargo_at: dt.datetime | None = None
    dateline: str = Field("", max_length=120)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=20)
    localizations: list[LocalizationIn] = Field(..., min_length=1, max_length=40)


SIGNATURE_HELP = ("Optional. The issuer's compact detached JWS (EdDSA, unencoded payload) over the RFC 8785 form "
                  "of the release's original text; see docs/trust.md")


class ReleaseUpdate(Schema):
    kind: KindName | None = None
    original_language: str | None = Field(None, max_length=20)
    sectors: list[str] | None = Field(None, max_length=40)
    countries: list[str] | None = Field(None, max_length=300)
    regions: list[str] | None = Field(None, max_length=40)
    languages: list[str] | None = Field(None, max_length=40)
    embargo_at: dt.datetime | None = None
    clear_embargo: bool = False
    dateline: str | None = Field(None, max_length=120)
    contacts: list[ContactIn] | None = Field(None, max_length=20)
    localizations: list[LocalizationIn] = Field(default_factory=list, max_length=40)
    signature: str | None = Field(None, max_length=2000, description=SIGNATURE_HELP)


class NoteIn(Schema):
    note: str = Field(..., min_length=1, max_length=5000)


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000, description="Why; sent with the kill notice")


class PublishIn(Schema):
    embargo_at: dt.datetime | None = Field(None, description="Schedule for this UTC second instead of now")


class CorrectIn(Schema):
    note: str = Field(..., min_length=1, max_length=5000)
    localizations: list[LocalizationIn] = Field(default_factory=list, max_length=40)
    signature: str | None = Field(None, max_length=2000, description=SIGNATURE_HELP)


class SubmitIn(Schema):
    signature: str | None = Field(None, max_length=2000, description=SIGNATURE_HELP)


class ReleaseOut(Schema):
    id: str
    state: str
    version: int
    embargo_at: dt.datetime | None
    review_note: str
    removed_html: dict[str, list[str]]
    language_flags: dict[str, list[dict[str, Any]]] = Field(
        ..., description="Localizations whose text is not in their declared language or script, as checked when "
                         "the text arrived and at submission")
    item: dict[str, Any]


class SearchMatch(Schema):
    id: str
    language: str = Field(description="The language of the localization that matched (BCP 47)")
    headline: str = Field(description="That localization's headline as HTML: escaped text, the matches in <mark>")
    snippet: str = Field(description="An extract of its summary or body around the first match, as HTML likewise")
    score: float = Field(description="Relevance discounted by age; higher first")


class ReleasePage(Schema):
    items: list[dict[str, Any]]
    next_cursor: str | None
    matches: list[SearchMatch] | None = Field(
        None, description="With `q`: one per item, in the same order, saying where and how it matched")
    total: int | None = Field(None, description="With `q`: how many releases matched in all; when `more`, among the "
                                                "best 1,000 matching texts only")
    more: bool | None = Field(None, description="With `q`: more texts matched than the best 1,000 that are ranked")


class VersionOut(Schema):
    number: int
    action: Literal["publish", "correct", "withdraw"]
    note: str = Field(description="The correction note, or the reason for a withdrawal")
    created_at: dt.datetime


class VersionList(Schema):
    release: str
    state: str
    versions: list[VersionOut]


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody
