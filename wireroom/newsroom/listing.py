"""What every listing page of the newsroom shares: the page's language, the entries shown in it, paging,
the language switcher, the metadata and the validators of a conditional GET."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from wireroom.newsroom.metadata import listing_metadata
from wireroom.releases.models import Localization, Release
from wireroom.taxonomy.models import Language, tag_for_django_code

PAGE_SIZE = 20


View = Callable[..., HttpResponse]
Validator = Callable[..., str | None]


def conditional_page(validator: Validator) -> Callable[[View], View]:
    """A conditional GET answered before the view renders: `validator(request, *args, **kwargs)` gives the
    page's entity tag from the data it shows (`validators.py`); a request whose If-None-Match holds gets 304
    with no rendering. A 200 carries that tag. Where the validator gives None, Django's conditional GET runs on
    the rendered page (an ETag from its bytes, the Last-Modified the view set), as does If-Modified-Since."""

    def decorate(view: View) -> View:
        conditional = ConditionalGetMiddleware(view)

        @functools.wraps(view)
        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            tag = validator(request, *args, **kwargs)
            if tag is not None and request.headers.get("If-None-Match"):
                not_modified = get_conditional_response(request, etag=tag)
                if not_modified is not None:
                    not_modified["ETag"] = tag
                    if kwargs.get("language") is None:  # the language came from Accept-Language
                        patch_vary_headers(not_modified, ["Accept-Language"])
                    return not_modified
            response = view(request, *args, **kwargs)
            if tag is not None and response.status_code == 200:
                response["ETag"] = tag
            return cast(HttpResponse, conditional.process_response(request, response))

        return answer

    return decorate


def first_class_languages() -> list[Language]:
    return list(Language.objects.filter(first_class=True).order_by("position"))


def chosen_language(request: HttpRequest, languages: list[Language], tag: str | None) -> Language:
    """The language of the URL, else the one the visitor's browser asks for, else the wire's default."""
    by_tag = {lang.code: lang for lang in languages}
    wanted = tag or tag_for_django_code(translation.get_language_from_request(request))
    return by_tag.get(wanted) or by_tag[tag_for_django_code(settings.LANGUAGE_CODE)]


@dataclass(frozen=True)
class Entry:
    """One release in a list: the localization shown (the page's language if there is one, else the
    original) and all of them, in the wire's order of languages."""

    release: Release
    shown: Localization
    localizations: list[Localization]


def entry(release: Release, tag: str) -> Entry:
    localizations = sorted(release.localizations.all(), key=lambda loc: loc.language.position)
    shown = next((loc for loc in localizations if loc.language_id == tag), None) or next(
        (loc for loc in localizations if loc.language_id == release.original_language_id), localizations[0])
    return Entry(release=release, shown=shown, localizations=localizations)


def paged(request: HttpRequest, releases: QuerySet[Release]) -> Page[Release]:
    """One page of the list; a page number past the end (or not a number) gives the last (or the first)."""
    return Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))


def render_listing(request: HttpRequest, *, template: str, view: str, kwargs: dict[str, Any], language: Language,
                   languages: list[Language], title: str, description: str, changed: dt.datetime | None,
                   page: Page[Release] | None = None, context: dict[str, Any] | None = None,
                   status: int = 200) -> HttpResponse:
    """Renders a listing in `language` with its switcher (the same page in every language) and metadata."""
    number = page.number if page is not None else 1
    with translation.override(language.django_code):
        response = render(request, template, {
            **(context or {}),
            "page": page,
            "entries": [entry(release, language.code) for release in page.object_list] if page else [],
            "languages": languages,
            "switcher": [(lang, reverse(f"newsroom:{view}", kwargs={**kwargs, "language": lang.code}))
                         for lang in languages],
            "current": language,
            "page_lang": language.code,
            "page_dir": language.direction,
            "page_title": title,
            "metadata": listing_metadata(view=view, kwargs=kwargs, language=language.code,
                                         languages=[lang.code for lang in languages], title=title,
                                         description=description, page=number),
        }, status=status)
    response["Content-Language"] = language.code
    if changed is not None:
        response["Last-Modified"] = http_date(changed.timestamp())
    return response
