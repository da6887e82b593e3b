"""Leasing and acknowledging deliveries in batches. The database is the queue.

On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets many workers lease from one ledger without ever taking the
same row; on SQLite every lease is an IMMEDIATE transaction, so workers take turns and never share a row.
A live worker renews the leases of the batches it is still sending; a lease that expires (its worker died)
makes the row due again, so nothing is lost; at most the batches in flight are sent twice, and they carry the
same Message-ID or webhook-id both times.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import F, Min, Q
from django.utils import timezone

from wireroom.distribution import receipts
from wireroom.distribution.channels import registry
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.models import DUE_STATES, Delivery, DeliveryState
from wireroom.distribution.prepositioning import KEY
from wireroom.lib import metrics
from wireroom.releases.models import Action, State

log = logging.getLogger(__name__)
# How loud each recorded outcome is: a failure is the operator's concern, a retry worth a line, a copy that
# went out only when asked for (at a million recipients it would drown the rest).
_OUTCOME_LEVEL = {DeliveryState.FAILED: logging.WARNING, DeliveryState.RETRYING: logging.INFO,
                  DeliveryState.DELIVERED: logging.DEBUG, DeliveryState.SUPPRESSED: logging.DEBUG}

JITTER = 0.2


def _walk(*, channel: str | None, where: str, order: str) -> str:
    """One ordered walk of due rows, for `_due_ids`: the first ids, locked against other workers on PostgreSQL."""
    table = Delivery._meta.db_table
    sql = f"SELECT id FROM {table} WHERE {'channel = %s AND ' if channel is not None else ''}{where} " \
          f"ORDER BY {order} LIMIT %s"
    return sql + (" FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else "")


def _due_ids(cursor: CursorWrapper, *, channel: str | None, limit: int,
             moment: str | dt.datetime | None) -> tuple[list[int], int]:
    """The ids of up to `limit` rows due at `moment` (as the database adapts it), and how many of them were expired
    leases.

    One query per state, each an ordered walk of the (channel, state, next_attempt_at) index: an OR across states
    would make the database sort every due row to return the first few. Pre-positioned keys come first: at the
    embargo second only the key is news, and every recipient should read the release at once, not after the plain
    copies due at the same second (a walk of the small key-row index, whose condition the literal matches)."""
    head = [channel] if channel is not None else []
    ids: list[int] = []
    for where in (f"action = '{KEY}' AND state = %s AND next_attempt_at <= %s", "state = %s AND next_attempt_at <= %s"):
        for state in DUE_STATES:
            if len(ids) < limit:
                cursor.execute(_walk(channel=channel, where=where, order="next_attempt_at"),
                               [*head, state.value, moment, limit - len(ids)])
                ids += [row[0] for row in cursor.fetchall()]
    # The plain walk may meet the key rows again (SKIP LOCKED skips only other transactions' locks).
    ids = list(dict.fromkeys(ids))
    expired = 0
    if len(ids) < limit:
        # Rows whose worker died holding them.
        cursor.execute(_walk(channel=channel, where="state = %s AND lease_expires_at <= %s", order="id"),
                       [*head, DeliveryState.LEASED.value, moment, limit - len(ids)])
        more = [row[0] for row in cursor.fetchall()]
        expired = len(more)
        ids += more
    return ids, expired


def _returned(columns: list[str]) -> str:
    """One value out of the recipient columns the registered channels declare (each row fills at most one)."""
    if not columns:
        return "NULL"
    return f"COALESCE({', '.join(columns)})" if len(columns) > 1 else columns[0]


def _timestamp(value: dt.datetime | str) -> float:
    """A returned `next_attempt_at` as a POSIX time: SQLite hands back its stored text, in UTC."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


@transaction.atomic
def lease(*, worker: str, limit: int, lease_seconds: float, now: dt.datetime | None = None,
          channel: str | None = None) -> list[Job]:
    """Marks up to `limit` due rows leased by `worker` and returns them as jobs.

    Plain statements rather than the ORM: at 500 ids a batch, the ORM's lease was 18 % of a webhook worker's GIL
    time, 6 % in building its `pk IN` lookups for the update and for reading the rows back (docs/benchmarks.md).
    One `UPDATE … RETURNING` marks the rows and reads them at once; SQLite has it from 3.35 on."""
    moment = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        ids, expired = _due_ids(cursor, channel=channel, limit=limit, moment=adapt(moment))
        if expired:
            metrics.LEASE_EXPIRED.labels(channel or "any").inc(expired)
        if not ids:
            return []
        params: list[Any]
        if connection.vendor == "postgresql":
            chosen, params = "id = ANY(%s)", [ids]
        else:
            chosen, params = f"id IN ({', '.join(['%s'] * len(ids))})", list(ids)
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET state = %s, leased_by = %s, attempts = attempts + 1, "
            f"lease_expires_at = %s WHERE {chosen} RETURNING id, release_id, version, action, channel, language, "
            f"{_returned(registry.person_columns())}, {_returned(registry.endpoint_columns())}, attempts, "
            "next_attempt_at, recipient_key",
            [DeliveryState.LEASED.value, worker, adapt(moment + dt.timedelta(seconds=lease_seconds)), *params])
        leased = cursor.fetchall()
    # In the order walked, keys first: RETURNING gives no order.
    walked = {pk: n for n, pk in enumerate(ids)}
    # A batch shares a few releases and due times among hundreds of rows: each is parsed once.
    releases = {release: uuid.UUID(str(release)) for release in {row[1] for row in leased}}
    dues = {due: _timestamp(due) for due in {row[9] for row in leased}}
    return [
        Job(delivery_id=pk, release_id=releases[release], version=version, action=action, channel=channel,
            language=language, contact_id=contact, endpoint_id=endpoint, attempts=attempts,
            due_at=dues[due], recipient_key=recipient_key)
        for pk, release, version, action, channel, language, contact, endpoint, attempts, due, recipient_key
        in sorted(leased, key=lambda row: walked[row[0]])
    ]


def _backoff(delay: float, rng: random.Random) -> dt.timedelta:
    return dt.timedelta(seconds=delay * (1 + rng.uniform(-JITTER, JITTER)))


_ACK = (
    "UPDATE {table} SET state = %s, delivered_at = %s, next_attempt_at = %s, receiver_ref = %s, "
    "last_error = COALESCE(%s, last_error), attempts = attempts + %s, lease_expires_at = NULL, leased_by = '' "
    "WHERE id = %s AND leased_by = %s AND state = 'leased'"
)


def ack(*, worker: str, jobs: Iterable[Job], results: Iterable[Result], max_attempts: int,
        retry_delay: Callable[[int], float], now: dt.datetime | None = None,
        rng: random.Random | None = None) -> None:
    """Record a batch's results in one round of statements. Rows whose lease this worker lost are left alone."""
    moment = now or timezone.now()
    rng = rng or random.Random()
    leased = {job.delivery_id: job for job in jobs}
    adapt = connection.ops.adapt_datetimefield_value
    at = adapt(moment)
    rows: list[tuple[Any, ...]] = []
    for result in results:
        tries = leased[result.delivery_id].attempts if result.delivery_id in leased else max_attempts
        error: str | None = result.error[:2000]
        delivered_at, given_back = None, 0
        if not result.attempted:
            # Held back by the channel without a try: due again later, the attempt given back, the last
            # real error kept.
            wait = result.retry_after if result.retry_after is not None else retry_delay(tries)
            state, next_at, error, given_back = DeliveryState.RETRYING, adapt(moment + _backoff(wait, rng)), None, -1
        elif result.outcome == "delivered":
            state, next_at, delivered_at = DeliveryState.DELIVERED, at, at
        elif result.outcome == "suppressed":
            state, next_at = DeliveryState.SUPPRESSED, at
        elif result.outcome == "failed" or tries >= max_attempts:
            state, next_at = DeliveryState.FAILED, at
            if result.outcome != "failed":
                error = f"gave up after {tries} attempts: {result.error}"[:2000]
        else:
            wait = result.retry_after if result.retry_after is not None else retry_delay(tries)
            state, next_at = DeliveryState.RETRYING, adapt(moment + _backoff(wait, rng))
        rows.append((state.value, delivered_at, next_at, result.receiver_ref[:200], error, given_back,
                     result.delivery_id, worker))
    # Plain parameterized statements: building ORM CASE expressions cost more than sending the mail.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_ACK.format(table=Delivery._meta.db_table), rows)
        receipts.log_outcomes(cursor=cursor, jobs=leased, acked=[(row[6], row[0], row[3]) for row in rows], at=moment)
    _log_outcomes(worker=worker, leased=leased, rows=rows)


def _log_outcomes(*, worker: str, leased: dict[int, Job], rows: list[tuple[Any, ...]]) -> None:
    """One line per recorded outcome, at its level; nothing is built for the levels that are off."""
    for state, _delivered, _next, _ref, error, given_back, delivery_id, _worker in rows:
        level = _OUTCOME_LEVEL[state]
        if given_back or not log.isEnabledFor(level):
            continue
        job = leased.get(delivery_id)
        log.log(level, "delivery %s %s%s", delivery_id, state, f": {error}" if error else "", extra={
            "release": job.release_id if job else None, "version": job.version if job else None,
            "channel": job.channel if job else None, "delivery": delivery_id, "state": state, "worker": worker})


def renew_leases(*, worker: str, ids: Iterable[int], lease_seconds: float, now: dt.datetime | None = None) -> int:
    """Extend the leases `worker` still holds on `ids` by `lease_seconds` from now; returns how many it held.

    A batch that takes longer than its lease (a slow relay, a machine under load) would otherwise fall due while
    it is still being sent, and a live worker, this one or another, would send it a second time."""
    moment = now or timezone.now()
    return Delivery.objects.filter(pk__in=list(ids), leased_by=worker, state=DeliveryState.LEASED).update(
        lease_expires_at=moment + dt.timedelta(seconds=lease_seconds))


def release_leases(*, worker: str, now: dt.datetime | None = None) -> int:
    """Give back what a stopping worker holds but did not send: due again at once, the attempt not counted."""
    return Delivery.objects.filter(leased_by=worker, state=DeliveryState.LEASED).update(
        state=DeliveryState.RETRYING, leased_by="", lease_expires_at=None, next_attempt_at=now or timezone.now(),
        attempts=F("attempts") - 1,
    )


def seconds_until_due(*, now: dt.datetime, ceiling: float, channel: str | None = None) -> float:
    rows = Delivery.objects.filter(channel=channel) if channel is not None else Delivery.objects.all()
    # MIN per state, each answered from the index's first entry.
    moments: list[dt.datetime | None] = [rows.filter(state=state).aggregate(at=Min("next_attempt_at"))["at"]
                                         for state in DUE_STATES]
    moments.append(rows.filter(state=DeliveryState.LEASED).aggregate(at=Min("lease_expires_at"))["at"])
    found = [moment for moment in moments if moment is not None]
    if not found:
        return ceiling
    return max(0.0, min(ceiling, (min(found) - now).total_seconds()))


@dataclass(frozen=True)
class Replay:
    queued: int  # failed rows made pending again
    withdrawn: int  # refused: copies of a release that was withdrawn since
    superseded: int  # refused: a later version replaced theirs (its own rows reach the recipients)

    def summary(self) -> str:
        """What the replay did, in one sentence for the operator who asked for it."""
        parts = [f"{self.queued} failed deliveries queued again"]
        if self.withdrawn:
            parts.append(f"{self.withdrawn} not replayed because the release was withdrawn")
        if self.superseded:
            parts.append(f"{self.superseded} not replayed because a later version replaced theirs")
        return "; ".join(parts) + "."


def replay(*, release_id: uuid.UUID | None = None, delivery_ids: Iterable[int] | None = None,
           channel: str | None = None, now: dt.datetime | None = None) -> Replay:
    """Send failed deliveries again, from scratch: a release's (`release_id`) or chosen rows (`delivery_ids`).

    The one replay path, for the admin, `wireroom deliveries --replay` and any console. Only rows of a release's
    latest version go again; a withdrawn release's latest version is its kill notice, so of a withdrawn release
    only kill notices are replayed.
    """
    if release_id is None and delivery_ids is None:
        raise ValueError("replay needs a release or a choice of deliveries")
    failed = Delivery.objects.filter(state=DeliveryState.FAILED)
    if release_id is not None:
        failed = failed.filter(release_id=release_id)
    if delivery_ids is not None:
        failed = failed.filter(pk__in=list(delivery_ids))
    if channel:
        failed = failed.filter(channel=channel)
    withdrawn = Q(release__state=State.WITHDRAWN) & ~Q(action=Action.WITHDRAW)
    superseded = Q(version__lt=F("release__version"))
    with transaction.atomic():
        refused_withdrawn = failed.filter(withdrawn).count()
        refused_superseded = failed.filter(superseded).exclude(withdrawn).count()
        # Filtered by id: an UPDATE cannot follow the join to the release on every database.
        ids = list(failed.exclude(withdrawn).exclude(superseded).values_list("pk", flat=True))
        queued = Delivery.objects.filter(pk__in=ids, state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=now or timezone.now(), last_error="")
    return Replay(queued=queued, withdrawn=refused_withdrawn, superseded=refused_superseded)
