"""`{{ text|isolate }}`: user text set among other text on one line (a page title) without reordering it."""

from __future__ import annotations

from django import template

from wireroom.lib import text

register = template.Library()


@register.filter
def isolate(value: object) -> str:
    return text.isolate(str(value))
