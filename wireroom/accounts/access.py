"""The door of every signed-in page: who the user is, in which organization and role, in which language.

`member_required(accepts)` sends an anonymous visitor to the sign-in page, refuses (403) a user with no
membership that `accepts` takes, and otherwise calls the view with that membership, with the user's language
active while the page renders. What the member may do to a particular object is the view's to ask, through the
same permission functions as the services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from wireroom.accounts.language import language_for, page_language
from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import memberships_of

# Views take (request, *url arguments); a member's view takes (request, membership, *url arguments).
View = Callable[..., HttpResponseBase]


def in_user_language(view: View) -> View:
    """Renders the page in the user's language (`language_for`), template responses included."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        code = language_for(request)
        with translation.override(code):
            request.LANGUAGE_CODE = code
            response = view(request, *args, **kwargs)
            # A template response renders after the view returns: render it while the language is active.
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            tag, _direction = page_language()
        response.headers.setdefault("Content-Language", tag)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapped


def member_required(accepts: Callable[[Membership], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @in_user_language
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = next((m for m in memberships_of(user_id=request.user.pk) if accepts(m)), None)
            if membership is None:
                raise PermissionDenied("This area is not open to your role.")
            # The layout's navigation names the membership the page acts as.
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, membership, *args, **kwargs)

        return wrapped

    return decorate


def acting_membership(request: HttpRequest) -> Membership | None:
    """The membership a page acts as (set by `member_required`), else the user's first one."""
    found: Any = getattr(request, "membership", None)
    if isinstance(found, Membership):
        return found
    return next(iter(memberships_of(user_id=request.user.pk if request.user.is_authenticated else None)), None)
