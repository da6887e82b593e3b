"""Reads of the ledger: the data behind the distribution report."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Max
from django.db.models.functions import Coalesce

from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import ContactStatus
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


# Where a recipient is: the country of the outlet behind it (a contact's employer, an endpoint's owner).
_RECIPIENT_COUNTRY = Coalesce("contact__outlet__country_id", "endpoint__outlet__country_id",
                              "sftp_endpoint__outlet__country_id")
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
    rows = (Delivery.objects.filter(release_id=release_id).order_by().annotate(country=_RECIPIENT_COUNTRY)
            .values_list("version", "action", "channel", "language", "country", "state")
            .annotate(n=Count("id"), last=Max("delivered_at")))
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
    steps = (Delivery.objects.filter(release_id=release_id, state="delivered", delivered_at__isnull=False)
             .order_by().annotate(step=EpochSecond("delivered_at") / unit).values_list("step")
             .annotate(n=Count("id")).order_by("step"))
    start = since.timestamp()
    points, total = [], 0
    for step, n in steps:
        total += n
        points.append((max(step * unit - start, 0.0), total))
    return points


def failures(*, release_id: uuid.UUID, limit: int = 200) -> list[dict[str, Any]]:
    """The first `limit` failed deliveries with their reason."""
    rows = Delivery.objects.filter(release_id=release_id, state="failed")
    return list(rows.order_by("version", "id").annotate(country=_RECIPIENT_COUNTRY).values(
        "version", "channel", "language", "country", "attempts", "last_error", "contact__email",
        "contact__role", "endpoint__url", "sftp_endpoint__host")[:limit])


def aftermath(*, release_id: uuid.UUID) -> dict[str, int]:
    """Contacts who bounced, complained or unsubscribed after a copy of this release reached them, by status."""
    rows = (Delivery.objects.filter(release_id=release_id, channel="email", state="delivered",
                                    contact__status__in=AFTERMATH_STATES,
                                    contact__status_changed_at__gte=F("delivered_at"))
            .order_by().values_list("contact__status").annotate(n=Count("contact_id", distinct=True)))
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
                .annotate(country=_RECIPIENT_COUNTRY).values_list(*EXPORT_FIELDS)[:limit])
