"""The newsroom's listing pages, each in the language of its URL: sectors, countries, regions, issuers'
newsrooms and the dated archive, and the directory that leads to them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from babel.dates import format_date, format_skeleton
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wireroom.accounts.models import ISSUING_KINDS, Organization
from wireroom.anatomy.render import babel_locale
from wireroom.media.selectors import organization_logo
from wireroom.newsroom import validators
from wireroom.newsroom.listing import (
    chosen_language,
    conditional_page,
    first_class_languages,
    paged,
    render_listing,
)
from wireroom.newsroom.selectors import (
    countries_with_releases,
    issuers_with_releases,
    listed_releases,
    listing_changed_at,
    publication_dates,
)
from wireroom.releases.selectors import ArchiveFilters
from wireroom.taxonomy.labels import region_labels, territory_labels
from wireroom.taxonomy.models import Country, Region, Sector


@require_safe
def negotiate(request: HttpRequest, rest: str) -> HttpResponse:
    """A listing's address without a language (`/sectors/energy/`) leads to it in the visitor's language."""
    language = chosen_language(request, first_class_languages(), None)
    query = request.META.get("QUERY_STRING", "")
    response = redirect(f"/{language.code}/{rest}" + (f"?{query}" if query else ""))
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
@conditional_page(validators.directory)
def directory(request: HttpRequest, language: str) -> HttpResponse:
    """Every sector and region, and the countries and issuers that have public releases, named in the page's
    language: the way into the listings."""
    languages = first_class_languages()
    current = chosen_language(request, languages, language)
    tag = current.code
    with translation.override(current.django_code):
        title = _("Browse")
    sectors = [(sector.slug, sector.label(tag)) for sector in Sector.objects.order_by("position", "slug")]
    regions = [(region.slug, region_labels(region.slug, region.name).get(tag, region.name))
               for region in Region.objects.order_by("slug")]
    countries = sorted(((country.code, territory_labels(country.code, country.name).get(tag, country.name))
                        for country in countries_with_releases()), key=lambda pair: pair[1])
    issuers = list(issuers_with_releases())
    return render_listing(request, template="newsroom/directory.html", view="directory", kwargs={},
                          language=current, languages=languages, title=title, description=title,
                          changed=listing_changed_at(filters=ArchiveFilters()),
                          context={"sectors": sectors, "regions": regions, "countries": countries,
                                   "issuers": issuers})


def _facet_page(request: HttpRequest, *, language: str, view: str, axis: str, value: str, name: str,
                filters: ArchiveFilters, context: dict[str, object] | None = None,
                template: str = "newsroom/listing.html") -> HttpResponse:
    languages = first_class_languages()
    current = chosen_language(request, languages, language)
    return render_listing(request, template=template, view=view, kwargs={"value": value}, language=current,
                          languages=languages, title=name, description=name,
                          changed=listing_changed_at(filters=filters), page=paged(request, listed_releases(
                              filters=filters)),
                          context={"feed_axis": axis, "feed_value": value, **(context or {})})


@require_safe
@conditional_page(validators.sector)
def sector(request: HttpRequest, language: str, value: str) -> HttpResponse:
    found = get_object_or_404(Sector, slug=value)
    return _facet_page(request, language=language, view="sector", axis="sector", value=value,
                       name=found.label(language), filters=ArchiveFilters(sector=found.slug))


@require_safe
@conditional_page(validators.country)
def country(request: HttpRequest, language: str, value: str) -> HttpResponse:
    found = get_object_or_404(Country, code=value)
    name = territory_labels(found.code, found.name).get(language, found.name)
    return _facet_page(request, language=language, view="country", axis="country", value=value, name=name,
                       filters=ArchiveFilters(country=found.code))


@require_safe
@conditional_page(validators.region)
def region(request: HttpRequest, language: str, value: str) -> HttpResponse:
    found = get_object_or_404(Region, slug=value)
    name = region_labels(found.slug, found.name).get(language, found.name)
    return _facet_page(request, language=language, view="region", axis="region", value=value, name=name,
                       filters=ArchiveFilters(region=found.slug))


@require_safe
@conditional_page(validators.issuer)
def issuer(request: HttpRequest, language: str, value: str) -> HttpResponse:
    """An issuer's newsroom: who they are (in their own words), their website, all their public releases."""
    found = get_object_or_404(Organization, slug=value, kind__in=ISSUING_KINDS)
    return _facet_page(request, language=language, view="issuer", axis="issuer", value=value, name=found.name,
                       filters=ArchiveFilters(issuer=found.slug),
                       context={"issuer": found, "logo": organization_logo(organization_id=found.pk)},
                       template="newsroom/issuer.html")


def _period(year: int, month: int | None, day: int | None) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants a year, month or day runs from (inclusive) and to (exclusive); Http404 if no such day."""
    try:
        start = dt.datetime(year, month or 1, day or 1, tzinfo=dt.UTC)
    except ValueError:
        raise Http404("No such day.") from None
    if day is not None:
        return start, start + dt.timedelta(days=1)
    if month is not None:
        return start, (start + dt.timedelta(days=32)).replace(day=1)
    return start, start.replace(year=year + 1) if year < dt.MAXYEAR else dt.datetime.max.replace(tzinfo=dt.UTC)


Level = Literal["year", "month", "day"]
LEVELS: tuple[Level, ...] = ("year", "month", "day")
SKELETONS = {"year": "y", "month": "yMMMM", "day": "MMMMd"}


def _archive_url(tag: str, level: Level, moment: dt.date) -> str:
    parts = {"year": f"{moment.year:04d}", "month": f"{moment.month:02d}", "day": f"{moment.day:02d}"}
    names = LEVELS[:LEVELS.index(level) + 1]
    return reverse(f"newsroom:archive-{level}", kwargs={"language": tag, **{name: parts[name] for name in names}})


@require_safe
@conditional_page(validators.archive)
def archive(request: HttpRequest, language: str, year: str | None = None, month: str | None = None,
            day: str | None = None) -> HttpResponse:
    """The archive by date: every release, newest first; a year, a month or a day of it (in UTC), with the
    months of a year and the days of a month that have releases."""
    languages = first_class_languages()
    current = chosen_language(request, languages, language)
    locale = babel_locale(current.code)
    level: Level
    numbers = (int(year) if year else None, int(month) if month else None, int(day) if day else None)
    kwargs = {key: value for key, value in (("year", year), ("month", month), ("day", day)) if value}
    if numbers[0] is None:
        filters, level, period = ArchiveFilters(), "year", None
    else:
        since, until = _period(numbers[0], numbers[1], numbers[2])
        filters = ArchiveFilters(since=since, until=until)
        level = "month" if numbers[1] is None else "day"
        if numbers[2] is not None:
            period = format_date(since.date(), "long", locale=locale)
        elif numbers[1] is not None:
            period = format_skeleton("yMMMM", since, locale=locale)
        else:
            period = format_skeleton("y", since, locale=locale)
    # Years on the archive's first page; months of a year; days of a month; a day has nothing below it.
    below = [] if numbers[2] is not None else [
        (_archive_url(current.code, level, moment), format_skeleton(SKELETONS[level], moment, locale=locale))
        for moment in publication_dates(kind=level, filters=filters)]
    view = ("archive", "archive-year", "archive-month", "archive-day")[len(kwargs)]
    with translation.override(current.django_code):
        title = _("Archive") if period is None else _("Archive: %(period)s") % {"period": period}
    return render_listing(request, template="newsroom/archive.html", view=view, kwargs=kwargs, language=current,
                          languages=languages, title=title, description=title,
                          changed=listing_changed_at(filters=filters),
                          page=paged(request, listed_releases(filters=filters)),
                          context={"below": below, "level": level})
