"""Turns a release version into ledger rows, in bulk, in the transaction that creates the version.

Rows are written with one INSERT … SELECT per channel straight from the targeting queries, so no
recipient passes through Python. A scheduled release is staged when it is scheduled: its rows wait
with `next_attempt_at` at the embargo second, and its renderings are ready before then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField, F, IntegerField, QuerySet, UUIDField, Value
from django.db.models.functions import Cast, Concat

from wireroom.distribution.channels import registry
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.distribution.targeting import Target, email_recipients, target_of, webhook_recipients
from wireroom.releases.models import Action, Release

COLUMNS = ("release_id", "version", "action", "channel", "recipient_key", "contact_id", "endpoint_id", "language",
           "state", "attempts", "next_attempt_at", "lease_expires_at", "leased_by", "last_error", "receiver_ref",
           "created_at", "delivered_at")
# Rows that reached, or may be reaching, their recipient: they get corrections and kill notices.
REACHED = (DeliveryState.DELIVERED, DeliveryState.LEASED)
UNSENT = (DeliveryState.PENDING, DeliveryState.RETRYING)


def _row_values(queryset: QuerySet[Any], *, release: Release, version: int, action: str, channel: str | F,
                key: F | Concat, contact: F | Cast, endpoint: F | Cast, language: F | Value,
                not_before: dt.datetime, now: dt.datetime) -> QuerySet[Any, tuple[Any, ...]]:
    # NULLs are cast so PostgreSQL knows their type inside INSERT … SELECT.
    null_time = Cast(Value(None), DateTimeField())
    # No ORDER BY: the rows' order means nothing to an INSERT, and sorting 90,000 contacts by name is not free.
    rows: QuerySet[Any, tuple[Any, ...]] = queryset.order_by().annotate(
        _release=Value(release.pk, output_field=UUIDField()),
        _version=Value(version, output_field=IntegerField()),
        _action=Value(action), _channel=channel if isinstance(channel, F) else Value(channel), _key=key,
        _contact=contact, _endpoint=endpoint,
        _language=language, _state=Value(DeliveryState.PENDING.value), _attempts=Value(0, output_field=IntegerField()),
        _next=Value(not_before, output_field=DateTimeField()), _lease=null_time, _leased_by=Value(""),
        _error=Value(""), _ref=Value(""), _created=Value(now, output_field=DateTimeField()), _delivered=null_time,
    ).values_list("_release", "_version", "_action", "_channel", "_key", "_contact", "_endpoint", "_language",
                  "_state", "_attempts", "_next", "_lease", "_leased_by", "_error", "_ref", "_created", "_delivered")
    return rows


def _insert(values: QuerySet[Any, tuple[Any, ...]]) -> None:
    sql, params = values.query.get_compiler(connection=connection).as_sql()
    table = Delivery._meta.db_table
    # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as part of the SELECT.
    statement = (f"INSERT INTO {table} ({', '.join(COLUMNS)}) SELECT * FROM ({sql}) AS staged WHERE 1 = 1 "
                 f"ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _contact_key() -> Concat:
    return Concat(Value("c:"), Cast("pk", CharField()), output_field=CharField())


def _endpoint_key() -> Concat:
    return Concat(Value("e:"), Cast("pk", CharField()), output_field=CharField())


def _stage_matches(release: Release, target: Target, version: int, action: str, not_before: dt.datetime,
                   now: dt.datetime) -> None:
    nothing = Cast(Value(None), BigIntegerField())
    emails = _row_values(email_recipients(target), release=release, version=version, action=action,
                         channel="email", key=_contact_key(), contact=F("pk"), endpoint=nothing,
                         language=F("best_language"), not_before=not_before, now=now)
    hooks = _row_values(webhook_recipients(target), release=release, version=version, action=action,
                        channel="webhook", key=_endpoint_key(), contact=nothing, endpoint=F("pk"),
                        language=Value("*"), not_before=not_before, now=now)
    _insert(emails)
    _insert(hooks)


def _stage_earlier_recipients(release: Release, version: int, action: str, not_before: dt.datetime,
                              now: dt.datetime) -> None:
    # A recipient reached by several versions is staged once, as the latest version that reached them had it:
    # one INSERT per earlier version, latest first, so ON CONFLICT keeps that one. (A single INSERT … SELECT
    # ordered by version would rely on the order a subquery's rows arrive in, which SQL does not promise.)
    reached = Delivery.objects.filter(release=release, version__lt=version, state__in=REACHED)
    for earlier in sorted(set(reached.order_by().values_list("version", flat=True).distinct()), reverse=True):
        _insert(_row_values(reached.filter(version=earlier), release=release, version=version, action=action,
                            channel=F("channel"), key=F("recipient_key"), contact=F("contact_id"),
                            endpoint=F("endpoint_id"), language=F("language"), not_before=not_before, now=now))


def stage(release: Release, *, version: int, action: str, not_before: dt.datetime, now: dt.datetime) -> None:
    """Create the ledger rows and renderings of one version. Idempotent: existing rows are kept."""
    if action == Action.PUBLISH:
        _stage_matches(release, target_of(release), version, action, not_before, now)
    elif action == Action.CORRECT:
        # The corrected version replaces what has not gone out yet; everyone who got an earlier version,
        # plus whoever matches now, gets it.
        Delivery.objects.filter(release=release, version__lt=version, state__in=UNSENT).update(
            state=DeliveryState.SUPPRESSED, last_error=f"superseded by version {version}")
        _stage_earlier_recipients(release, version, action, not_before, now)
        _stage_matches(release, target_of(release), version, action, not_before, now)
    else:
        # Nothing of the withdrawn release may still go out; a kill notice goes to whoever got it.
        Delivery.objects.filter(release=release, version__lt=version, state__in=UNSENT).update(
            state=DeliveryState.SUPPRESSED, last_error="withdrawn before delivery")
        _stage_earlier_recipients(release, version, action, not_before, now)
    staged = Delivery.objects.filter(release=release, version=version)
    languages = sorted(set(staged.values_list("language", flat=True).distinct()) - {"*"})
    for channel in sorted(set(staged.values_list("channel", flat=True).distinct())):
        registry.get(channel).prepare(release, version, action, languages or [release.original_language_id])


def unstage(release: Release, *, version: int) -> None:
    """Drop what was staged for a version that will not go out (an unscheduled or cancelled release)."""
    RenderedItem.objects.filter(release=release, version=version).delete()
    # Rows leased ahead of the embargo go too: without their rendering a channel fails them, never sends them.
    Delivery.objects.filter(release=release, version=version, state__in=(*UNSENT, DeliveryState.LEASED)).delete()


def is_staged(release: Release, version: int) -> bool:
    return Delivery.objects.filter(release=release, version=version).exists()
