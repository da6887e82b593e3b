from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

from wireroom.accounts.access import acting_membership
from wireroom.accounts.language import page_language
from wireroom.accounts.navigation import nav_links
from wireroom.accounts.selectors import memberships_of

# Each language named in itself, so that a reader finds theirs whatever language the page is in.
LANGUAGE_NAMES = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def signed_in(request: HttpRequest) -> dict[str, Any]:
    """What the signed-in layout shows: the page's language and direction, the member and their areas."""
    lang, direction = page_language()
    context: dict[str, Any] = {"layout_lang": lang, "layout_dir": direction, "layout_languages": LANGUAGE_NAMES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["layout_membership"] = acting_membership(request)
        context["layout_links"] = nav_links(user=user, memberships=memberships_of(user_id=user.pk))
    return context
