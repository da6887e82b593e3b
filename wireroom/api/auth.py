from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.selectors import api_key_for_secret
from wireroom.accounts.services import api_key_touch
from wireroom.lib.ratelimit import RateLimiter, throttle


def _limiter() -> RateLimiter:
    return RateLimiter(settings.DATA_DIR / "ratelimit.sqlite3", limit=settings.API_RATE_PER_MINUTE)


def _stream_limiter() -> RateLimiter:
    return RateLimiter(settings.DATA_DIR / "ratelimit.sqlite3", limit=settings.STREAM_CONNECTS_PER_MINUTE)


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer wr_…`; the request acts as the key's membership, within the key's rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        key = api_key_for_secret(secret=token)
        if key is None:
            return None
        throttle(request, _limiter(), hashlib.sha256(token.encode()).hexdigest())
        api_key_touch(api_key=key)
        return key.membership


def stream_key(request: HttpRequest, token: str) -> ApiKey | None:
    """A stream connection's key. The connection counts once, when it opens, against the key's allowance of
    stream connections (`WIREROOM_STREAM_CONNECTS_PER_MINUTE`), not its allowance of API requests: a partner's
    desktops that stay connected for days never eat into the requests its software makes, and a storm of
    reconnections is still bounded. Pushpin's own requests for a held client's gap are not connections."""
    key = api_key_for_secret(secret=token)
    if key is None:
        return None
    throttle(request, _stream_limiter(), "stream:" + hashlib.sha256(token.encode()).hexdigest())
    api_key_touch(api_key=key)
    return key


class Anonymous:
    """The `auth` of a request without a key on an operation that lets anonymous clients read."""

    def __bool__(self) -> bool:
        return True


ANONYMOUS = Anonymous()


def anonymous_read(request: HttpRequest) -> Anonymous | None:
    """Lets a request with no `Authorization` header through when the operator allows anonymous reads; a bad
    key is still refused. Anonymous clients are counted per address."""
    if not settings.API_ANONYMOUS_READ or "Authorization" in request.headers:
        return None
    throttle(request, _limiter(), "anonymous:" + request.META.get("REMOTE_ADDR", ""))
    return ANONYMOUS


READ_AUTH = [ApiKeyAuth(), anonymous_read]


def reader(request: HttpRequest) -> Membership | None:
    """The membership behind a read, or None for an anonymous client."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, Anonymous):
        return None
    assert isinstance(auth, Membership)
    return auth


def actor(request: HttpRequest) -> Membership:
    # django-ninja sets `auth` on the request; HttpRequest does not declare it.
    membership = getattr(request, "auth", None)
    assert isinstance(membership, Membership)
    return membership
