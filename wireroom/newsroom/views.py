from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from wireroom.accounts.selectors import memberships_of
from wireroom.anatomy.render import render_item
from wireroom.releases import permissions
from wireroom.releases.models import Release, State
from wireroom.releases.selectors import latest_correction_note, public_release, public_releases

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_releases(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsroom/home.html", {"page": page})


def _preview_allowed(request: HttpRequest, release: Release) -> bool:
    """Issuers and editors may look at what the public cannot yet (or can no longer) see."""
    if not request.user.is_authenticated:
        return False
    return any(permissions.can_view(m, release) for m in memberships_of(request.user.pk))


@require_safe
def release_original(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    release = public_release(release_id)
    if release is None:
        release = Release.objects.filter(pk=release_id).first()
        if release is not None and not _preview_allowed(request, release) and release.state == State.WITHDRAWN:
            return render(request, "newsroom/withdrawn.html", status=410)
        if release is None or not _preview_allowed(request, release):
            raise Http404("No such release.")
    return redirect("newsroom:release", release_id=release.id, language=release.original_language_id)


@require_safe
def release_page(request: HttpRequest, release_id: uuid.UUID, language: str) -> HttpResponse:
    release = public_release(release_id)
    preview = False
    if release is None:
        hidden = Release.objects.select_related("issuer", "original_language").filter(pk=release_id).first()
        if hidden is not None and _preview_allowed(request, hidden):
            release, preview = hidden, True
        elif hidden is not None and hidden.state == State.WITHDRAWN:
            return render(request, "newsroom/withdrawn.html", status=410)
        else:
            raise Http404("No such release.")
    languages = {loc.language_id: loc.language for loc in release.localizations.all()}
    if language not in languages:
        raise Http404("This release is not available in that language.")
    item = render_item(release, language, correction_note=latest_correction_note(release))
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
