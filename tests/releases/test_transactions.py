"""Slow work (sanitizing, rendering) happens before a write transaction opens, so one issuer's large release never
locks out another."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

import nh3
import pytest
from django.db import connection

from tests.support.api import ApiClient
from tests.support.email import make_contact
from tests.support.factories import release_input
from wireroom.accounts.models import Membership
from wireroom.distribution.channels import registry
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.distribution.renderings import Renderings
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint

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


def _endpoint(name: str) -> WebhookEndpoint:
    outlet = Outlet.objects.create(name=name, type=OutletType.ONLINE, country_id="AE")
    hook = WebhookEndpoint.objects.create(outlet=outlet, url=f"https://{name.lower()}.example/hook",
                                          secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
    Subscription.objects.create(outlet=outlet, endpoint=hook, channel=Channel.WEBHOOK)
    return hook


def _wrap_render(monkeypatch: pytest.MonkeyPatch, channel: str,
                 before: Callable[[Release, Upcoming], None]) -> None:
    """Run `before` each time `channel` renders a version, then render it as the channel does."""
    spec = registry.get(channel)

    def render(release: Release, upcoming: Upcoming, keys: frozenset[str]) -> Renderings:
        before(release, upcoming)
        return spec.render(release, upcoming, keys)

    monkeypatch.setitem(registry._CHANNELS._specs, channel, dataclasses.replace(spec, render=render))


def test_versions_are_rendered_outside_any_transaction_when_published_scheduled_corrected_withdrawn_or_due(
    actors: dict[str, Membership], make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Scheduled while nobody was targeted, so nothing was rendered then: the clock renders it when it is due.
    unstaged = make_release("scheduled")
    make_contact("amal@example.com", languages=("ar",))
    make_contact("jonas@example.com", languages=("de", "ar"))
    _endpoint("Wire")
    renders: list[tuple[str, str, bool]] = []

    def recorder(channel: str) -> Callable[[Release, Upcoming], None]:
        return lambda release, upcoming: renders.append((channel, upcoming.action, connection.in_atomic_block))

    for channel in ("email", "webhook"):
        _wrap_render(monkeypatch, channel, recorder(channel))
    editor = actors["wire_editor"]
    release = make_release("approved")
    services.release_publish(release=release, by=actors["issuer_admin"])
    # The correction adds a language, which someone reads: foreseen and rendered before the transaction too.
    german = services.LocalizationInput(language="de", headline="Nahr Energy eröffnet eine Solaranlage",
                                        body_html="<p>Die Anlage läuft mit Sonnenstrom.</p>",
                                        origin="human", translated_from="ar")
    services.release_correct(release=release, by=editor, note="Fixed the capacity.", localizations=[german])
    Delivery.objects.filter(release=release).update(state=DeliveryState.DELIVERED)  # so kill notices go out
    services.release_withdraw(release=release, by=editor, reason="Issued in error.")
    scheduled = make_release("scheduled")
    assert unstaged.embargo_at is not None
    assert services.release_publish_due(release=unstaged, now=unstaged.embargo_at)

    assert sorted({(channel, action) for channel, action, _ in renders}) == [
        ("email", "correct"), ("email", "publish"), ("email", "withdraw"),
        ("webhook", "correct"), ("webhook", "publish"), ("webhook", "withdraw")]
    assert [in_transaction for _, _, in_transaction in renders] == [False] * len(renders)
    assert RenderedItem.objects.filter(release=release, version=2, format="email", language="de").exists()
    stored = RenderedItem.objects.filter(format="email", language="ar")
    assert sorted(stored.values_list("release_id", "version")) == sorted(
        [(release.pk, 1), (release.pk, 2), (release.pk, 3), (scheduled.pk, 1), (unstaged.pk, 1)])


def test_an_edit_that_lands_while_a_publication_renders_goes_out_rendered_again(
    actors: dict[str, Membership], make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_contact("amal@example.com", languages=("ar",))
    release = make_release("approved")
    edits: list[str] = []

    def edit_once(rendered: Release, upcoming: Upcoming) -> None:
        if not edits:
            edits.append("edited")
            arabic = services.LocalizationInput(language="ar", headline="محطة التحلية تعمل الآن",
                                                body_html="<p>بدأت المحطة العمل.</p>")
            services.release_update(release=rendered, by=actors["wire_editor"],
                                    data=services.ReleaseInput(localizations=[arabic]))

    _wrap_render(monkeypatch, "email", edit_once)
    services.release_publish(release=release, by=actors["issuer_admin"])

    version = release.versions.get(number=1)
    headlines = {item["language"]: item["headline"] for item in version.snapshot["localizations"]}
    assert headlines["ar"] == "محطة التحلية تعمل الآن"
    email = RenderedItem.objects.get(release=release, version=1, format="email", language="ar").payload
    assert "محطة التحلية تعمل الآن" in email["subject"]
    assert "بدأت المحطة العمل." in email["text"]


def test_a_release_that_keeps_changing_while_it_renders_is_rendered_under_the_lock_on_the_last_attempt(
    actors: dict[str, Membership], make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_contact("amal@example.com", languages=("ar",))
    release = make_release("approved")
    attempts: list[bool] = []

    def edit_every_time(rendered: Release, upcoming: Upcoming) -> None:
        attempts.append(connection.in_atomic_block)
        if not connection.in_atomic_block:
            services.release_update(release=rendered, by=actors["wire_editor"],
                                    data=services.ReleaseInput(dateline=f"Dubai, edit {len(attempts)}"))

    _wrap_render(monkeypatch, "email", edit_every_time)
    services.release_publish(release=release, by=actors["issuer_admin"])

    assert attempts == [False] * (services.RENDER_ATTEMPTS - 1) + [True]
    release.refresh_from_db()
    assert release.state == "published"
    assert release.dateline == f"Dubai, edit {services.RENDER_ATTEMPTS - 1}"
    email = RenderedItem.objects.get(release=release, version=1, format="email", language="ar").payload
    assert release.dateline in email["text"]


def test_another_organizations_create_goes_through_while_a_publication_is_being_rendered(
    api: Callable[[str | None], ApiClient], actors: dict[str, Membership], make_release: Callable[..., Release],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The publication is held inside its rendering until the other organization's create has answered. Had it
    # rendered inside its write transaction, SQLite would make the create wait for the lock and give up with
    # "database is locked"; PostgreSQL would let it through either way.
    make_contact("amal@example.com", languages=("ar",))
    release = make_release("approved")
    rendering, finish = threading.Event(), threading.Event()
    held: list[threading.Thread] = []

    def hold(rendered: Release, upcoming: Upcoming) -> None:
        if threading.current_thread() in held:
            rendering.set()
            finish.wait(timeout=120)

    _wrap_render(monkeypatch, "email", hold)
    small = {"original_language": "en", "sectors": ["fintech"], "localizations": [
        {"language": "en", "headline": "Lotus Fintech opens a Jakarta office", "body_html": "<p>It opened.</p>"}]}
    outcome: dict[str, Any] = {}

    def publish() -> None:
        try:
            outcome["published"] = services.release_publish(release=release, by=actors["issuer_admin"])
        finally:
            connection.close()

    thread = threading.Thread(target=publish)
    held.append(thread)
    thread.start()
    try:
        assert rendering.wait(timeout=120), "the publication never reached its rendering"
        answer = api("other_issuer_admin").post("/api/v1/releases", small)
    finally:
        finish.set()
        thread.join()
    assert answer.status_code == 201, answer.content
    assert outcome["published"].state == "published"
    assert RenderedItem.objects.filter(release=release, version=1, format="email").exists()
