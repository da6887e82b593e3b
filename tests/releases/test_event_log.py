"""The event log can be resumed from: events become visible in `seq` order, whatever order publishes start in."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from tests.support.workers import wait_until
from wireroom.accounts.models import Membership
from wireroom.releases import services
from wireroom.releases.models import Release, WireEvent

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
