from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI, Swagger

from wireroom.api import errors
from wireroom.api.auth import ApiKeyAuth
from wireroom.api.endpoints import router as endpoints_router
from wireroom.api.params import refuse_unknown_query
from wireroom.api.releases import router as releases_router
from wireroom.api.taxonomy import router as taxonomy_router
from wireroom.api.translations import router as translations_router
from wireroom.api.trust import router as trust_router

api = NinjaAPI(
    title="Wireroom API",
    version="1",
    description=("Submit, review and distribute press releases. Items are ninjs 3.1 by default, or ninjs 2.2, "
                 "NewsML-G2 or NITF. The real-time stream of every published, corrected and withdrawn version, "
                 "GET /api/v1/stream (Server-Sent Events, resumable with Last-Event-ID), is described in the "
                 "API documentation (docs/api.md), not here: it is not a JSON endpoint."),
    auth=ApiKeyAuth(),
    urls_namespace="api",
    # Swagger UI from the project's static files (ninja is an installed app); no validator badge, which would
    # send the document to, and load an image from, a server elsewhere.
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.install(api)
api.add_decorator(refuse_unknown_query, mode="view")
api.add_router("/releases", releases_router)
api.add_router("/outlets", endpoints_router)
api.add_router("", translations_router)
api.add_router("", taxonomy_router)
api.add_router("", trust_router)

View = Callable[..., HttpResponseBase]


def _json_not_allowed(view: View) -> View:
    """django-ninja answers a method a path lacks with a plain-text 405; the API answers in its error shape."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or not response.has_header("Allow"):
            return response
        allowed = sorted(method.strip() for method in response["Allow"].split(",") if method.strip())
        answer = errors.error_response(api, request, 405, "method_not_allowed",
                                       f"{request.method} is not allowed here; use {', '.join(allowed)}.",
                                       {"allowed": allowed})
        answer["Allow"] = ", ".join(allowed)
        return answer

    return wrapped


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that names no endpoint: a 404 in the error shape rather than Django's HTML page."""
    return errors.error_response(api, request, 404, "not_found", "No such endpoint.")


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = [
        URLPattern(p.pattern, _json_not_allowed(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern) else p
        for p in patterns
    ]
    return [*wrapped, re_path(r"", not_found)], app_name, namespace
