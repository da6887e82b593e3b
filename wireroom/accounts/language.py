"""The language of the signed-in pages: the user's own choice, else what the browser asks for."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from wireroom.taxonomy.models import tag_for_django_code

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def language_for(request: HttpRequest) -> str:
    """A Django language code: the profile's language, else the language cookie or Accept-Language."""
    chosen = getattr(request.user, "language", "")
    if chosen in SUPPORTED:
        return str(chosen)
    return translation.get_language_from_request(request)


def page_language() -> tuple[str, str]:
    """(BCP 47 tag, text direction) of the active language, for `<html lang dir>`."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return tag_for_django_code(code), "rtl" if translation.get_language_bidi() else "ltr"
