from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import lazy

from wireroom.brand.selectors import brand
from wireroom.taxonomy.loader import FIRST_CLASS
from wireroom.taxonomy.models import tag_for_django_code


def wire(request: HttpRequest) -> dict[str, Any]:
    # The masthead's links lead to the pages in the language the page is rendered in.
    tag = tag_for_django_code(translation.get_language() or settings.LANGUAGE_CODE)
    # The wire's name as its brand spells it in that language (cached per process by `brand`); read only when a
    # template shows it, so a page without the masthead costs no query for it.
    wire_name = lazy(lambda: brand(language=tag).wire_name, str)()
    return {"wire_name": wire_name, "nav_language": tag if tag in FIRST_CLASS else settings.LANGUAGE_CODE}
