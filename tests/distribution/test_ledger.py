"""Leasing and acknowledging the ledger: nothing lost, nothing leased twice, retries with backoff."""

from __future__ import annotations

import datetime as dt
import random
import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from wireroom.accounts.models import Membership
from wireroom.distribution import ledger
from wireroom.distribution.channels.base import Result
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.distribution.prepositioning import ENVELOPE, KEY, KEY_RETRY_CEILING, KEY_RETRY_SECONDS, key_retry_after
from wireroom.mediadb.models import Contact, Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint


def _rows(release: Release, count: int, *, at: dt.datetime) -> list[Delivery]:
    contacts = Contact.objects.bulk_create(
        Contact(name=f"Reader {n}", email=f"reader{n}@example.com", consent=True) for n in range(count))
    return Delivery.objects.bulk_create(
        Delivery(release=release, version=1, action="publish", channel="email", recipient_key=f"c:{c.pk}",
                 contact=c, language="ar", next_attempt_at=at, created_at=at) for c in contacts)


def _constant(seconds: float) -> Callable[[int], float]:
    return lambda _attempts: seconds


@pytest.mark.django_db
def test_a_leased_row_is_not_leased_again_until_its_lease_expires(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 3, at=now)
    first = ledger.lease(worker="w1", limit=10, lease_seconds=30, now=now)
    assert len(first) == 3
    still_held = ledger.lease(worker="w2", limit=10, lease_seconds=30, now=now + dt.timedelta(seconds=29))
    assert still_held == []
    again = ledger.lease(worker="w2", limit=10, lease_seconds=30, now=now + dt.timedelta(seconds=31))
    assert {job.delivery_id for job in again} == {job.delivery_id for job in first}
    assert {job.attempts for job in again} == {2}


@pytest.mark.django_db
def test_ack_records_delivery_retry_with_backoff_and_failure(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 3, at=now)
    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=30, now=now)
    ok, later, dead = (job.delivery_id for job in jobs)
    ledger.ack(worker="w1", jobs=jobs, max_attempts=8, retry_delay=_constant(100), now=now, rng=random.Random(1),
               results=[Result(ok, "delivered", receiver_ref="queued as 4XyZ"), Result(later, "retry", error="451"),
                        Result(dead, "failed", error="550 no such user")])
    rows = {row.pk: row for row in Delivery.objects.all()}
    assert (rows[ok].state, rows[ok].receiver_ref, rows[ok].delivered_at) == ("delivered", "queued as 4XyZ", now)
    assert rows[later].state == "retrying"
    backoff = rows[later].next_attempt_at - now
    shortest, longest = dt.timedelta(seconds=80), dt.timedelta(seconds=120)
    assert shortest <= backoff <= longest, "100 s with ±20% jitter"
    assert (rows[dead].state, rows[dead].last_error) == ("failed", "550 no such user")
    assert all(row.leased_by == "" and row.lease_expires_at is None for row in rows.values())


@pytest.mark.django_db
def test_retry_after_is_honoured_and_the_last_attempt_fails_with_a_reason(
    make_release: Callable[..., Release],
) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 2, at=now)
    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=30, now=now)
    slow, last = jobs
    ledger.ack(worker="w1", jobs=jobs, max_attempts=1, retry_delay=_constant(5), now=now,
               results=[Result(slow.delivery_id, "retry", retry_after=7.0), Result(last.delivery_id, "retry",
                                                                                    error="timeout")])
    rows = {row.pk: row for row in Delivery.objects.all()}
    # max_attempts=1: both have used their only attempt.
    assert rows[last.delivery_id].state == "failed"
    assert rows[last.delivery_id].last_error == "gave up after 1 attempts: timeout"


@pytest.mark.django_db
def test_an_ack_for_a_lost_lease_changes_nothing(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 1, at=now)
    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=1, now=now)
    taken_over = ledger.lease(worker="w2", limit=10, lease_seconds=30, now=now + dt.timedelta(seconds=2))
    assert taken_over
    ledger.ack(worker="w1", jobs=jobs, max_attempts=8, retry_delay=_constant(1), now=now,
               results=[Result(jobs[0].delivery_id, "failed", error="late")])
    row = Delivery.objects.get()
    assert (row.state, row.leased_by) == ("leased", "w2")


@pytest.mark.django_db
def test_a_renewal_extends_only_the_leases_the_worker_still_holds(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 4, at=now)
    mine = ledger.lease(worker="w1", limit=3, lease_seconds=10, now=now)
    theirs = ledger.lease(worker="w2", limit=10, lease_seconds=10, now=now)
    sent, held = mine[0], mine[1:]
    ledger.ack(worker="w1", jobs=[sent], max_attempts=8, retry_delay=_constant(1), now=now,
               results=[Result(sent.delivery_id, "delivered")])
    later = now + dt.timedelta(seconds=8)

    renewed = ledger.renew_leases(worker="w1", ids=[job.delivery_id for job in mine + theirs], lease_seconds=10,
                                  now=later)

    assert renewed == 2
    expiries = dict(Delivery.objects.values_list("pk", "lease_expires_at"))
    assert {expiries[job.delivery_id] for job in held} == {later + dt.timedelta(seconds=10)}
    assert expiries[theirs[0].delivery_id] == now + dt.timedelta(seconds=10)
    assert expiries[sent.delivery_id] is None
    # Past the first lease, before the renewed one: w1's rows are not due again; w2's are.
    taken = ledger.lease(worker="w3", limit=10, lease_seconds=10, now=now + dt.timedelta(seconds=12))
    assert [job.delivery_id for job in taken] == [theirs[0].delivery_id]


@pytest.mark.django_db
def test_a_stopping_worker_gives_back_what_it_did_not_send(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 2, at=now)
    ledger.lease(worker="w1", limit=10, lease_seconds=60, now=now)
    assert ledger.release_leases(worker="w1", now=now) == 2
    assert set(Delivery.objects.values_list("state", "attempts")) == {("retrying", 0)}
    taken_up = ledger.lease(worker="w2", limit=10, lease_seconds=60, now=now)
    assert len(taken_up) == 2


@pytest.mark.django_db
def test_failed_deliveries_can_be_replayed(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    release = make_release("published")
    _rows(release, 2, at=now)
    Delivery.objects.update(state=DeliveryState.FAILED, attempts=8, last_error="550")
    assert ledger.replay(release_id=release.pk, now=now).queued == 2
    assert set(Delivery.objects.values_list("state", "attempts", "last_error")) == {("pending", 0, "")}
    assert ledger.replay(release_id=uuid.uuid4(), now=now).queued == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_lease_the_same_row(make_release: Callable[..., Release]) -> None:
    now = timezone.now()
    _rows(make_release("draft"), 400, at=now)
    leased: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def work(name: str) -> None:
        barrier.wait()
        mine: list[int] = []
        try:
            while jobs := ledger.lease(worker=name, limit=25, lease_seconds=60, now=now):
                mine += [job.delivery_id for job in jobs]
        finally:
            leased[name] = mine
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [pk for ids in leased.values() for pk in ids]
    assert len(every) == 400
    assert len(set(every)) == 400


def _scheduled_for_sealed_agencies(make_release: Callable[..., Release], by: Membership, agencies: int) -> Release:
    for n in range(agencies):
        outlet = Outlet.objects.create(name=f"Sealed Agency {n}", type=OutletType.NEWS_AGENCY, country_id="AE")
        endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=f"https://agency{n}.example/hook",
                                                  secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
                                                  prepositioned=True)
        Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    release = make_release("approved")
    services.release_publish(release=release, by=by, embargo_at=timezone.now() + dt.timedelta(hours=1))
    release.refresh_from_db()
    assert release.embargo_at is not None
    return release


@pytest.mark.django_db
def test_the_key_rows_of_an_embargo_second_are_leased_before_the_plain_copies_due_with_them(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = _scheduled_for_sealed_agencies(make_release, actors["issuer_admin"], 3)
    assert release.embargo_at is not None
    rows = Delivery.objects.filter(release=release, channel="webhook")
    # The envelopes went out before the embargo; the plain copies were staged before the keys, as staging does.
    rows.filter(action=ENVELOPE).update(state=DeliveryState.DELIVERED)
    keys = set(rows.filter(action=KEY).values_list("pk", flat=True))
    plain = rows.exclude(action__in=(ENVELOPE, KEY))
    assert len(keys) == 3 and plain.count() == 3
    assert set(rows.filter(state=DeliveryState.PENDING).values_list("next_attempt_at", flat=True)) == {
        release.embargo_at}
    assert max(plain.values_list("pk", flat=True)) < min(keys)

    first = ledger.lease(worker="w1", limit=3, lease_seconds=60, now=release.embargo_at, channel="webhook")

    assert {job.delivery_id for job in first} == keys
    assert set(plain.values_list("state", flat=True)) == {DeliveryState.PENDING}
    rest = ledger.lease(worker="w1", limit=10, lease_seconds=60, now=release.embargo_at, channel="webhook")
    assert {job.delivery_id for job in rest} == set(plain.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_batch_holding_keys_and_plain_copies_lists_the_keys_first_for_the_channel_to_start_them_first(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = _scheduled_for_sealed_agencies(make_release, actors["issuer_admin"], 3)
    rows = Delivery.objects.filter(release=release, channel="webhook")
    rows.filter(action=ENVELOPE).update(state=DeliveryState.DELIVERED)

    jobs = ledger.lease(worker="w1", limit=10, lease_seconds=60, now=release.embargo_at, channel="webhook")

    assert [job.action == KEY for job in jobs] == [True] * 3 + [False] * 3


@pytest.mark.django_db
def test_a_key_not_released_yet_goes_back_briefly_at_its_second_and_at_most_a_second_when_the_clock_is_late(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = _scheduled_for_sealed_agencies(make_release, actors["issuer_admin"], 1)
    embargo = release.embargo_at
    assert embargo is not None
    [version] = {(uuid.UUID(str(release_id)), number) for release_id, number in Delivery.objects.filter(
        release=release, action=KEY).values_list("release_id", "version")}

    def wait(late: float) -> float:
        return key_retry_after({version}, now=embargo + dt.timedelta(seconds=late))[version]

    assert wait(0.0) == KEY_RETRY_SECONDS
    assert wait(0.4) == pytest.approx(0.4)
    assert wait(30.0) == KEY_RETRY_CEILING
    # A version with no key held (its schedule dropped since) waits the longest.
    dropped = (uuid.uuid4(), 1)
    assert key_retry_after({dropped}, now=embargo) == {dropped: KEY_RETRY_CEILING}
