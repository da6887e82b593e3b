"""Reads of the ledger: the data behind the distribution report."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, Func, IntegerField, Max, OuterRef
from django.db.models.functions import Substr

from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Contact, ContactStatus
from wireroom.releases.models import Release, State


def delivery_counts(*, release_id: uuid.UUID) -> dict[tuple[int, str, str], int]:
    """Rows by (version, channel, state)."""
    rows = (Delivery.objects.filter(release_id=release_id).order_by().values_list("version", "channel", "state")
            .annotate(n=Count("id")))
    return {(version, channel, state): n for version, channel, state, n in rows}


def failed_deliveries(*, release_id: uuid.UUID, limit: int = 50) -> list[Delivery]:
    return list(Delivery.objects.filter(release_id=release_id, state="failed")
                .select_related("contact", "endpoint").order_by("id")[:limit])


def withdrawn_releases(*, release_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of these releases that have been withdrawn."""
    rows = Release.objects.filter(pk__in=list(release_ids), state=State.WITHDRAWN).values_list("pk", flat=True)
    return {uuid.UUID(str(pk)) for pk in rows}


def staged_deliveries(*, delivery_ids: Iterable[int]) -> set[int]:
    """Those of these ledger rows that are still there (unscheduling a release drops its rows)."""
    return set(Delivery.objects.filter(pk__in=list(delivery_ids)).values_list("pk", flat=True))


# A contact whose status changed to one of these after a copy reached them: what followed the release.
AFTERMATH_STATES = (ContactStatus.BOUNCED, ContactStatus.COMPLAINED, ContactStatus.UNSUBSCRIBED)


@dataclass(frozen=True)
class Tally:
    """Rows of one group (a channel, a country, a language) by state."""

    key: str
    delivered: int = 0
    failed: int = 0
    suppressed: int = 0
    waiting: int = 0

    @property
    def total(self) -> int:
        return self.delivered + self.failed + self.suppressed + self.waiting


@dataclass(frozen=True)
class Group:
    """Deliveries that share a version, action, channel, language, recipient country and state."""

    version: int
    action: str
    channel: str
    language: str
    country: str
    state: str
    count: int
    last_handoff: dt.datetime | None


def delivery_groups(*, release_id: uuid.UUID) -> list[Group]:
    """Every delivery of a release counted in one grouped query: the report folds these few hundred rows at most
    into its tables, rather than reading the ledger once per table."""
    # Read from the covering index alone (`delivery_report_covering`): the country was copied at staging.
    rows = (Delivery.objects.filter(release_id=release_id).order_by()
            .values_list("version", "action", "channel", "language", "country", "state")
            .annotate(n=Count("*"), last=Max("delivered_at")))
    return [Group(version, action, channel, language, country or "", state, n, last)
            for version, action, channel, language, country, state, n, last in rows]


def tallies(groups: Iterable[Group], by: str) -> list[Tally]:
    """Groups folded into one tally per `channel`, `language` or `country`, the largest first."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in groups:
        column = group.state if group.state in ("delivered", "failed", "suppressed") else "waiting"
        counts[getattr(group, by)][column] += group.count
    found = [Tally(key=key, **columns) for key, columns in counts.items()]
    return sorted(found, key=lambda tally: (-tally.total, tally.key))


class EpochSecond(Func):
    """A timestamp as whole seconds since 1970, computed by the database itself: Django's Trunc on SQLite calls
    back into Python for every row, which for a 92,500-row ledger costs more than the rest of the report."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)",
                           **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint",
                           **extra)


def delivered_over_time(*, release_id: uuid.UUID, since: dt.datetime,
                        last: dt.datetime | None) -> list[tuple[float, int]]:
    """(seconds after `since`, copies handed off by then), one point per step of a clock chosen so that a long
    tail of retries up to `last` (the last hand-off) makes a few hundred points at most; grouped in SQL."""
    if last is None:
        return []
    seconds = (last - since).total_seconds()
    unit = 1 if seconds <= 600 else 60 if seconds <= 36_000 else 3600 if seconds <= 864_000 else 86_400
    delivered = Delivery.objects.filter(release_id=release_id, state="delivered", delivered_at__isnull=False)
    if connection.vendor == "sqlite":
        # SQLite keeps a time as text, "YYYY-MM-DD HH:MM:SS.ffffff" in UTC: a step is a prefix of it, which costs
        # half of turning every row into a number; the few hundred steps are read as times here.
        width = {1: 19, 60: 16, 3600: 13, 86_400: 10}[unit]
        rows = (delivered.order_by().annotate(step=Substr("delivered_at", 1, width)).values_list("step")
                .annotate(n=Count("id")).order_by("step"))
        steps = [(_epoch(text) // unit, n) for text, n in rows]
    else:
        steps = list(delivered.order_by().annotate(step=EpochSecond("delivered_at") / unit).values_list("step")
                     .annotate(n=Count("id")).order_by("step"))
    start = since.timestamp()
    points, total = [], 0
    for step, n in steps:
        total += n
        points.append((max(step * unit - start, 0.0), total))
    return points


def _epoch(text: str) -> int:
    """Whole seconds since 1970 of a prefix of SQLite's UTC text ("2026-11-29 23:07" is that minute's start)."""
    whole = text + "1970-01-01 00:00:00"[len(text):]
    return int(dt.datetime.fromisoformat(whole).replace(tzinfo=dt.UTC).timestamp())


def failures(*, release_id: uuid.UUID, limit: int = 200) -> list[dict[str, Any]]:
    """The first `limit` failed deliveries with their reason."""
    rows = Delivery.objects.filter(release_id=release_id, state="failed")
    # Plain dicts: the report adds the channel's and the recipient kind's names to each.
    return [dict(row) for row in rows.order_by("version", "id").values(
        "version", "channel", "language", "country", "attempts", "last_error", "contact__email",
        "contact__role", "endpoint__url", "sftp_endpoint__host")[:limit]]


def aftermath(*, release_id: uuid.UUID) -> dict[str, int]:
    """Contacts who bounced, complained or unsubscribed after a copy of this release reached them, by status."""
    # From the few contacts whose status changed, each asked whether a copy reached them first: not from every
    # delivery of the release, each joined to its contact.
    reached = Delivery.objects.filter(release_id=release_id, contact_id=OuterRef("pk"), channel="email",
                                      state="delivered", delivered_at__lte=OuterRef("status_changed_at"))
    rows = (Contact.objects.filter(status__in=AFTERMATH_STATES, status_changed_at__isnull=False)
            .filter(Exists(reached)).order_by().values_list("status").annotate(n=Count("pk")))
    found = dict(rows)
    return {str(status): found.get(status, 0) for status in AFTERMATH_STATES}


# The columns of the CSV export, one row per delivery, in this order.
EXPORT_FIELDS = ("id", "version", "action", "channel", "contact__role", "endpoint_id", "sftp_endpoint_id",
                 "country", "language", "state", "created_at", "next_attempt_at", "delivered_at", "attempts",
                 "last_error")


def deliveries_after(*, release_id: uuid.UUID, after_id: int, limit: int) -> list[tuple[Any, ...]]:
    """The next `limit` deliveries of a release after the row `after_id`, as tuples of EXPORT_FIELDS: the export
    reads the ledger in these keyset pages, so it never holds more than one page."""
    return list(Delivery.objects.filter(release_id=release_id, id__gt=after_id).order_by("id")
                .values_list(*EXPORT_FIELDS)[:limit])
