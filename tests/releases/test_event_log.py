"""The event log can be resumed from: events become visible in `seq` order, whatever order publishes start in."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.support.workers import embargo_clock, wait_until
from wireroom.accounts.models import Membership
from wireroom.releases import services
from wireroom.releases.models import Release, WireEvent
from wireroom.releases.selectors import EventFilters, events_after, events_head

pytestmark = pytest.mark.django_db(transaction=True)


def _read_after(cursor: int) -> list[WireEvent]:
    return list(WireEvent.objects.filter(seq__gt=cursor).order_by("seq"))


def _second_append_waits_for_the_first() -> bool:
    """PostgreSQL: a backend waits on the event log's advisory lock. (SQLite has one write lock; see below.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        row = cursor.fetchone()
    return bool(row and row[0])


class HeldPublish(threading.Thread):
    """Publishes a release in a transaction of its own connection and keeps it open until told to commit."""

    def __init__(self, release: Release, by: Membership) -> None:
        super().__init__(daemon=True)
        self.release, self.by = release, by
        self.started, self.written, self.commit = threading.Event(), threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.started.set()
            with transaction.atomic():
                services.release_publish(release=self.release, by=self.by)
                self.written.set()
                self.commit.wait(60)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()


def test_a_reader_resuming_between_two_overlapping_publishes_misses_neither(
    actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    first_release, second_release = make_release("approved"), make_release("approved")
    first = HeldPublish(first_release, actors["issuer_admin"])
    second = HeldPublish(second_release, actors["issuer_admin"])
    first.start()
    wait_until(first.written.is_set, timeout=30, what="the first publish to write its event")
    second.start()
    second.started.wait(30)
    if connection.vendor == "postgresql":
        # Without the lock the second would take the next seq now and could commit before the first.
        wait_until(_second_append_waits_for_the_first, timeout=30,
                   what="the second publish to wait for the first one's event to commit")
    # On SQLite the first transaction holds the only write lock, so the second cannot have written.
    assert not second.written.is_set()
    assert _read_after(0) == []

    first.commit.set()
    wait_until(second.written.is_set, timeout=30, what="the second publish to write its event")
    seen = _read_after(0)  # the reader resumes here: the second is written but not committed
    assert [event.release_id for event in seen] == [first_release.pk]
    cursor = seen[-1].seq

    second.commit.set()
    first.join(30)
    second.join(30)
    assert first.error is None and second.error is None, (first.error, second.error)
    after = _read_after(cursor)
    assert [event.release_id for event in after] == [second_release.pk]
    assert [event.seq for event in WireEvent.objects.order_by("seq")] == [cursor, after[0].seq]


def _published(make_release: Callable[..., Release], **overrides: object) -> Release:
    return make_release("published", **overrides)


def test_events_after_gives_every_version_after_the_cursor_in_order(
    actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    first = _published(make_release)
    start = events_head()
    second = _published(make_release)
    services.release_correct(release=first, by=actors["wire_editor"], note="Fixed the plant's capacity.")
    page = events_after(cursor=start, filters=EventFilters(), limit=10)
    assert [(event.release_id, event.version, event.action) for event in page.events] == [
        (second.pk, 1, "publish"), (first.pk, 2, "correct")]
    assert not page.stale
    assert [event.action for event in events_after(cursor=start, limit=1).events] == ["publish"]
    assert events_after(cursor=events_head()).events == []


def test_events_after_keeps_only_what_matches_every_filter(make_release: Callable[..., Release]) -> None:
    gulf = _published(make_release)
    tech = _published(make_release, sectors=["technology"], countries=["JP"], kind="media_advisory")
    cases = {
        EventFilters(sector=frozenset({"technology"})): [tech],
        EventFilters(sector=frozenset({"technology", "top-story"})): [gulf, tech],
        EventFilters(country=frozenset({"SA"})): [gulf],
        EventFilters(kind=frozenset({"media_advisory"}), country=frozenset({"SA"})): [],
        EventFilters(language=frozenset({"en"})): [gulf, tech],
        EventFilters(language=frozenset({"fr"})): [],
        EventFilters(issuer=frozenset({"nahr-energy"})): [gulf, tech],
        EventFilters(issuer=frozenset({"lotus-fintech"})): [],
    }
    for filters, expected in cases.items():
        events = events_after(cursor=0, filters=filters).events
        assert [event.release_id for event in events] == [release.pk for release in expected], filters
        # The stream's live events are matched in Python by the same rule.
        everything = events_after(cursor=0).events
        assert [event.release_id for event in everything if filters.matches(event.release)] == [
            release.pk for release in expected], filters


def test_a_withdrawn_release_is_only_its_withdrawal_in_the_log(
    actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    release = _published(make_release)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    assert [(event.version, event.action) for event in events_after(cursor=0).events] == [(2, "withdraw")]


def test_pruning_drops_events_older_than_the_retention_and_an_older_cursor_is_stale(
    make_release: Callable[..., Release],
) -> None:
    old, recent = _published(make_release), _published(make_release)
    WireEvent.objects.filter(release=old).update(created_at=timezone.now() - dt.timedelta(days=31))
    old_seq = WireEvent.objects.get(release=old).seq
    assert services.events_prune(days=30) == 1
    assert not WireEvent.objects.filter(release=old).exists()
    stale = events_after(cursor=old_seq - 1)
    assert stale.stale and stale.oldest_retained == WireEvent.objects.get(release=recent).seq
    fresh = events_after(cursor=old_seq)
    assert not fresh.stale and [event.release_id for event in fresh.events] == [recent.pk]
    assert services.events_prune(days=30) == 0
    assert events_after(cursor=old_seq - 1).stale


def test_the_embargo_clock_prunes_the_event_log(make_release: Callable[..., Release]) -> None:
    old = _published(make_release)
    WireEvent.objects.filter(release=old).update(created_at=timezone.now() - dt.timedelta(days=400))
    with embargo_clock():
        wait_until(lambda: not WireEvent.objects.exists(), timeout=30, what="the clock to prune the old event")
    assert events_after(cursor=0).stale
