"""The entity tags of the newsroom's pages, made from the data a page shows rather than from its rendered bytes,
so a conditional GET that still matches is answered 304 after a few small reads and no rendering.

A tag is a digest of: the build (the wire's version, its templates and its compiled catalogs, so an upgrade
changes every tag), the page (the view, its address parts, the language it is shown in and the query string,
`?page=` included), the brand of that language (the masthead's name, a release's disclaimer and boilerplate),
and the state of the releases it lists (`listing_state`: how many public releases match, the newest change,
publication and embargo second among them, and the withdrawals among those that matched).
So a publication, a correction, a withdrawal and an embargo's second each change the tags of the pages that
show the release. A validator answers None where it cannot vouch for the page (a preview, a withdrawn or
missing release, a facet that does not exist): that page is rendered and tagged by its bytes, as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.http import HttpRequest

import wireroom
from wireroom.accounts.models import ISSUING_KINDS, Organization
from wireroom.brand.selectors import brand
from wireroom.media.selectors import organization_logo
from wireroom.newsroom.listing import chosen_language, first_class_languages
from wireroom.newsroom.selectors import issuers_with_releases, listing_state, public_release_state
from wireroom.releases.selectors import ArchiveFilters
from wireroom.taxonomy.models import Country, Region, Sector

PACKAGE = Path(wireroom.__file__).parent


@functools.cache
def build() -> str:
    """What the code contributes to every page: the version, and the templates and catalogs (read once per
    process), which change the page without changing the data."""
    digest = hashlib.sha256()
    try:
        digest.update(version("wireroom").encode())
    except PackageNotFoundError:  # run from a source tree without an install
        digest.update(b"source")
    files = sorted([*PACKAGE.glob("*/templates/**/*.html"), *PACKAGE.glob("locale/*/LC_MESSAGES/*.mo")])
    for path in files:
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _tag(request: HttpRequest, view: str, language: str, parts: Iterable[object]) -> str:
    query = "&".join(sorted(f"{key}={value}" for key in request.GET for value in request.GET.getlist(key)))
    digest = hashlib.sha256(build().encode())
    # The brand is read from the process's cache, as the page that would be rendered reads it.
    for part in (view, language, query, repr(brand(language=language)), *parts):
        digest.update(b"\x00" + (part.isoformat() if isinstance(part, dt.datetime) else str(part)).encode())
    return f'W/"{digest.hexdigest()[:40]}"'


def _language(request: HttpRequest, language: str | None) -> str:
    return chosen_language(request, first_class_languages(), language).code


def home(request: HttpRequest, language: str | None = None) -> str | None:
    return _tag(request, "home", _language(request, language), listing_state(filters=ArchiveFilters()))


def search(request: HttpRequest, language: str | None = None) -> str | None:
    # The index is kept in step with publishing, correcting and withdrawing: the archive's state is the index's.
    return _tag(request, "search", _language(request, language), listing_state(filters=ArchiveFilters()))


def directory(request: HttpRequest, language: str) -> str | None:
    issuers = [(org.slug, org.name) for org in issuers_with_releases()]
    return _tag(request, "directory", language, [*listing_state(filters=ArchiveFilters()), issuers])


def sector(request: HttpRequest, language: str, value: str) -> str | None:
    if not Sector.objects.filter(slug=value).exists():
        return None
    return _tag(request, "sector", language, [value, *listing_state(filters=ArchiveFilters(sector=value))])


def country(request: HttpRequest, language: str, value: str) -> str | None:
    if not Country.objects.filter(code=value).exists():
        return None
    return _tag(request, "country", language, [value, *listing_state(filters=ArchiveFilters(country=value))])


def region(request: HttpRequest, language: str, value: str) -> str | None:
    if not Region.objects.filter(slug=value).exists():
        return None
    return _tag(request, "region", language, [value, *listing_state(filters=ArchiveFilters(region=value))])


def issuer(request: HttpRequest, language: str, value: str) -> str | None:
    """The issuer's own words and logo are on the page too."""
    found = (Organization.objects.filter(slug=value, kind__in=ISSUING_KINDS)
             .values_list("pk", "name", "website", "about").first())
    if found is None:
        return None
    logo = organization_logo(organization_id=found[0])
    return _tag(request, "issuer", language, [*found, logo.key if logo else "",
                                               *listing_state(filters=ArchiveFilters(issuer=value))])


def archive(request: HttpRequest, language: str, year: str | None = None, month: str | None = None,
            day: str | None = None) -> str | None:
    if year is None:
        filters = ArchiveFilters()
    else:
        try:
            since = dt.datetime(int(year), int(month or 1), int(day or 1), tzinfo=dt.UTC)
        except ValueError:
            return None
        # The period's end is the view's business; a later release of the same year shows on the year's page.
        filters = ArchiveFilters(since=since)
    return _tag(request, "archive", language, [year, month, day, *listing_state(filters=filters)])


def release(request: HttpRequest, release_id: uuid.UUID, language: str) -> str | None:
    """A public release's page: its version (each correction adds one), its last change and its embargo second.
    Anything else (a preview for its issuer, a withdrawn or missing release) is rendered every time."""
    state = public_release_state(release_id=release_id)
    if state is None:
        return None
    return _tag(request, "release", language, [release_id, *state])
