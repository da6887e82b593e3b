from __future__ import annotations

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wireroom.anatomy.render import render_item
from wireroom.newsroom.metadata import home_metadata, release_metadata
from wireroom.releases.models import Localization, Release
from wireroom.releases.selectors import (
    latest_correction_note,
    public_release,
    public_releases,
    release_is_withdrawn,
    release_visible_to_user,
)
from wireroom.taxonomy.models import Language, tag_for_django_code

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest, language: str | None = None) -> HttpResponse:
    """The latest releases, in the language of the URL (`/ar/`), else the one the visitor's browser asks for."""
    languages = list(Language.objects.filter(first_class=True).order_by("position"))
    by_tag = {lang.code: lang for lang in languages}
    tag = language or tag_for_django_code(translation.get_language_from_request(request))
    current = by_tag.get(tag) or by_tag[tag_for_django_code(settings.LANGUAGE_CODE)]
    page = Paginator(public_releases(), PAGE_SIZE).get_page(request.GET.get("page"))
    with translation.override(current.django_code):
        title = _("Latest releases")
        response = render(request, "newsroom/home.html", {
            "page": page,
            "entries": [_home_entry(release, current.code) for release in page.object_list],
            "languages": languages,
            "current": current,
            "page_lang": current.code,
            "page_dir": current.direction,
            "page_title": title,
            "metadata": home_metadata(language=current.code, languages=list(by_tag), title=title,
                                      description=title, negotiated=language is None),
        })
    response["Content-Language"] = current.code
    if language is None:
        patch_vary_headers(response, ["Accept-Language"])
    return response


def _home_entry(release: Release, tag: str) -> tuple[Release, Localization, list[Localization]]:
    """(release, the localization to show: the visitor's language if there is one, else the original, all)."""
    localizations = sorted(release.localizations.all(), key=lambda loc: loc.language.position)
    shown = next((loc for loc in localizations if loc.language_id == tag), None) or next(
        (loc for loc in localizations if loc.language_id == release.original_language_id), localizations[0])
    return release, shown, localizations


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
        return render(request, "newsroom/release.html", {
            "release": release,
            "item": item,
            "others": [lang for code, lang in sorted(languages.items(), key=lambda kv: kv[1].position)
                       if code != language],
            "preview": preview,
            "page_lang": item.language,
            "page_dir": item.direction,
            "now": timezone.now(),
            "metadata": metadata,
        })
