"""Templates of the e-mail package, kept in the package (`templates/email/…`).

The package is not an installed app, so Django's app loader does not see its folder; a template backend of its
own looks there first, then in the apps' folders (the console pages extend the newsroom's base page).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template.backends.django import DjangoTemplates

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@cache
def backend() -> DjangoTemplates:
    return DjangoTemplates({
        "NAME": "wireroom-email",
        "DIRS": [TEMPLATE_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "wireroom.newsroom.context_processors.wire",
            ],
        },
    })


def render(name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
    return backend().get_template(name).render(context, request)
