from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wireroom.anatomy.render import render_item
from wireroom.media.selectors import release_images
from wireroom.newsroom import validators
from wireroom.newsroom.listing import chosen_language, conditional_page, entry, first_class_languages, paged
from wireroom.newsroom.metadata import home_metadata, release_metadata
from wireroom.newsroom.selectors import listed_releases, listing_changed_at, top_stories
from wireroom.releases.models import Release
from wireroom.releases.selectors import (
    ArchiveFilters,
    latest_correction_note,
    public_release,
    release_is_withdrawn,
    release_visible_to_user,
)

TOP_STORIES = 5


@require_safe
@conditional_page(validators.home)
def home(request: HttpRequest, language: str | None = None) -> HttpResponse:
    """The latest releases and the top stories, in the language of the URL (`/ar/`), else the one the
    visitor's browser asks for."""
    languages = first_class_languages()
    current = chosen_language(request, languages, language)
    page = paged(request, listed_releases(filters=ArchiveFilters()))
    # The top stories lead the first page only; the pages after it continue the latest releases.
    tops = top_stories(limit=TOP_STORIES) if page.number == 1 else []
    with translation.override(current.django_code):
        title = _("Latest releases")
        response = render(request, "newsroom/home.html", {
            "page": page,
            "entries": [entry(release, current.code) for release in page.object_list],
            "top_stories": [entry(release, current.code) for release in tops],
            "languages": languages,
            "switcher": [(lang, reverse("newsroom:home-in", kwargs={"language": lang.code})) for lang in languages],
            "current": current,
            "page_lang": current.code,
            "page_dir": current.direction,
            "page_title": title,
            "metadata": home_metadata(language=current.code, languages=[lang.code for lang in languages],
                                      title=title, description=title, negotiated=language is None),
        })
    response["Content-Language"] = current.code
    changed = listing_changed_at(filters=ArchiveFilters())
    if changed is not None:
        response["Last-Modified"] = http_date(changed.timestamp())
    if language is None:
        patch_vary_headers(response, ["Accept-Language"])
    return response


def _release(request: HttpRequest, release_id: uuid.UUID) -> tuple[Release, bool] | HttpResponse:
    """The public release, or a preview for its issuer and the wire's editors; else 410 if it was withdrawn,
    404 otherwise."""
    release = public_release(release_id=release_id)
    if release is not None:
        return release, False
    hidden = release_visible_to_user(user=request.user, release_id=release_id)
    if hidden is not None:
        return hidden, True
    if release_is_withdrawn(release_id=release_id):
        return render(request, "newsroom/withdrawn.html", status=410)
    raise Http404("No such release.")


@require_safe
def release_original(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    found = _release(request, release_id)
    if isinstance(found, HttpResponse):
        return found
    release, _preview = found
    return redirect("newsroom:release", release_id=release.id, language=release.original_language_id)


@require_safe
@conditional_page(validators.release)
def release_page(request: HttpRequest, release_id: uuid.UUID, language: str) -> HttpResponse:
    found = _release(request, release_id)
    if isinstance(found, HttpResponse):
        return found
    release, preview = found
    languages = {loc.language_id: loc.language for loc in release.localizations.all()}
    if language not in languages:
        raise Http404("This release is not available in that language.")
    item = render_item(release, language, correction_note=latest_correction_note(release=release))
    ordered = [code for code, _lang in sorted(languages.items(), key=lambda kv: kv[1].position)]
    modified = release.versions.order_by("-number").values_list("created_at", flat=True).first()
    metadata = release_metadata(release=release, item=item, languages=ordered, preview=preview, modified=modified)
    with translation.override(item.django_language):
        response = render(request, "newsroom/release.html", {
            "release": release,
            "item": item,
            "others": [lang for code, lang in sorted(languages.items(), key=lambda kv: kv[1].position)
                       if code != language],
            "preview": preview,
            "page_lang": item.language,
            "page_dir": item.direction,
            "now": timezone.now(),
            "metadata": metadata,
            "images": release_images(release=release),
        })
    if modified is not None and not preview:
        response["Last-Modified"] = http_date(max(modified, release.published_at or modified).timestamp())
    return response
