"""The lede as the reference item has it: the credit line opens the first sentence, the dateline is set off as
the language writes it, and user text is isolated. In Arabic, Chinese and English, in every rendering."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wireroom.anatomy.render import render_item
from wireroom.releases.models import Localization, Release
from wireroom.releases.services import LocalizationInput

pytestmark = pytest.mark.django_db

OPENINGS = {
    "ar": "أعلنت شركة نهر للطاقة اليوم تشغيل محطتها الجديدة.",
    "zh-Hans": "纳赫尔能源今天启用了新的海水淡化厂。",
    "en": "Nahr Energy today switched on its new plant.",
}
HEADLINES = {"ar": "نهر للطاقة تفتتح محطة تحلية", "zh-Hans": "纳赫尔能源启用海水淡化厂",
             "en": "Nahr Energy opens a plant"}


def _without_summary(make_release: Callable[..., Release], dateline: str = "") -> Release:
    return make_release("published", dateline=dateline, languages=list(OPENINGS), localizations=[
        LocalizationInput(language=tag, headline=HEADLINES[tag], summary="",
                          body_html=f"<p>{opening}</p><p>Second paragraph {tag}.</p>",
                          origin="author" if tag == "ar" else "human",
                          translated_from=None if tag == "ar" else "ar", translator="" if tag == "ar" else "L. H.")
        for tag, opening in OPENINGS.items()])


@pytest.mark.parametrize("tag", list(OPENINGS))
def test_without_summary_the_credit_line_opens_the_first_body_paragraph(
    make_release: Callable[..., Release], tag: str,
) -> None:
    item = render_item(_without_summary(make_release), tag)
    html = item.html()
    lede = html[html.index('<p class="lede">'):]
    lede = lede[:lede.index("</p>")]
    assert item.credit in lede and OPENINGS[tag] in lede, "the credit line and the first sentence share a paragraph"
    assert html.count(OPENINGS[tag]) == 1, "the opening paragraph moves into the lede, it is not repeated"
    assert html.index(OPENINGS[tag]) < html.index(f"Second paragraph {tag}.")
    assert f"{item.credit} {OPENINGS[tag]}" in item.text().splitlines()


@pytest.mark.parametrize(("tag", "expected"), [
    ("en", "{credit} Abu Dhabi, {date} – The plant"),
    ("ar", "{credit} \u2068Abu Dhabi\u2069، {date} – المحطة"),
    ("zh-Hans", "{credit} Abu Dhabi，{date} —— 这座"),
])
def test_the_dateline_is_set_off_from_the_first_sentence_as_the_language_writes_it(
    make_release: Callable[..., Release], tag: str, expected: str,
) -> None:
    summaries = {"en": "The plant makes drinking water.", "ar": "المحطة تنتج مياه الشرب.",
                 "zh-Hans": "这座工厂生产饮用水。"}
    release = make_release("published", dateline="Abu Dhabi", languages=list(summaries), localizations=[
        LocalizationInput(language=tag, headline=HEADLINES[tag], summary=summary, body_html="<p>Body.</p>",
                          origin="author" if tag == "ar" else "human",
                          translated_from=None if tag == "ar" else "ar", translator="" if tag == "ar" else "L. H.")
        for tag, summary in summaries.items()])
    assert release.published_at is not None
    dates = {"en": "{d:%B} {d.day}, {d.year}", "ar": "{d.day} {month} {d.year}",
             "zh-Hans": "{d.year}年{d.month}月{d.day}日"}
    arabic_months = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                     "نوفمبر", "ديسمبر"]
    day = release.published_at
    date = dates[tag].format(d=day, month=arabic_months[day.month - 1])
    item = render_item(release, tag)
    assert item.lede_line.startswith(expected.format(credit=item.credit, date=date))
    assert "Abu Dhabi The plant" not in item.text()
    assert f'<span class="dateline">{item.dateline}</span>' in item.html()


@pytest.mark.parametrize("tag", list(OPENINGS))
def test_a_bidi_override_in_a_contact_name_is_isolated_in_html_and_text(
    make_release: Callable[..., Release], tag: str,
) -> None:
    release = _without_summary(make_release)
    release.contacts = [{"name": "Mariam \u202eyrtnuoc", "organization": "Nahr", "email": "m@example.com",
                         "phone": "+971 4 555 0100"}]
    release.save(update_fields=["contacts"])
    item = render_item(release, tag)
    assert '<bdi class="contact-name">Mariam \u202eyrtnuoc</bdi>' in item.html()
    assert "\u2068Mariam \u202eyrtnuoc\u2069, Nahr <m@example.com>" in item.text()


@pytest.mark.parametrize("tag", ["ar", "en"])
def test_the_issuer_named_in_an_arabic_disclaimer_is_isolated(make_release: Callable[..., Release], tag: str) -> None:
    item = render_item(make_release("published"), tag)
    isolated = "\u2068Nahr Energy\u2069" in item.disclaimer
    assert isolated == (tag == "ar"), "Latin text in a right-to-left sentence is isolated, in English it needs not be"


def test_a_body_that_opens_with_loose_text_gives_that_text_to_the_lede(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    Localization.objects.filter(release=release, language="en").update(
        summary="", body_html="Loose opening <em>words</em>.<h2>Figures</h2><p>More.</p>")
    html = render_item(release, "en").html()
    assert "<span class=\"opening\">Loose opening <em>words</em>.</span></p>" in html
    assert html.index("<h2>Figures</h2>") > html.index("Loose opening")
