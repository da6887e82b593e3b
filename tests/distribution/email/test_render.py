"""The e-mail rendering of a version: once per language, the whole wire anatomy, inline CSS, kill notices."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from django.test import override_settings

from tests.support.renderings import store_renderings
from wireroom.distribution.channels.email.message import MessageTemplate, Recipient
from wireroom.distribution.channels.email.render import NAME, PREFERENCES_URL, UNSUBSCRIBE_URL
from wireroom.distribution.models import RenderedItem
from wireroom.releases.models import Localization, Release


def _payload(release: Release, version: int, language: str) -> dict[str, str]:
    payload: dict[str, str] = RenderedItem.objects.get(release=release, version=version, format="email",
                                                       language=language).payload
    return payload


def _message(release: Release, version: int, language: str, name: str = "Layla Haddad",
             address: str = "layla@example.com") -> EmailMessage:
    template = MessageTemplate(release_id=release.id, version=version, language=language,
                               payload=_payload(release, version, language), wire_name="Gulf Wire",
                               mail_from="newsdesk@gulfwire.example", mail_domain="gulfwire.example")
    built = template.build(Recipient(delivery_id=1, contact_id=7, name=name, email=address),
                           "Sat, 28 Nov 2026 10:00:00 +0000")
    message = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _parts(message: EmailMessage) -> tuple[str, str]:
    html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
    assert html_part is not None and text_part is not None
    return str(html_part.get_content()), str(text_part.get_content())


@pytest.mark.django_db
def test_one_email_item_is_rendered_per_language_with_subject_html_and_text(
        make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["ar", "en"])
    store_renderings("email", release, release.version, "publish", ["ar", "en"])  # kept, not duplicated
    items = RenderedItem.objects.filter(release=release, version=release.version, format="email")
    assert sorted(items.values_list("language", flat=True)) == ["ar", "en"]
    english = _payload(release, release.version, "en")
    assert english["subject"] == "Nahr Energy opens a solar-powered desalination plant"
    assert {"subject", "html", "text"} <= set(english)
    for placeholder in (NAME, UNSUBSCRIBE_URL, PREFERENCES_URL):
        assert placeholder in english["html"] and placeholder in english["text"]


@pytest.mark.django_db
@override_settings(WIRE_NAME="Gulf Wire")
def test_arabic_message_is_right_to_left_with_the_anatomy_in_arabic(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["ar"])
    message = _message(release, release.version, "ar", name="ليلى حداد")
    html, text = _parts(message)
    assert message["Content-Language"] == "ar"
    assert message["Subject"] == "\u2068نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية\u2069"  # isolated
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<div lang="ar" dir="rtl" style="[^"]*direction:rtl;text-align:right;', html)
    for part in (html, text):
        assert "(Gulf Wire) –" in part  # the credit line
        assert "أعلنت شركة نهر للطاقة اليوم تشغيل محطتها الجديدة." in part  # the body
        assert "صدر هذا البيان الصحفي عن \u2068Nahr Energy\u2069" in part  # the disclaimer, the name isolated
        assert "القطاعات:" in part  # the sectors line
        assert "Gulf Wire" in part.split("القطاعات:")[1]  # the boilerplate names the wire
        assert "ليلى حداد" in part  # the recipient's name in the footer


@pytest.mark.django_db
def test_html_part_has_its_css_inline_and_no_style_block(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["en"])
    html, _text = _parts(_message(release, release.version, "en"))
    assert "<style" not in html
    assert "class=" not in html
    paragraphs = re.findall(r"<p\b[^>]*>", html)
    assert paragraphs and all('style="' in tag for tag in paragraphs)
    assert '<p style="margin:0 0 16px 0;">Nahr Energy today switched on its new plant.</p>' in html


@pytest.mark.django_db
def test_footer_links_to_the_preference_centre_and_unsubscribe(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["en"])
    message = _message(release, release.version, "en")
    html, text = _parts(message)
    unsubscribe = str(message["List-Unsubscribe"]).strip("<>")
    preferences = unsubscribe.replace("/u/", "/preferences/")
    link_style = 'style="color:#666666;text-decoration:underline;"'
    assert f'<a href="{preferences}" {link_style}>Manage your preferences</a>' in html
    assert f'<a href="{unsubscribe}" {link_style}>Unsubscribe</a>' in html
    assert f"Unsubscribe: {unsubscribe}" in text
    assert f"Manage your preferences: {preferences}" in text
    assert "{{wr:" not in html + text


@pytest.mark.django_db
def test_a_correction_carries_the_correction_note_and_says_so_in_the_subject(
        make_release: Callable[..., Release]) -> None:
    release = make_release("corrected")
    store_renderings("email", release, release.version, "correct", ["en", "ar"])
    html, text = _parts(_message(release, release.version, "en"))
    assert _payload(release, release.version, "en")["subject"].startswith("Correction: Nahr Energy opens")
    assert "Correction: Fixed the plant&#x27;s capacity." in html
    assert "Correction: Fixed the plant's capacity." in text
    assert _payload(release, release.version, "ar")["subject"].startswith("تصحيح")


@pytest.mark.django_db
def test_a_withdrawal_is_a_kill_notice_without_the_body_in_the_readers_language(
        make_release: Callable[..., Release]) -> None:
    release = make_release("withdrawn")
    Localization.objects.create(release=release, language_id="de", headline="Nahr Energy eröffnet Anlage",
                                body_html="<p>Text.</p>")
    store_renderings("email", release, release.version, "withdraw", ["en", "de"])
    html, text = _parts(_message(release, release.version, "en"))
    assert _payload(release, release.version, "en")["subject"] == (
        "Withdrawn: Nahr Energy opens a solar-powered desalination plant")
    for part in (html, text):
        assert "This release has been withdrawn; do not use it." in part
        assert "Reason: Issued in error." in part
        assert "It runs wholly on solar power." not in part
    german = _payload(release, release.version, "de")
    assert "zurückgezogen" in german["text"]


@pytest.mark.django_db
def test_placeholders_typed_into_a_release_cannot_pick_up_a_recipients_links(
        make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    Localization.objects.filter(release=release, language_id="en").update(
        body_html="<p>Copy {{wr:unsubscribe}} and {{wr:name}} here.</p>")
    store_renderings("email", release, release.version, "publish", ["en"])
    message = _message(release, release.version, "en", name="Zed")
    html, text = _parts(message)
    unsubscribe = str(message["List-Unsubscribe"]).strip("<>")
    assert html.count(unsubscribe) == 1 and text.count(unsubscribe) == 1
    assert "Copy {{wr" in html and "Copy {{wr" in text


@pytest.mark.django_db
def test_a_language_the_release_lacks_gets_the_original_and_says_which_language_it_is(
        make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["fr"])
    payload = _payload(release, release.version, "fr")
    assert payload["language"] == "ar"
    assert _message(release, release.version, "fr")["Content-Language"] == "ar"


@pytest.mark.django_db
@override_settings(WIRE_NAME="Gulf Wire")
def test_without_a_summary_the_message_opens_the_first_paragraph_with_the_credit_line_and_dateline(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("published", contacts=[{"name": "Mariam \u202eyrtnuoc", "email": "m@example.com"}])
    Localization.objects.filter(release=release, language="ar").update(summary="")
    # Renderings are kept once made: drop the one made at publication to render the changed text.
    RenderedItem.objects.filter(release=release, format="email").delete()
    store_renderings("email", release, release.version, "publish", ["ar"])
    html, text = _parts(_message(release, release.version, "ar"))
    opening = "أعلنت شركة نهر للطاقة اليوم تشغيل محطتها الجديدة."
    assert re.search(r"<strong>\(Gulf Wire\) –</strong> <strong>دبي، [^<]+ –</strong> " + opening, html)
    assert re.search(r"\(Gulf Wire\) – دبي، .+ – " + opening, text)
    assert html.count(opening) == 1 and text.count(opening) == 1
    assert "<bdi>Mariam \u202eyrtnuoc</bdi>" in html
    assert "\u2068Mariam \u202eyrtnuoc\u2069 <m@example.com>" in text
