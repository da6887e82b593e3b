"""Replaying failed deliveries: one path (the ledger's) for the admin and `wireroom deliveries --replay`, which
never sends a withdrawn release again and never sends a version a later one replaced."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import Client

from tests.support.email import make_contact
from wireroom.accounts.models import Membership, User
from wireroom.audit.models import AuditEntry
from wireroom.distribution import ledger
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.releases import services
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db


def _fail(rows: QuerySet[Delivery]) -> None:
    rows.update(state=DeliveryState.FAILED, attempts=8, last_error="550 mailbox unavailable")


def _states(release: Release) -> dict[tuple[int, str], str]:
    rows = Delivery.objects.filter(release=release).values_list("version", "contact__email", "state")
    return {(version, address): state for version, address, state in rows}


@pytest.fixture
def corrected_after_failures(make_release: Callable[..., Release], actors: dict[str, Membership]) -> Release:
    """Version 1 failed for one reader; the correction (version 2) then failed for them too."""
    make_contact("amal@example.com")
    release = make_release("published")
    _fail(Delivery.objects.filter(release=release))
    services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the plant's capacity.")
    _fail(Delivery.objects.filter(release=release, version=2))
    return release


@pytest.fixture
def withdrawn_after_failures(make_release: Callable[..., Release], actors: dict[str, Membership]) -> Release:
    """One reader's copy failed, another's went out; then the release was withdrawn and the kill notice failed."""
    make_contact("amal@example.com")
    make_contact("omar@example.com")
    release = make_release("published")
    _fail(Delivery.objects.filter(release=release, contact__email="amal@example.com"))
    Delivery.objects.filter(release=release, contact__email="omar@example.com").update(state=DeliveryState.DELIVERED)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    _fail(Delivery.objects.filter(release=release, action="withdraw"))
    return release


def test_a_replay_sends_only_the_latest_version_and_leaves_a_superseded_one_failed(
    corrected_after_failures: Release,
) -> None:
    release = corrected_after_failures
    done = ledger.replay(release_id=release.pk)
    assert (done.queued, done.superseded, done.withdrawn) == (1, 1, 0)
    assert _states(release) == {(1, "amal@example.com"): "failed", (2, "amal@example.com"): "pending"}


def test_a_replay_of_a_withdrawn_release_resends_its_kill_notice_and_never_its_copies(
    withdrawn_after_failures: Release,
) -> None:
    release = withdrawn_after_failures
    done = ledger.replay(release_id=release.pk)
    assert (done.queued, done.withdrawn) == (1, 1)
    assert _states(release) == {(1, "amal@example.com"): "failed", (1, "omar@example.com"): "delivered",
                                (2, "omar@example.com"): "pending"}
    assert Delivery.objects.get(release=release, version=2).action == "withdraw"


def test_the_command_replays_through_the_ledger_and_says_what_it_refused(corrected_after_failures: Release) -> None:
    out = StringIO()
    call_command("deliveries", str(corrected_after_failures.pk), "--replay", stdout=out)
    assert out.getvalue().strip() == (
        "1 failed deliveries queued again; 1 not replayed because a later version replaced theirs.")
    assert _states(corrected_after_failures)[(1, "amal@example.com")] == "failed"


@pytest.fixture
def admin_client(db: object) -> Client:
    client = Client()
    client.force_login(User.objects.create(username="operator", is_staff=True, is_superuser=True))
    return client


def _admin_replay(client: Client, rows: list[int]) -> str:
    response = client.post("/admin/distribution/delivery/", {"action": "replay", "_selected_action": rows},
                           follow=True)
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"])


def test_the_admin_action_never_replays_a_withdrawn_release_s_copies(
    withdrawn_after_failures: Release, admin_client: Client,
) -> None:
    release = withdrawn_after_failures
    every = list(Delivery.objects.filter(release=release).values_list("pk", flat=True))
    said = _admin_replay(admin_client, every)
    assert said == "1 failed deliveries queued again; 1 not replayed because the release was withdrawn."
    assert _states(release)[(1, "amal@example.com")] == "failed"
    assert _states(release)[(2, "omar@example.com")] == "pending"
    audited = AuditEntry.objects.filter(action="delivery.replay")
    assert sorted(int(entry.target_id) for entry in audited) == sorted(every)
    assert {entry.actor.username if entry.actor else None for entry in audited} == {"operator"}


def test_the_admin_action_never_replays_a_superseded_version(
    corrected_after_failures: Release, admin_client: Client,
) -> None:
    release = corrected_after_failures
    first = Delivery.objects.get(release=release, version=1)
    said = _admin_replay(admin_client, [first.pk])
    assert said == "0 failed deliveries queued again; 1 not replayed because a later version replaced theirs."
    first.refresh_from_db()
    assert first.state == "failed"
