"""Staging's SQL: INSERT … SELECT without sorting, and earlier recipients taken from their latest version."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.email import make_contact
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.mediadb.models import ContactLanguage, Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _inserts(captured: CaptureQueriesContext) -> list[str]:
    table = Delivery._meta.db_table
    return [query["sql"] for query in captured.captured_queries if query["sql"].startswith(f"INSERT INTO {table}")]


def test_staging_a_publication_and_a_correction_inserts_rows_without_sorting_them(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    make_contact("amal@example.com")
    release = make_release("approved")
    with CaptureQueriesContext(connection) as published:
        services.release_publish(release=release, by=actors["issuer_admin"])
    Delivery.objects.update(state=DeliveryState.DELIVERED)
    with CaptureQueriesContext(connection) as corrected:
        services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the plant's capacity.")
    statements = _inserts(published) + _inserts(corrected)
    # One per channel (e-mail, webhooks, SFTP, WebSub); then the earlier recipients, and one per channel again.
    assert len(statements) == 4 + 5
    # The only sort left is the one that picks each contact's best language, a subquery of one row.
    unsorted = [re.sub(r"ORDER BY [^()]* LIMIT 1\b", "", sql) for sql in statements]
    assert not [sql for sql in unsorted if "ORDER BY" in sql]
    assert Delivery.objects.filter(release=release, version=2).count() == 1


def test_a_correction_reaches_each_earlier_recipient_once_in_the_language_their_latest_version_had(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    reader = make_contact("amal@example.com", languages=("ar",))
    release = make_release("published")
    editor = actors["wire_editor"]
    Delivery.objects.update(state=DeliveryState.DELIVERED)
    services.release_correct(release=release, by=editor, note="Fixed the plant's capacity.")
    # Version 2 reached them in English (say they changed their languages, and an operator re-sent it).
    Delivery.objects.filter(version=2).update(state=DeliveryState.DELIVERED, language="en")
    ContactLanguage.objects.filter(contact=reader).update(language_id="en")
    services.release_correct(release=release, by=editor, note="Fixed the date.")
    assert list(Delivery.objects.filter(release=release, version=3).values_list("recipient_key", "language")) == [
        (f"c:{reader.pk}", "en")]


def test_a_correction_is_rendered_with_its_new_text_and_the_language_it_adds(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    make_contact("amal@example.com", languages=("ar",))
    make_contact("jonas@example.com", languages=("de", "ar"))
    outlet = Outlet.objects.create(name="Wire", type=OutletType.ONLINE, country_id="AE")
    hook = WebhookEndpoint.objects.create(outlet=outlet, url="https://wire.example/hook",
                                          secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
    Subscription.objects.create(outlet=outlet, endpoint=hook, channel=Channel.WEBHOOK)
    release = make_release("published")
    arabic = services.LocalizationInput(language="ar", headline="نهر للطاقة تفتتح محطة بسعة مضاعفة",
                                        body_html="<p>السعة ضعف ما أعلن سابقا.</p>")
    german = services.LocalizationInput(language="de", headline="Nahr Energy eröffnet eine Solaranlage",
                                        body_html="<p>Die Anlage läuft mit Sonnenstrom.</p>",
                                        origin="human", translated_from="ar")

    services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the capacity.",
                             localizations=[arabic, german])

    stored = RenderedItem.objects.filter(release=release, version=2)
    email = {item.language: item.payload for item in stored.filter(format="email")}
    assert sorted(email) == ["ar", "de"]
    assert "نهر للطاقة تفتتح محطة بسعة مضاعفة" in email["ar"]["subject"]
    assert "Nahr Energy eröffnet eine Solaranlage" in email["de"]["subject"]
    assert "Die Anlage läuft mit Sonnenstrom." in email["de"]["text"]
    event = json.dumps(stored.get(format="webhook:ninjs").payload, ensure_ascii=False)
    assert "نهر للطاقة تفتتح محطة بسعة مضاعفة" in event
    assert "Nahr Energy eröffnet eine Solaranlage" in event
    assert "Fixed the capacity." in event
