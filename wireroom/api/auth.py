from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import membership_for_api_key


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer wr_…`; the request acts as the key's membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        return membership_for_api_key(token)


def actor(request: HttpRequest) -> Membership:
    membership: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(membership, Membership)
    return membership
