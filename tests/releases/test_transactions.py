"""Slow work happens before a write transaction opens, so one issuer's large release never locks out another."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import nh3
import pytest
from django.db import connection

from tests.support.api import ApiClient
from tests.support.factories import release_input
from wireroom.accounts.models import Membership
from wireroom.releases import services
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db(transaction=True)


def test_bodies_are_sanitized_outside_any_transaction_on_create_edit_and_correction(
    actors: dict[str, Membership], make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_transaction: list[bool] = []
    clean = nh3.clean

    def recording(*args: Any, **kwargs: Any) -> str:
        in_transaction.append(connection.in_atomic_block)
        return clean(*args, **kwargs)

    monkeypatch.setattr(nh3, "clean", recording)
    draft = services.release_create(by=actors["issuer_admin"], data=release_input()).release
    english = services.LocalizationInput(language="en", headline="Nahr Energy opens a plant",
                                         body_html="<p>It runs on solar power.</p>")
    services.release_update(release=draft, by=actors["issuer_admin"],
                            data=services.ReleaseInput(localizations=[english]))
    published = make_release("published")
    services.release_correct(release=published, by=actors["wire_editor"], note="Fixed the capacity.",
                             localizations=[english])
    # Two bodies for each create (the draft and the published one), one for the edit, one for the correction.
    assert in_transaction == [False] * 6


def test_another_organizations_create_goes_through_while_a_large_create_is_being_sanitized(
    api: Callable[[str | None], ApiClient], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The large create is held inside the sanitizer until the other organization's create has answered. Had
    # it opened its write transaction first, SQLite would make the other create wait for the lock and give up
    # with "database is locked" (a 500); PostgreSQL would let it through either way.
    sanitizing, finish = threading.Event(), threading.Event()
    clean = nh3.clean
    held: list[threading.Thread] = []

    def holding(*args: Any, **kwargs: Any) -> str:
        if threading.current_thread() in held:
            sanitizing.set()
            finish.wait(timeout=120)
        return clean(*args, **kwargs)

    monkeypatch.setattr(nh3, "clean", holding)
    paragraph = "<p>Nahr Energy's plant makes <b>drinking water</b> from the sea with solar power.</p>"
    large = {"original_language": "en", "sectors": ["energy"], "localizations": [
        {"language": language, "headline": "Nahr Energy opens a plant", "body_html": paragraph * 1_000}
        for language in ("en", "ar", "de", "fr", "es", "pt", "ru", "ja", "ko")]}
    small = {"original_language": "en", "sectors": ["fintech"], "localizations": [
        {"language": "en", "headline": "Lotus Fintech opens a Jakarta office", "body_html": "<p>It opened.</p>"}]}
    issuer, other = api("issuer_admin"), api("other_issuer_admin")
    answers: dict[str, Any] = {}

    def create_large() -> None:
        try:
            answers["large"] = issuer.post("/api/v1/releases", large)
        finally:
            connection.close()

    thread = threading.Thread(target=create_large)
    held.append(thread)
    thread.start()
    try:
        assert sanitizing.wait(timeout=120), "the large create never reached the sanitizer"
        answers["small"] = other.post("/api/v1/releases", small)
    finally:
        finish.set()
        thread.join()
    assert answers["small"].status_code == 201, answers["small"].content
    assert answers["large"].status_code == 201, answers["large"].content
    assert Release.objects.filter(issuer__slug="lotus-fintech").count() == 1
    assert Release.objects.get(issuer__slug="nahr-energy").localizations.count() == 9
