"""User text in the e-mail Subject is isolated, so its bidi characters cannot reorder the rest of the line."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable

import pytest

from tests.support.renderings import store_renderings
from wireroom.accounts.models import Membership
from wireroom.distribution.channels.email.message import MessageTemplate, Recipient
from wireroom.distribution.models import RenderedItem
from wireroom.releases import services
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db

OVERRIDE_HEADLINE = "Nahr Energy \u202egnirts desrever"  # an override the headline never closes


def _subject(release: Release, language: str) -> str:
    payload = RenderedItem.objects.get(release=release, version=release.version, format="email",
                                       language=language).payload
    template = MessageTemplate(release_id=release.id, version=release.version, language=language, payload=payload,
                               wire_name="Gulf Wire", mail_from="newsdesk@gulfwire.example",
                               mail_domain="gulfwire.example")
    built = template.build(Recipient(delivery_id=1, contact_id=7, name="Layla Haddad", email="layla@example.com"),
                           "Sat, 28 Nov 2026 10:00:00 +0000")
    return str(email.message_from_bytes(built.as_bytes(), policy=email.policy.default)["Subject"])


def _with_english_headline(make_release: Callable[..., Release], headline: str) -> Release:
    release = make_release("published")
    english = release.localizations.get(language="en")
    english.headline = headline
    english.save()
    return release


def test_a_bidi_override_in_a_headline_is_isolated_in_the_subject(make_release: Callable[..., Release]) -> None:
    release = _with_english_headline(make_release, OVERRIDE_HEADLINE)
    store_renderings("email", release, release.version, "publish", ["en"])
    assert _subject(release, "en") == f"\u2068{OVERRIDE_HEADLINE}\u2069"


def test_a_correction_prefix_stays_outside_the_isolated_headline(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("published")
    corrected = services.release_correct(release=release, by=actors["wire_editor"],
                                         note="Fixed the plant's capacity.").release
    store_renderings("email", corrected, corrected.version, "correct", ["ar"])
    subject = _subject(corrected, "ar")
    prefix, isolated = subject.split("\u2068")
    assert prefix.startswith("تصحيح")
    assert isolated == "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية\u2069"


def test_a_plain_left_to_right_headline_stays_a_plain_ascii_subject(make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    store_renderings("email", release, release.version, "publish", ["en"])
    assert _subject(release, "en") == "Nahr Energy opens a solar-powered desalination plant"
