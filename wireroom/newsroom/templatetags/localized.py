"""`{{ moment|local_time }}`: a date and time as the page's language writes it, isolated from the text around it;
`{{ number|local_number }}`: a number as it writes it.

The `<time>` carries `dir="auto"`, which makes it a bidi isolate: in an Arabic line, "2026-11-29" no longer
turns into "29-11-2026", and the words beside it keep their places.
"""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal
from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wireroom.anatomy.render import babel_locale, local_datetime
from wireroom.taxonomy.models import tag_for_django_code

register = template.Library()


@register.filter
def local_time(value: dt.datetime | None) -> SafeString | str:
    if value is None:
        return ""
    tag = tag_for_django_code(translation.get_language() or "en")
    iso = value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return format_html('<time datetime="{}" dir="auto">{}</time>', iso, local_datetime(value, tag))


@register.filter
def local_number(value: int) -> str:
    """A whole number with the digits and grouping of the page's language."""
    return format_decimal(value, locale=babel_locale(tag_for_django_code(translation.get_language() or "en")))
