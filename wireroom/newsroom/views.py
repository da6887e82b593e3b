from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from wireroom.anatomy.render import render_item
from wireroom.releases.models import Release
from wireroom.releases.selectors import (
    latest_correction_note,
    public_release,
    public_releases,
    release_is_withdrawn,
    release_visible_to_user,
)

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_releases(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsroom/home.html", {"page": page})


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
        })
