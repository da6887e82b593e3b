"""The dispatcher's order at one second: the channels to machines lease ahead of the channels to people."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone

from tests.support.factories import readers
from wireroom.distribution import dispatcher as dispatcher_module
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.dispatcher import Dispatcher
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Contact, Outlet, OutletType
from wireroom.releases.models import Release
from wireroom.subscriptions.models import WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Recorder:
    """A channel that takes a while over each batch and notes when each began: the dispatcher is what is tested."""

    name: str
    seconds: float
    log: list[tuple[str, int]]
    max_attempts: int = 1
    seen: set[int] = field(default_factory=set)
    copies: Counter[int] = field(default_factory=Counter)

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def retry_delay(self, attempts: int) -> float:
        return 60.0

    async def send(self, jobs: list[Job]) -> list[Result]:
        self.log.append((self.name, len(jobs)))
        await asyncio.sleep(self.seconds)
        self.seen.update(job.delivery_id for job in jobs)
        self.copies.update(job.delivery_id for job in jobs)
        return [Result(job.delivery_id, "delivered") for job in jobs]


def _due_rows(release: Release, *, people: int, machines: int) -> None:
    readers(people)
    outlet = Outlet.objects.create(name="Wire Desk", type=OutletType.ONLINE, country_id="AE")
    hooks = WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(outlet=outlet, url=f"https://desk{n}.example/hook", secrets=["whsec_MfKQ9r8GKYqrTwjUPD8IL"])
        for n in range(machines))
    due, now = timezone.now() - dt.timedelta(seconds=1), timezone.now()
    common = {"release": release, "version": release.version, "action": "publish", "state": "pending",
              "next_attempt_at": due, "created_at": now}
    Delivery.objects.bulk_create(
        [Delivery(channel="email", recipient_key=f"c:{person.pk}", contact=person, language="ar", **common)
         for person in Contact.objects.all()]
        + [Delivery(channel="webhook", recipient_key=f"e:{hook.pk}", endpoint=hook, language="*", **common)
           for hook in hooks])


def _run(dispatcher: Dispatcher, done: Callable[[], bool]) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(dispatcher.run(stop))
        deadline = time.monotonic() + 60
        while not done():
            if time.monotonic() > deadline or running.done():
                raise AssertionError("the dispatcher did not deliver every row")
            await asyncio.sleep(0.02)
        stop.set()
        await running

    asyncio.run(main())


def _send_order(make_release: Callable[..., Release], machines_first_seconds: float) -> list[tuple[str, int]]:
    """The batches as the channels began them, 200 e-mails and 200 webhooks all due at once."""
    _due_rows(make_release("approved"), people=200, machines=200)
    log: list[tuple[str, int]] = []
    # Six webhook batches, four at a time, each 0.3 s: the last begins 0.3 s after the first at the soonest.
    email, webhook = Recorder("email", 0.02, log), Recorder("webhook", 0.3, log)
    dispatcher = Dispatcher(batch_size=40, lease_seconds=30, poll_seconds=0.2,
                            channels={"email": email, "webhook": webhook},
                            machines_first_seconds=machines_first_seconds)
    _run(dispatcher, lambda: len(email.seen) == 200 and len(webhook.seen) == 200)
    assert sum(size for channel, size in log if channel == "webhook") == 200
    return log


def test_the_webhooks_due_at_a_second_are_leased_before_the_emails_beyond_the_first_batch(
        make_release: Callable[..., Release]) -> None:
    log = _send_order(make_release, machines_first_seconds=20.0)
    emails = [index for index, (channel, _size) in enumerate(log) if channel == "email"]
    webhooks = [index for index, (channel, _size) in enumerate(log) if channel == "webhook"]
    # The e-mail's first small batch goes at the second too; the rest waits for the webhooks' backlog.
    assert log[emails[0]] == ("email", 20)
    assert emails[1] > webhooks[-1]


def test_with_machines_first_off_the_emails_go_beside_the_webhooks(make_release: Callable[..., Release]) -> None:
    log = _send_order(make_release, machines_first_seconds=0)
    emails = [index for index, (channel, _size) in enumerate(log) if channel == "email"]
    webhooks = [index for index, (channel, _size) in enumerate(log) if channel == "webhook"]
    assert emails[1] < webhooks[-1]


def test_a_backlog_of_webhooks_slows_the_emails_but_never_stops_them(make_release: Callable[..., Release]) -> None:
    _due_rows(make_release("approved"), people=100, machines=400)
    log: list[tuple[str, int]] = []
    email, webhook = Recorder("email", 0.01, log), Recorder("webhook", 0.4, log)
    dispatcher = Dispatcher(batch_size=20, lease_seconds=30, poll_seconds=0.2, max_in_flight=1,
                            channels={"email": email, "webhook": webhook}, machines_first_seconds=0.1)
    _run(dispatcher, lambda: len(email.seen) == 100)
    # Every e-mail went while the webhooks (20 batches of 0.4 s, one at a time) still had rows due.
    assert len(webhook.seen) < 400
    assert [channel for channel, _size in log].count("email") == 5  # 20 at once, then 4 batches of 20


@dataclass
class Watcher(Recorder):
    """A recorder that notes, as each of its batches begins, how many copies another channel has sent."""

    watched: Recorder | None = None
    sent_by_watched: list[int] = field(default_factory=list)

    async def send(self, jobs: list[Job]) -> list[Result]:
        assert self.watched is not None
        self.sent_by_watched.append(len(self.watched.seen))
        return await super().send(jobs)


def _emails_beside_webhooks(release: Release, *, people: int, machines: int, webhook_seconds: float,
                            batch_size: int, machines_first_seconds: float) -> list[int]:
    """How many webhooks had been sent as each e-mail batch began, all the rows due at once."""
    _due_rows(release, people=people, machines=machines)
    webhook = Recorder("webhook", webhook_seconds, [])
    email = Watcher("email", 0.01, [], watched=webhook)
    dispatcher = Dispatcher(batch_size=batch_size, lease_seconds=30, poll_seconds=0.2,
                            channels={"email": email, "webhook": webhook},
                            machines_first_seconds=machines_first_seconds)
    _run(dispatcher, lambda: len(email.seen) == people and len(webhook.seen) == machines)
    return email.sent_by_watched


def test_the_emails_beyond_the_first_batch_wait_until_the_webhooks_first_copies_are_sent_not_only_leased(
        make_release: Callable[..., Release]) -> None:
    # 40 webhooks: a first batch of 20, then a lease of 20 that is not full, so no more are due; each batch takes
    # half a second to send. 60 e-mails: a first batch of 20, then one of 40.
    sent_by_then = _emails_beside_webhooks(make_release("approved"), people=60, machines=40, webhook_seconds=0.5,
                                           batch_size=50, machines_first_seconds=10.0)

    # The first e-mails went at the second, beside the webhooks; the rest once every webhook had been sent.
    assert sent_by_then == [0, 40]


def test_a_machine_batch_that_hangs_holds_the_emails_back_for_the_machines_first_seconds_only_once(
        make_release: Callable[..., Release]) -> None:
    # Batches of 10 (the first batch after an idle spell is no larger than a full one): two of webhooks, each
    # hanging for 2 s, and eleven of e-mails.
    sent_by_then = _emails_beside_webhooks(make_release("approved"), people=110, machines=20, webhook_seconds=2.0,
                                           batch_size=10, machines_first_seconds=0.3)

    # Held 0.3 s once, not 0.3 s before each of its ten batches after the first: that would have been 3 s, and
    # the later batches would have begun after the webhooks' 2 s.
    assert sent_by_then == [0] * 11


def test_a_batch_slower_than_its_lease_keeps_its_rows_and_each_goes_out_once(
        make_release: Callable[..., Release]) -> None:
    _due_rows(make_release("approved"), people=0, machines=30)
    log: list[tuple[str, int]] = []
    # Each batch takes two leases: unrenewed, its rows fell due mid-send and were leased again.
    webhook = Recorder("webhook", 4.0, log)
    dispatcher = Dispatcher(batch_size=50, lease_seconds=2, poll_seconds=0.2, channels={"webhook": webhook})

    _run(dispatcher, lambda: len(webhook.seen) == 30)

    assert log == [("webhook", 20), ("webhook", 10)]
    assert set(webhook.copies.values()) == {1}
    assert set(Delivery.objects.values_list("state", "attempts")) == {("delivered", 1)}


def test_a_batch_that_hangs_past_its_renewals_falls_due_and_goes_again(
        make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatcher_module, "RENEWALS", 1)
    _due_rows(make_release("approved"), people=0, machines=5)
    log: list[tuple[str, int]] = []
    webhook = Recorder("webhook", 4.0, log)
    dispatcher = Dispatcher(batch_size=50, lease_seconds=1, poll_seconds=0.2, channels={"webhook": webhook})

    _run(dispatcher, lambda: len(log) >= 2)

    # Renewed for one lease, then left to run out while the first send still hung: leased and sent again.
    assert log == [("webhook", 5), ("webhook", 5)]
    assert set(webhook.copies.values()) == {2}


@dataclass
class Preparer(Recorder):
    """A recorder that also notes when each batch was prepared and when it was sent."""

    moments: list[tuple[str, int, float]] = field(default_factory=list)

    async def prepare(self, jobs: list[Job]) -> None:
        self.moments.append(("prepared", len(jobs), time.time()))

    async def send(self, jobs: list[Job]) -> list[Result]:
        self.moments.append(("sent", len(jobs), time.time()))
        return await super().send(jobs)


def test_before_an_embargo_second_the_batches_behind_the_small_first_one_are_full_and_all_are_prepared(
        make_release: Callable[..., Release], monkeypatch: pytest.MonkeyPatch) -> None:
    # A wider window and a longer head start than in production, so that a slow machine still leases every
    # batch ahead and still sends the first before the others. The window is as wide as the 3 to 4 s until the
    # second, and the poll longer still: the loop never polls past the window. With a 1 s window and a 0.5 s
    # poll, one run beside a full test suite leased only two of the three batches in time.
    monkeypatch.setattr(dispatcher_module, "LEASE_AHEAD_SECONDS", 5.0)
    monkeypatch.setattr(dispatcher_module, "FIRST_BATCH_HEAD_START", 5.0)
    _due_rows(make_release("approved"), people=0, machines=120)
    second = (timezone.now() + dt.timedelta(seconds=3)).replace(microsecond=0) + dt.timedelta(seconds=1)
    Delivery.objects.update(next_attempt_at=second)
    webhook = Preparer("webhook", 0.01, [])
    dispatcher = Dispatcher(batch_size=50, lease_seconds=30, poll_seconds=6.0, channels={"webhook": webhook})

    _run(dispatcher, lambda: len(webhook.seen) == 120)

    due = second.timestamp()
    prepared = [(size, at) for what, size, at in webhook.moments if what == "prepared"]
    sent = [(size, at) for what, size, at in webhook.moments if what == "sent"]
    # Leased in the lease-ahead window: the small first batch, then full ones, each prepared before the second
    # and none sent before it.
    assert [size for size, _at in prepared] == [20, 50, 50]
    assert all(at < due for _size, at in prepared)
    assert sorted(size for size, _at in sent) == [20, 50, 50]
    assert all(at >= due for _size, at in sent)
    # The full batches gave the small first one a head start: they began once it had been sent (its channel
    # takes 0.01 s over it), not beside it.
    first_sent = next(at for size, at in sent if size == 20)
    assert all(at >= first_sent + 0.01 for size, at in sent if size == 50)


class Flaky(Dispatcher):
    """A dispatcher whose database fails once, where `fails` says: the lease ahead of a second, or the read of
    the next due row."""

    def __init__(self, fails: str, **options: Any) -> None:
        super().__init__(**options)
        self.fails = fails
        self.failed = False

    def _fail_once(self) -> None:
        if not self.failed:
            self.failed = True
            raise OperationalError("database is locked")

    def _lease(self, channel_name: str, limit: int, ahead: float = 0.0) -> list[Job]:
        if self.fails == "lease ahead" and ahead > 0:
            self._fail_once()
        return super()._lease(channel_name, limit, ahead)

    def _idle_wait(self, channel_name: str) -> float:
        if self.fails == "next due row":
            self._fail_once()
        return super()._idle_wait(channel_name)


@pytest.mark.parametrize("fails", ["lease ahead", "next due row"])
def test_a_database_failure_before_an_embargo_second_is_retried_and_every_row_still_goes(
        fails: str, make_release: Callable[..., Release]) -> None:
    _due_rows(make_release("approved"), people=0, machines=30)
    second = (timezone.now() + dt.timedelta(seconds=2)).replace(microsecond=0) + dt.timedelta(seconds=1)
    Delivery.objects.update(next_attempt_at=second)
    webhook = Recorder("webhook", 0.01, [])
    dispatcher = Flaky(fails, batch_size=50, lease_seconds=30, poll_seconds=0.5, channels={"webhook": webhook})

    _run(dispatcher, lambda: len(webhook.seen) == 30)

    assert dispatcher.failed
