"""The page title isolates the headline, so a bidi override in it cannot reorder the wire's name."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db


def _title(release: Release, language: str) -> str:
    html = Client().get(f"/releases/{release.id}/{language}/").content.decode()
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found is not None
    return found.group(1)


def test_a_bidi_override_in_a_headline_is_isolated_in_the_page_title(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    english = release.localizations.get(language="en")
    english.headline = "Nahr Energy \u202egnirts desrever"
    english.save()
    assert _title(release, "en") == "\u2068Nahr Energy \u202egnirts desrever\u2069 · Wireroom"


def test_an_arabic_headline_is_isolated_from_the_wire_name_in_the_page_title(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("published")
    assert _title(release, "ar") == "\u2068نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية\u2069 · Wireroom"
