"""One error shape for the whole API: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from wireroom.lib.errors import WireroomError

log = logging.getLogger(__name__)


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
                   details: Any = None) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, "details": details}},
                               status=status)


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"where": ".".join(str(part) for part in error.get("loc", ())), "problem": error.get("msg", "")}
            for error in errors]


def install(api: NinjaAPI) -> None:
    @api.exception_handler(WireroomError)
    def domain_error(request: HttpRequest, exc: WireroomError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = _validation_details(exc.errors)
        first = details[0] if details else {"where": "", "problem": "invalid input"}
        message = f"{first['where']}: {first['problem']}" if first["where"] else first["problem"]
        return error_response(api, request, 422, "invalid_input", message, details)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "unauthenticated",
                              "Send a valid API key as 'Authorization: Bearer <key>'.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, "bad_request", str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(api, request, 413, "too_large", "The request body is too large.")

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error on %s %s", request.method, request.path)
        return error_response(api, request, 500, "internal_error", "Something went wrong on our side.")
