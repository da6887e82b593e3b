from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from wireroom.taxonomy.loader import FIRST_CLASS
from wireroom.taxonomy.models import tag_for_django_code


def wire(request: HttpRequest) -> dict[str, Any]:
    # The masthead's links lead to the pages in the language the page is rendered in.
    tag = tag_for_django_code(translation.get_language() or settings.LANGUAGE_CODE)
    return {"wire_name": settings.WIRE_NAME, "nav_language": tag if tag in FIRST_CLASS else settings.LANGUAGE_CODE}
