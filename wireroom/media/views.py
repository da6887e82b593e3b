"""The images' files, served by Django rather than as a static directory so that an image is never seen
before its release's embargo or after its withdrawal, by anyone but the issuer and the wire's staff."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_safe

from wireroom.media import files
from wireroom.media.selectors import image_audience, stored_image

TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Short for the public: a withdrawal must reach readers soon; the files under a key never change otherwise.
PUBLIC_CACHE = "public, max-age=300"


@require_safe
def image_file(request: HttpRequest, key: uuid.UUID, name: str) -> HttpResponseBase:
    image = stored_image(key=key)
    if image is None:
        raise Http404("No such image.")
    audience = image_audience(image=image, user=request.user)
    if audience == "withdrawn":
        return HttpResponse("This release was withdrawn; its images are gone.", status=410,
                            content_type="text/plain; charset=utf-8")
    if audience == "missing":
        raise Http404("No such image.")
    path = files.path_of(key, name)
    extension = name.rpartition(".")[2]
    if path is None or extension not in TYPES:
        raise Http404("No such image.")
    response = FileResponse(path.open("rb"), content_type=TYPES[extension])
    response["Cache-Control"] = PUBLIC_CACHE if audience == "public" else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
