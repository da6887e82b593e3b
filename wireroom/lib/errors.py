"""The errors services raise. Views and the API turn each into a 4xx with its code and message."""

from __future__ import annotations

from typing import Any


class WireroomError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(WireroomError):
    status = 422
    code = "invalid_input"


class NotAllowed(WireroomError):
    status = 403
    code = "forbidden"


class NotFound(WireroomError):
    status = 404
    code = "not_found"


class IllegalTransition(WireroomError):
    status = 409
    code = "illegal_transition"


class NotAcceptable(WireroomError):
    status = 406
    code = "not_acceptable"


class RateLimited(WireroomError):
    status = 429
    code = "rate_limited"


class TooLarge(WireroomError):
    status = 413
    code = "too_large"
