"""The wire's vocabulary, so clients stop hard-coding it: sectors, languages, countries and regions, each
labelled in all of the wire's languages; and the outlets (wire staff), whose ids endpoints and imports need."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from wireroom.api.auth import actor
from wireroom.api.schemas import ErrorOut
from wireroom.lib.errors import InvalidInput, NotAllowed
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.mediadb.selectors import outlets_filtered
from wireroom.taxonomy.labels import language_labels, region_labels, territory_labels
from wireroom.taxonomy.models import Country, Language, Region, Sector

router = Router(tags=["taxonomy"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 422}): ErrorOut}
Labels = dict[str, str]
MAX_PAGE = 100


class SectorOut(Schema):
    slug: str
    iptc_code: str = Field(..., description="IPTC Media Topic, e.g. medtop:04000000")
    iptc_uri: str
    labels: Labels = Field(..., description="BCP 47 tag of each of the wire's languages to the sector's name")


class LanguageOut(Schema):
    code: str = Field(..., description="BCP 47 tag")
    direction: str = Field(..., description="ltr or rtl")
    native_name: str
    labels: Labels


class CountryOut(Schema):
    code: str = Field(..., description="ISO 3166-1 alpha-2")
    alpha3: str
    labels: Labels


class RegionOut(Schema):
    slug: str
    labels: Labels
    countries: list[str]


class SectorList(Schema):
    items: list[SectorOut]


class LanguageList(Schema):
    items: list[LanguageOut]


class CountryList(Schema):
    items: list[CountryOut]


class RegionList(Schema):
    items: list[RegionOut]


class OutletOut(Schema):
    id: int
    name: str
    type: str
    country: str
    languages: list[str]
    sectors: list[str]
    website: str
    desktops: int
    active: bool


class OutletPage(Schema):
    items: list[OutletOut]
    next_cursor: str | None


class OutletFilters(Schema):
    country: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2")
    type: OutletType | None = None
    active: bool | None = None
    name: str = Field("", max_length=200, description="Part of the name, in any case")
    cursor: str | None = Field(None, max_length=100)
    limit: int = 50


@router.get("/sectors", response={200: SectorList, **ERRORS}, summary="The wire's sectors")
def sectors(request: HttpRequest) -> dict[str, Any]:
    return {"items": [{"slug": s.slug, "iptc_code": s.iptc_code, "iptc_uri": s.iptc_uri, "labels": s.labels}
                      for s in Sector.objects.all()]}


@router.get("/languages", response={200: LanguageList, **ERRORS}, summary="The wire's languages")
def languages(request: HttpRequest) -> dict[str, Any]:
    return {"items": [{"code": lang.code, "direction": lang.direction, "native_name": lang.native_name,
                       "labels": language_labels(lang.code, lang.name)} for lang in Language.objects.all()]}


@router.get("/countries", response={200: CountryList, **ERRORS}, summary="Countries (ISO 3166-1)")
def countries(request: HttpRequest) -> dict[str, Any]:
    return {"items": [{"code": c.code, "alpha3": c.alpha3, "labels": territory_labels(c.code, c.name)}
                      for c in Country.objects.order_by("code")]}


@router.get("/regions", response={200: RegionList, **ERRORS},
            summary="Regions: continents and markets, each a set of countries")
def regions(request: HttpRequest) -> dict[str, Any]:
    members: dict[str, list[str]] = {}
    for slug, code in Region.countries.through.objects.order_by("country_id").values_list("region_id", "country_id"):
        members.setdefault(slug, []).append(code)
    return {"items": [{"slug": r.slug, "labels": region_labels(r.slug, r.name), "countries": members.get(r.slug, [])}
                      for r in Region.objects.order_by("slug")]}


def _after(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("outlet:"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("The cursor is not one this API gave out.") from None


@router.get("/outlets", response={200: OutletPage, **ERRORS},
            summary="Outlets and terminal partners, by id (wire staff)")
def outlets(request: HttpRequest, filters: Query[OutletFilters]) -> dict[str, Any]:
    if not actor(request).is_wire_staff:
        raise NotAllowed("Only the wire's editors and admins see the media database.")
    if not 1 <= filters.limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}.")
    queryset = outlets_filtered(country=filters.country, type=filters.type, active=filters.active,
                                name=filters.name, after=_after(filters.cursor) if filters.cursor else None)
    page: list[Outlet] = list(queryset.prefetch_related("languages", "sectors")[: filters.limit + 1])
    more, page = len(page) > filters.limit, page[: filters.limit]
    next_cursor = base64.urlsafe_b64encode(f"outlet:{page[-1].pk}".encode()).decode() if more and page else None
    return {"items": [{"id": o.pk, "name": o.name, "type": o.type, "country": o.country_id,
                       "languages": sorted(lang.code for lang in o.languages.all()),
                       "sectors": sorted(s.slug for s in o.sectors.all()), "website": o.website,
                       "desktops": o.desktops, "active": o.active} for o in page],
            "next_cursor": next_cursor}
