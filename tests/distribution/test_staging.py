"""Staging's SQL: INSERT … SELECT without sorting, and earlier recipients taken from their latest version."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.email import make_contact
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.mediadb.models import ContactLanguage
from wireroom.releases import services
from wireroom.releases.models import Release

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
    assert len(statements) == 2 + 3  # e-mail and webhooks; then the earlier recipients, e-mail and webhooks
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
