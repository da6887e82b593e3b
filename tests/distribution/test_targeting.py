"""Targeting, staging and the event log: who gets which version, computed in SQL, once per recipient."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.support.factories import contact
from wireroom.accounts.models import Membership
from wireroom.distribution import staging
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.distribution.targeting import email_recipients, reach_estimate, target_of, webhook_recipients
from wireroom.mediadb.models import ContactStatus, Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release, WireEvent
from wireroom.subscriptions.models import Cadence, Channel, SftpEndpoint, Subscription, WebhookEndpoint
from wireroom.taxonomy.models import Sector

pytestmark = pytest.mark.django_db


def endpoint(name: str, *, sectors: tuple[str, ...] = (), kinds: str = "", active: bool = True,
             outlet_type: str = OutletType.ONLINE, desktops: int = 0) -> WebhookEndpoint:
    outlet = Outlet.objects.create(name=name, type=outlet_type, country_id="AE", desktops=desktops)
    hook = WebhookEndpoint.objects.create(outlet=outlet, url=f"https://{name.lower()}.example/hook",
                                          secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], active=active)
    subscription = Subscription.objects.create(outlet=outlet, endpoint=hook, channel=Channel.WEBHOOK, kinds=kinds)
    subscription.sectors.set(Sector.objects.filter(slug__in=sectors))
    return hook


def names(queryset: Any) -> set[str]:
    return {row.name if hasattr(row, "name") else row.outlet.name for row in queryset}


def test_only_active_consenting_contacts_on_matching_beats_countries_and_languages_are_targeted(
    make_release: Callable[..., Release],
) -> None:
    contact("Amal")
    contact("Anybeat", beats=())
    contact("Gone", status=ContactStatus.UNSUBSCRIBED)
    contact("Bounced", status=ContactStatus.BOUNCED)
    contact("Complained", status=ContactStatus.COMPLAINED)
    contact("NoConsent", consent=False)
    contact("Sport", beats=("sports",))
    contact("Brazil", countries=("BR",))
    contact("Thai", languages=("th",))
    release = make_release("approved")
    assert names(email_recipients(target_of(release))) == {"Amal", "Anybeat"}


def test_each_recipient_gets_their_best_language_else_the_original(make_release: Callable[..., Release]) -> None:
    contact("Prefers", languages=("fr", "en", "ar"))
    contact("Arabic", languages=("ar",))
    contact("Reader", languages=("de",))
    release = make_release("approved", languages=[])
    best = dict(email_recipients(target_of(release)).values_list("name", "best_language"))
    assert best == {"Prefers": "en", "Arabic": "ar", "Reader": "ar"}


def test_digest_subscribers_are_left_out_of_the_instant_fan_out(make_release: Callable[..., Release]) -> None:
    person = contact("Digest")
    Subscription.objects.create(contact=person, channel=Channel.EMAIL, cadence=Cadence.DAILY)
    assert not email_recipients(target_of(make_release("approved"))).exists()


def test_webhook_endpoints_are_targeted_by_their_subscriptions(make_release: Callable[..., Release]) -> None:
    endpoint("Everything")
    endpoint("TopStories", sectors=("top-story",))
    endpoint("SportsDesk", sectors=("sports",))
    endpoint("Advisories", kinds=",media_advisory,")
    endpoint("Releases", kinds=",press_release,")
    endpoint("Disabled", active=False)
    release = make_release("approved")
    assert names(webhook_recipients(target_of(release))) == {"Everything", "TopStories", "Releases"}


def test_reach_estimate_counts_journalists_outlets_desktops_and_languages(
    make_release: Callable[..., Release],
) -> None:
    desk = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    contact("Amal", outlet=desk)
    contact("Bashir", languages=("en",), outlet=desk)
    endpoint("Terminal", outlet_type=OutletType.TERMINAL_PARTNER, desktops=250_000)
    reach = reach_estimate(make_release("approved"))
    assert (reach.journalists, reach.outlets, reach.endpoints, reach.partner_desktops) == (2, 1, 1, 250_000)
    assert reach.by_language == {"ar": 1, "en": 1}


def test_reach_estimate_counts_the_desktops_of_partners_that_take_files_over_sftp(
    make_release: Callable[..., Release],
) -> None:
    partner = Outlet.objects.create(name="Files Terminal", type=OutletType.TERMINAL_PARTNER, country_id="SA",
                                    desktops=40_000)
    drop = SftpEndpoint.objects.create(outlet=partner, host="sftp.partner.example", username="wire",
                                       host_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchHostKeyNotUsedForConnecting")
    Subscription.objects.create(outlet=partner, sftp_endpoint=drop, channel=Channel.SFTP)
    closed = Outlet.objects.create(name="Closed Terminal", type=OutletType.TERMINAL_PARTNER, country_id="AE",
                                   desktops=9_000)
    off = SftpEndpoint.objects.create(outlet=closed, host="sftp.closed.example", username="wire", active=False,
                                      host_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchHostKeyNotUsedForConnecting")
    Subscription.objects.create(outlet=closed, sftp_endpoint=off, channel=Channel.SFTP)
    reach = reach_estimate(make_release("approved"))
    assert (reach.partner_desktops, reach.outlets, reach.countries) == (40_000, 0, 1)


def test_publishing_stages_one_row_per_recipient_and_renders_once_per_language(
    make_release: Callable[..., Release],
) -> None:
    contact("Amal")
    contact("Bashir", languages=("en",))
    endpoint("Wire")
    release = make_release("published")
    rows = Delivery.objects.filter(release=release)
    assert sorted(rows.values_list("channel", "language", "version", "action", "state")) == [
        ("email", "ar", 1, "publish", "pending"), ("email", "en", 1, "publish", "pending"),
        ("webhook", "*", 1, "publish", "pending")]
    rendered = set(RenderedItem.objects.filter(release=release).values_list("format", "language"))
    assert {("email", "ar"), ("email", "en")} <= rendered
    assert any(fmt != "email" for fmt, _ in rendered)


def test_a_scheduled_release_is_staged_for_its_embargo_and_unstaged_when_unscheduled(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    contact("Amal")
    release = make_release("scheduled")
    staged = Delivery.objects.get(release=release)
    assert staged.next_attempt_at == release.embargo_at
    assert staged.version == 1
    services.release_unschedule(release=release, by=actors["issuer_admin"])
    assert not Delivery.objects.filter(release=release).exists()
    # Nothing of the release is kept but pre-positioning's kill notice (which names the dropped key, no text).
    [notice] = RenderedItem.objects.filter(release=release)
    assert notice.payload["type"] == "release.prepositioned_killed"


def test_correction_goes_to_earlier_recipients_and_new_matches(make_release: Callable[..., Release],
                                                               actors: dict[str, Membership]) -> None:
    contact("Amal")
    release = make_release("published")
    Delivery.objects.filter(release=release).update(state=DeliveryState.DELIVERED)
    contact("Later", languages=("en",))
    services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the capacity.")
    corrected = Delivery.objects.filter(release=release, version=2)
    assert sorted(corrected.values_list("contact__name", "action")) == [("Amal", "correct"), ("Later", "correct")]


def test_withdrawal_suppresses_what_is_unsent_and_sends_a_kill_notice_to_whoever_got_it(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    contact("Got")
    contact("Waiting")
    release = make_release("published")
    Delivery.objects.filter(release=release, contact__name="Got").update(state=DeliveryState.DELIVERED)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    assert Delivery.objects.get(release=release, version=1, contact__name="Waiting").state == "suppressed"
    kill = Delivery.objects.filter(release=release, version=2)
    assert list(kill.values_list("contact__name", "action")) == [("Got", "withdraw")]


def test_every_distributed_version_is_appended_to_the_event_log_in_order(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("corrected")
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Duplicate.")
    events = list(WireEvent.objects.filter(release=release))
    assert [(e.version, e.action) for e in events] == [(1, "publish"), (2, "correct"), (3, "withdraw")]
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_the_event_log_is_written_in_the_same_transaction_as_the_version(
    make_release: Callable[..., Release], actors: dict[str, Membership], monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = make_release("approved")

    def broken_stage(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(staging, "stage", broken_stage)
    with pytest.raises(RuntimeError):
        services.release_publish(release=release, by=actors["wire_editor"])
    release.refresh_from_db()
    assert release.state == "approved"
    assert not WireEvent.objects.exists()
    assert not release.versions.exists()


def test_scheduled_rows_wait_for_the_embargo_second(make_release: Callable[..., Release]) -> None:
    from wireroom.distribution import ledger

    contact("Amal")
    release = make_release("scheduled")
    assert release.embargo_at is not None
    before = release.embargo_at - dt.timedelta(milliseconds=1)
    too_early = ledger.lease(worker="w1", limit=10, lease_seconds=30, now=before)
    assert too_early == []
    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=30, now=release.embargo_at)
    assert len(jobs) == 1
    assert jobs[0].release_id == release.pk
    assert timezone.is_aware(release.embargo_at)


def test_a_correction_replaces_what_has_not_gone_out_yet(make_release: Callable[..., Release],
                                                         actors: dict[str, Membership]) -> None:
    contact("Waiting")
    release = make_release("published")
    services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the capacity.")
    assert Delivery.objects.get(release=release, version=1).state == "suppressed"
    assert Delivery.objects.filter(release=release, version=2, contact__name="Waiting").exists()


def test_a_release_that_names_no_sector_reaches_every_webhook_subscription(
    make_release: Callable[..., Release],
) -> None:
    endpoint("Everything")
    endpoint("TopStories", sectors=("top-story",))
    release = make_release("approved")
    release.sectors.clear()
    assert names(webhook_recipients(target_of(release))) == {"Everything", "TopStories"}


def test_a_contact_with_an_instant_subscription_is_not_left_out_for_a_digest(
    make_release: Callable[..., Release],
) -> None:
    person = contact("Both")
    Subscription.objects.create(contact=person, channel=Channel.EMAIL, cadence=Cadence.DAILY)
    Subscription.objects.create(contact=person, channel=Channel.EMAIL, cadence=Cadence.INSTANT)
    assert names(email_recipients(target_of(make_release("approved")))) == {"Both"}


def test_failed_copies_of_a_withdrawn_release_are_never_replayed(make_release: Callable[..., Release],
                                                                 actors: dict[str, Membership]) -> None:
    from wireroom.distribution import ledger

    contact("Amal")
    release = make_release("published")
    Delivery.objects.filter(release=release).update(state=DeliveryState.FAILED)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Wrong figures.")
    assert ledger.replay(release_id=release.pk).queued == 0


def _plan(queryset: Any) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}" if connection.vendor == "postgresql" else f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _subscriptions_read_per_row(plan: str) -> bool:
    """Whether the plan reads subscriptions once for every endpoint or contact rather than once in all."""
    if connection.vendor != "postgresql":
        # SQLite runs EXISTS per row: it must then go straight to the row's own subscriptions, never walk those
        # of a channel or the whole table.
        by_channel = re.search(r"INDEX \w+ \(channel=\?", plan)
        scanned = re.search(r"^SCAN (subscriptions_subscription|[UV]\d+)$", plan, re.MULTILINE)
        by_owner = re.search(r"\((contact|endpoint)_id=\? AND channel=\?\)", plan)
        return bool(by_channel or scanned or not by_owner)
    # PostgreSQL joins, or hashes a subquery once; a plain SubPlan over subscriptions is run per row.
    lines = plan.splitlines()
    per_row = set()
    for number, line in enumerate(lines[:-1]):
        header = re.match(r"\s*SubPlan (\d+)", line)
        if header and " on subscriptions_subscription " in lines[number + 1]:
            per_row.add(header.group(1))
    return any(re.search(rf"(?<!hashed )SubPlan {n}\b(?!\s*$)", plan, re.MULTILINE) for n in per_row)


def test_each_endpoints_and_contacts_subscriptions_are_not_read_once_per_recipient(
        make_release: Callable[..., Release]) -> None:
    # With only a (channel, active) index to go by, SQLite read every webhook subscription once per endpoint:
    # staging 30,000 outlets took 149 s.
    endpoint("Everything")
    contact("reader@example.com")
    target = target_of(make_release("approved"))
    assert not _subscriptions_read_per_row(_plan(webhook_recipients(target)))
    assert not _subscriptions_read_per_row(_plan(email_recipients(target)))
