"""Middleware for every address: the request body limit and the API's RateLimit headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase

from wireroom.lib.ratelimit import Quota

TOO_LARGE = "wireroom.body_too_large"  # set in the ASGI scope by wireroom.web.asgi.BodyLimit


def too_large(request: HttpRequest) -> HttpResponse:
    """413: in the API's error shape under /api/, a plain page elsewhere."""
    limit = settings.MAX_BODY_BYTES
    message = f"The request body is too large: at most {limit:,} bytes are accepted."
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"code": "too_large", "message": message,
                                           "details": {"limit_bytes": limit}}}, status=413)
    else:
        response = HttpResponse(f"413 Content Too Large\n\n{message}\n", status=413,
                                content_type="text/plain; charset=utf-8")
    if getattr(request, "scope", {}).get(TOO_LARGE):
        # The rest of the body was never read: the connection cannot carry another request.
        response["Connection"] = "close"
    return response


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class _Middleware:
    """Runs in the caller's mode, sync or async, so a request never changes threads here."""

    async_capable = True
    sync_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        early = self.before(request)
        if self.is_async:
            return self._acall(request, early)
        response = early or self.get_response(request)
        return self.after(request, response)

    async def _acall(self, request: HttpRequest, early: HttpResponseBase | None) -> HttpResponseBase:
        response = early or await self.get_response(request)
        return self.after(request, response)

    def before(self, request: HttpRequest) -> HttpResponseBase | None:
        return None

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        return response


class BodyLimitMiddleware(_Middleware):
    """Refuses a body over WIREROOM_MAX_BODY_BYTES before anything reads it. Under the ASGI server, bodies
    without a length (chunked) are counted by `wireroom.web.asgi.BodyLimit`, which marks the request."""

    def before(self, request: HttpRequest) -> HttpResponseBase | None:
        scope = getattr(request, "scope", {})
        if scope.get(TOO_LARGE) or _declared_length(request) > settings.MAX_BODY_BYTES:
            return too_large(request)
        return None


class RateLimitHeadersMiddleware(_Middleware):
    """Tells an API client its allowance: RateLimit and RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers),
    and Retry-After when a request was refused."""

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        quota: Quota | None = getattr(request, "rate_limit", None)
        if quota is None:
            return response
        response["RateLimit-Policy"] = f'"per-key";q={quota.limit};w={quota.window}'
        response["RateLimit"] = f'"per-key";r={quota.remaining};t={quota.reset}'
        if not quota.allowed:
            response["Retry-After"] = str(quota.retry_after)
        return response
