"""The newsroom in the visitor's language: the home page from the URL or Accept-Language, translated states,
dates written per locale and isolated, user text isolated, and a style sheet with no physical left or right."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from babel.messages.pofile import read_po
from django.test import Client

from tests.support.paths import ROOT
from wireroom.accounts.models import Membership
from wireroom.releases.models import Release, State
from wireroom.taxonomy.loader import FIRST_CLASS

pytestmark = pytest.mark.django_db
LOCALE_DIR = ROOT / "wireroom" / "locale"


def test_the_home_page_follows_accept_language(make_release: Callable[..., Release]) -> None:
    make_release("published")
    response = Client().get("/", headers={"accept-language": "ar,en;q=0.5"})
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "أحدث البيانات" in html
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "ar"
    assert "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية" in html, "the headline in the visitor's language"


def test_the_language_in_the_url_wins_over_accept_language(make_release: Callable[..., Release]) -> None:
    make_release("published")
    html = Client().get("/ja/", headers={"accept-language": "ar"}).content.decode()
    assert '<html lang="ja" dir="ltr">' in html
    assert "最新" in html  # "Latest releases" in Japanese
    assert "Nahr Energy opens" not in html and "نهر للطاقة تفتتح" in html, "no Japanese: the original is shown"


def test_the_home_page_without_a_preference_is_english_with_a_switcher_to_every_language() -> None:
    html = Client().get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Latest releases" in html
    for tag in FIRST_CLASS:
        assert f'href="/{tag}/" hreflang="{tag}" lang="{tag}"' in html, tag
    assert 'href="/en/" hreflang="en" lang="en" dir="ltr" aria-current="page"' in html


def test_the_home_page_has_absolute_alternates_for_every_language() -> None:
    html = Client().get("/zh-Hant/").content.decode()
    assert '<html lang="zh-Hant" dir="ltr">' in html
    found = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(found) == {*FIRST_CLASS, "x-default"}
    assert all(url.startswith(("http://", "https://")) for url in found.values())
    assert re.search(r'<link rel="canonical" href="https?://[^"]+/zh-Hant/">', html)


def test_the_arabic_meta_line_writes_the_date_in_arabic_and_isolates_it(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    assert release.published_at is not None
    html = Client().get(f"/releases/{release.id}/ar/").content.decode()
    meta = re.search(r'<p class="meta">(.*?)</p>', html, re.S)
    assert meta is not None
    when = release.published_at.strftime("%Y-%m-%dT%H:%M:%S")
    assert re.search(rf'<time datetime="{when}Z" dir="auto">{release.published_at.day} \w+ {release.published_at.year}',
                     meta.group(1)), meta.group(1)
    assert re.search(r"\d\d-\d\d-\d{4}|\d{4}-\d\d-\d\d ", meta.group(1)) is None
    assert '<bdi class="issuer">Nahr Energy</bdi>' in meta.group(1)


def test_the_arabic_preview_banner_names_the_state_in_arabic(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("draft")
    client = Client()
    client.force_login(actors["issuer_member"].user)
    html = client.get(f"/releases/{release.id}/ar/").content.decode()
    banner = re.search(r'<p class="preview-banner">(.*?)</p>', html, re.S)
    assert banner is not None
    assert "(مسودة)" in banner.group(1)
    assert "Draft" not in html


def test_every_catalog_names_every_release_state() -> None:
    for directory in ["ko", "ja", "ar", "zh_Hans", "zh_Hant", "vi", "th", "id", "ms", "de", "ru", "fr", "es", "pt"]:
        catalog = read_po((LOCALE_DIR / directory / "LC_MESSAGES/django.po").open("rb"))
        for state in State:
            message = catalog.get(state.label, context="release state")
            assert message is not None and message.string and message.string != state.label, (directory, state)


def test_the_style_sheet_uses_logical_properties_only() -> None:
    css = (ROOT / "wireroom" / "newsroom" / "static" / "newsroom" / "newsroom.css").read_text()
    assert not re.findall(r"\b(left|right|top|bottom)\b", css)
    assert not re.findall(r"(?<![-\w])(width|height|max-width|min-width|max-height|min-height)\s*:", css)


def _newsroom_messages() -> set[str]:
    """Every literal message of the newsroom's templates and views, as gettext's msgid spells it."""
    found: set[str] = set()
    for template in (ROOT / "wireroom" / "newsroom" / "templates").rglob("*.html"):
        text = template.read_text()
        found |= {single or double for single, double in re.findall(r"{% translate (?:'([^']+)'|\"([^\"]+)\")", text)}
        for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", text, re.S):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    for module in (ROOT / "wireroom" / "newsroom").glob("*.py"):
        found |= set(re.findall(r"\b(?:_|gettext_lazy)\(\"([^\"]+)\"\)", module.read_text()))
    return found


def test_every_newsroom_message_is_translated_in_every_catalog() -> None:
    messages = _newsroom_messages()
    assert {"Top stories", "Page %(number)s of %(total)s", "Archive: %(period)s", "Browse",
            "Search releases", "Results: %(total)s"} <= messages
    for tag in FIRST_CLASS:
        catalog = read_po((LOCALE_DIR / tag.replace("-", "_") / "LC_MESSAGES/django.po").open("rb"))
        for message in messages:
            entry = catalog.get(message)
            # English may leave a message's translation empty: gettext then shows the msgid itself.
            assert entry is not None and (entry.string or tag == "en"), (tag, message)
