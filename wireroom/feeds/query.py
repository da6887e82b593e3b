"""A feed request read strictly: which facets and search words, which page. Bad input is a `FeedError` naming what
is wrong."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from wireroom.accounts.models import Organization
from wireroom.feeds.selectors import Cursor, Facets
from wireroom.lib.text import control_character
from wireroom.taxonomy.labels import region_labels, territory_labels
from wireroom.taxonomy.models import Country, Language, Region, Sector

AXES = ("language", "sector", "issuer", "country", "region")
PARAMETERS = (*AXES, "q", "before")
MAX_QUERY = 200


class FeedError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True)
class FeedQuery:
    facets: Facets
    before: Cursor | None
    # The facets' names for the feed's title, in the order of AXES.
    names: list[str] = field(default_factory=list)
    # The axis the feed's path names (`/feeds/sector/energy.atom`): not repeated in its query.
    path_axis: str | None = None

    def parameters(self, *, with_cursor: bool) -> dict[str, str]:
        """The facets (and the cursor) as query parameters, in one order, so that one feed has one URL."""
        values = {axis: getattr(self.facets, axis) for axis in AXES}
        params = {axis: value for axis, value in values.items() if value and axis != self.path_axis}
        if self.facets.q:
            params["q"] = self.facets.q
        if with_cursor and self.before is not None:
            params["before"] = cursor_text(self.before)
        return params


def cursor_text(cursor: Cursor) -> str:
    when = cursor.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{when}_{cursor.release_id.hex}"


def _cursor(raw: str) -> Cursor:
    when, _, key = raw.partition("_")
    try:
        published_at = dt.datetime.strptime(when, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        return Cursor(published_at=published_at, release_id=uuid.UUID(hex=key))
    except ValueError:
        raise FeedError(400, "invalid_input", "'before' is not a page of this feed: follow the feed's "
                        "rel=\"next\" link rather than writing it.", {"parameter": "before"}) from None


def _named(axis: str, value: str, language: str) -> str:
    """The facet's value looked up (404 if the wire has none such) and named in `language` where it can be."""
    missing = FeedError(404, "not_found", f"No {axis} {value!r} on this wire.", {"parameter": axis, "value": value})
    if control_character(value) is not None:
        raise missing
    if axis == "language":
        found = Language.objects.filter(code=value).first()
        if found is None:
            raise missing
        return found.native_name
    if axis == "sector":
        sector = Sector.objects.filter(slug=value).first()
        if sector is None:
            raise missing
        return sector.label(language)
    if axis == "issuer":
        issuer = Organization.objects.filter(slug=value).first()
        if issuer is None:
            raise missing
        return issuer.name
    if axis == "country":
        country = Country.objects.filter(code=value).first()
        if country is None:
            raise missing
        return territory_labels(country.code, country.name).get(language, country.name)
    region = Region.objects.filter(slug=value).first()
    if region is None:
        raise missing
    return region_labels(region.slug, region.name).get(language, region.name)


def feed_query(*, params: QueryDict, path_axis: str | None = None, path_value: str | None = None) -> FeedQuery:
    """The facets from the path (`/feeds/sector/energy.atom`) and the query (`?language=ar`), checked."""
    unknown = sorted(name for name in params if name not in PARAMETERS)
    if unknown:
        raise FeedError(400, "invalid_input",
                        f"Unknown parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                        f"A feed takes {', '.join(PARAMETERS)}.", {"unknown": unknown})
    repeated = sorted(name for name in params if len(params.getlist(name)) > 1)
    if repeated:
        raise FeedError(400, "invalid_input", f"Give {repeated[0]} once: a feed narrows to one value per axis.",
                        {"repeated": repeated})
    values: dict[str, str] = {}
    if path_axis is not None and path_value is not None:
        values[path_axis] = path_value
    for axis in AXES:
        if axis not in params:
            continue
        if axis in values:
            raise FeedError(400, "invalid_input", f"This feed's address already names its {axis}; drop the "
                            f"{axis} parameter.", {"parameter": axis})
        values[axis] = str(params[axis])
    for axis, value in values.items():
        if not value:
            raise FeedError(400, "invalid_input", f"{axis} is empty.", {"parameter": axis})
    label_language = values.get("language", "en")
    names = [_named(axis, values[axis], label_language) for axis in AXES if axis in values]
    q = _search_words(params)
    if q:
        names.append(f"“{q}”")
    before = _cursor(str(params["before"])) if params.get("before") else None
    return FeedQuery(facets=Facets(**values, q=q), before=before, names=names, path_axis=path_axis)


def _search_words(params: QueryDict) -> str | None:
    """`q`, the words a feed's releases must hold, with spaces tidied so one search has one feed URL."""
    if "q" not in params:
        return None
    q = " ".join(str(params["q"]).split())
    if not q:
        raise FeedError(400, "invalid_input", "q is empty; give words to search for, or leave it out.",
                        {"parameter": "q"})
    if len(q) > MAX_QUERY or control_character(q) is not None:
        raise FeedError(400, "invalid_input", f"q must be at most {MAX_QUERY} characters of text.",
                        {"parameter": "q"})
    return q
