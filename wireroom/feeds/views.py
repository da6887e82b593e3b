"""The feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1), the sitemaps and robots.txt."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemaps_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from wireroom.anatomy.render import render_item
from wireroom.brand.selectors import brand, brand_changed_at
from wireroom.distribution.channels.websub.topics import hub_url
from wireroom.feeds.generators import KINDS, Category, Channel, Entry
from wireroom.feeds.query import FeedError, FeedQuery, cursor_text, feed_query
from wireroom.feeds.selectors import Cursor, PageEntry, feed_page, feed_releases, last_withdrawal
from wireroom.feeds.sitemaps import SITEMAPS
from wireroom.mediadb.selectors import wire_reach
from wireroom.releases.models import Release, State
from wireroom.taxonomy.models import tag_for_django_code

PAGE_SIZE = 50


def sectors_scheme() -> str:
    return f"urn:{settings.URN_NAMESPACE}:sectors"


def error_response(exc: FeedError) -> JsonResponse:
    return JsonResponse({"error": {"code": exc.code, "message": exc.message, "details": exc.details}},
                        status=exc.status, json_dumps_params={"ensure_ascii": False})


def feed_url(path: str, params: dict[str, str]) -> str:
    return settings.BASE_URL + path + (f"?{urlencode(params)}" if params else "")


def _entry(release: Release, entry: PageEntry, language: str | None) -> Entry:
    corrections = getattr(release, "corrections", [])
    note = corrections[0].note if release.state == State.CORRECTED and corrections else ""
    item = render_item(release, language, correction_note=note)
    return Entry(
        id=f"{release.urn}:{item.language}",
        url=settings.BASE_URL + reverse("newsroom:release",
                                        kwargs={"release_id": release.id, "language": item.language}),
        title=item.headline,
        summary=item.summary,
        content_html=str(item.html()),
        language=item.language,
        published=entry.published_at,
        updated=entry.updated_at,
        author=release.issuer.name,
        categories=tuple(Category(term=sector.slug, label=sector.label(item.language), scheme=sectors_scheme())
                         for sector in release.sectors.all()),
    )


def wire_name(query: FeedQuery) -> str:
    """The wire's name as its brand spells it in the feed's language, else in the wire's default language."""
    return brand(language=query.facets.language or tag_for_django_code(settings.LANGUAGE_CODE)).wire_name


def _etag(self_url: str, wire: str, page: list[PageEntry], withdrawn: dt.datetime | None,
          worded: dt.datetime | None) -> str:
    """Changes with the entries (each release's version), a withdrawal, the wire's wording, and what else the
    text holds."""
    state = [self_url, wire, hub_url(), repr(wire_reach()), worded.isoformat() if worded else None,
             withdrawn.isoformat() if withdrawn else None,
             [(str(entry.release_id), entry.version, entry.updated_at.isoformat()) for entry in page]]
    digest = hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]
    # Weak: the same entries may be spelled differently by another release of Wireroom.
    return f'W/"{digest}"'


def _channel(path: str, query: FeedQuery, page: list[PageEntry], more: bool, updated: dt.datetime) -> Channel:
    self_url = feed_url(path, query.parameters(with_cursor=True))
    current = feed_url(path, query.parameters(with_cursor=False))
    links: list[tuple[str, str]] = []
    if query.before is not None:
        links.append(("current", current))
        links.append(("first", current))
    if more:
        cursor = Cursor(published_at=page[-1].published_at, release_id=page[-1].release_id)
        older_url = feed_url(path, {**query.parameters(with_cursor=False), "before": cursor_text(cursor)})
        links.append(("next", older_url))
        links.append(("prev-archive", older_url))
    links.append(("hub", hub_url()))
    wire = wire_name(query)
    title = " · ".join([wire, *query.names]) if query.names else wire
    return Channel(
        title=title,
        description=f"Releases on {wire}" + (f": {', '.join(query.names)}" if query.names else ""),
        home_url=settings.BASE_URL + "/",
        feed_id=current,
        self_url=self_url,
        language=query.facets.language,
        author=wire,
        links=tuple(links),
        archive=query.before is not None,
        updated=updated,
    )


@dataclass(frozen=True)
class FeedPage:
    """A feed's page read, with its validators, before anything is rendered."""

    path: str
    ext: str
    query: FeedQuery
    page: list[PageEntry]
    more: bool
    last_modified: dt.datetime | None
    headers: dict[str, str]
    now: dt.datetime

    def body(self) -> bytes:
        channel = _channel(self.path, self.query, self.page, self.more, self.last_modified or self.now)
        entries = {entry.release_id: entry for entry in self.page}
        language = self.query.facets.language
        return KINDS[self.ext].write(channel, [_entry(release, entries[release.pk], language)
                                              for release in feed_releases(page=self.page, language=language)])


def feed_page_read(*, path: str, ext: str, query: FeedQuery) -> FeedPage:
    now = timezone.now()
    found = feed_page(facets=query.facets, before=query.before, limit=PAGE_SIZE + 1, now=now)
    page, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    withdrawn = last_withdrawal(facets=query.facets, now=now)
    # The entries carry the wire's disclaimers and boilerplate: an edit of the wording changes them too.
    worded = brand_changed_at()
    times = [entry.updated_at for entry in page] + ([withdrawn] if withdrawn else []) + (
        [worded] if worded and page else [])
    last_modified = max(times) if times else None
    self_url = feed_url(path, query.parameters(with_cursor=True))
    headers = {"ETag": _etag(f"{ext}:{self_url}", wire_name(query), page, withdrawn, worded),
               "Cache-Control": "no-cache", "Link": f'<{self_url}>; rel="self", <{hub_url()}>; rel="hub"'}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified.timestamp())
    return FeedPage(path=path, ext=ext, query=query, page=page, more=more, last_modified=last_modified,
                    headers=headers, now=now)


@require_safe
def feed(request: HttpRequest, ext: str, axis: str | None = None, value: str | None = None) -> HttpResponseBase:
    try:
        query = feed_query(params=request.GET, path_axis=axis, path_value=value)
    except FeedError as exc:
        return error_response(exc)
    read = feed_page_read(path=request.path, ext=ext, query=query)
    unchanged = get_conditional_response(
        request, etag=read.headers["ETag"],
        last_modified=int(read.last_modified.timestamp()) if read.last_modified else None)
    if unchanged is not None:
        for name, header in read.headers.items():
            unchanged.headers[name] = header
        return unchanged
    # Only now, with the validators known to have changed, are the releases loaded and rendered.
    response = HttpResponse(read.body(), content_type=KINDS[ext].content_type)
    for name, header in read.headers.items():
        response.headers[name] = header
    return response


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /console/", "",
             "Sitemap: " + settings.BASE_URL + reverse("feeds:sitemap-index"), ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@dataclass(frozen=True)
class SitemapIndexItem:
    """What Django's `sitemap_index.xml` reads of each sitemap."""

    location: str
    last_mod: dt.datetime | None = None


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Django's index names the sitemaps on the host the request came to; this one on the public URL, like the
    sitemaps' own entries and the feeds."""
    items = []
    for section, site in SITEMAPS.items():
        location = settings.BASE_URL + reverse("feeds:sitemap", kwargs={"section": section})
        items.append(SitemapIndexItem(location))
        items.extend(SitemapIndexItem(f"{location}?p={page}") for page in range(2, site.paginator.num_pages + 1))
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noarchive"
    return response


@require_safe
def sitemap(request: HttpRequest, section: str) -> HttpResponse:
    template = "feeds/news_sitemap.xml" if section == "news" else "sitemap.xml"
    maps: dict[str, Sitemap[Any] | type[Sitemap[Any]]] = dict(SITEMAPS)
    return sitemaps_views.sitemap(request, maps, section=section, template_name=template)
