from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import membership_for_api_key
from wireroom.lib.ratelimit import RateLimiter, throttle


def _limiter() -> RateLimiter:
    return RateLimiter(settings.DATA_DIR / "ratelimit.sqlite3", limit=settings.API_RATE_PER_MINUTE)


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer wr_…`; the request acts as the key's membership, within the key's rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        membership = membership_for_api_key(token)
        if membership is not None:
            throttle(request, _limiter(), hashlib.sha256(token.encode()).hexdigest())
        return membership


def actor(request: HttpRequest) -> Membership:
    membership: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(membership, Membership)
    return membership
