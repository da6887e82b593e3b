from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import api_key_for_secret
from wireroom.accounts.services import api_key_touch


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer wr_…`; the request acts as the key's membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        key = api_key_for_secret(secret=token)
        if key is None:
            return None
        api_key_touch(api_key=key)
        return key.membership


def actor(request: HttpRequest) -> Membership:
    # django-ninja sets `auth` on the request; HttpRequest does not declare it.
    membership = getattr(request, "auth", None)
    assert isinstance(membership, Membership)
    return membership
