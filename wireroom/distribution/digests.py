"""Daily and weekly digests: when each contact's is due, their ledger rows, and what each lists.

A digest is due at the contact's local morning (`WIREROOM_DIGEST_HOUR`, every day or on Mondays) and lists the
releases distributed in the period that ends then. `digests_schedule` writes one `DigestDelivery` per contact and
period, and the unique period makes a second one impossible, whichever worker schedules; `digests_lease` hands each
row to one worker at a time, as the delivery ledger does. Rows whose worker died are leased again once their
lease expires. The message itself is composed and sent by the e-mail channel (`channels/email/digest.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from wireroom.distribution.models import DUE_STATES, DeliveryState, DigestDelivery
from wireroom.distribution.targeting import digest_recipients, target_of
from wireroom.mediadb.models import Contact, ContactStatus
from wireroom.releases.models import Action, Release, ReleaseVersion, State
from wireroom.subscriptions.models import Cadence, Channel, Subscription

DIGEST_CADENCES = (Cadence.DAILY, Cadence.WEEKLY)
MAX_ATTEMPTS = 5
_UTC = ZoneInfo("UTC")


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def digest_zone(*, time_zone: str, country: str | None) -> ZoneInfo:
    """The contact's own zone; else their country's when it has only one (CLDR); else UTC."""
    zone = _zone(time_zone)
    if zone is None and country:
        zones = get_global("territory_zones").get(country, [])
        zone = _zone(zones[0]) if len(zones) == 1 else None
    return zone or _UTC


def digest_period(*, cadence: str, zone: ZoneInfo, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, end] of the latest period that has ended by `now`: it ends at a local morning."""
    local = now.astimezone(zone)
    day = local.date()
    if weekly := cadence == Cadence.WEEKLY:
        day -= dt.timedelta(days=day.weekday())
    end = dt.datetime.combine(day, dt.time(settings.DIGEST_HOUR), tzinfo=zone)
    if end > local:
        day -= dt.timedelta(days=7 if weekly else 1)
        end = dt.datetime.combine(day, dt.time(settings.DIGEST_HOUR), tzinfo=zone)
    start = dt.datetime.combine(day - dt.timedelta(days=7 if weekly else 1), dt.time(settings.DIGEST_HOUR),
                                tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def digests_schedule(*, now: dt.datetime | None = None) -> int:
    """Adds the row of every digest whose period has ended and that has none yet; returns how many it added.

    A period that ended before the contact chose that cadence is not theirs: they get the next one."""
    moment = now or timezone.now()
    first_country = Contact.countries.through.objects.filter(contact=OuterRef("contact_id")).order_by("country_id")
    subscriptions = (Subscription.objects
                     .filter(channel=Channel.EMAIL, active=True, cadence__in=DIGEST_CADENCES,
                             contact__status=ContactStatus.ACTIVE, contact__consent=True)
                     .annotate(country=Subquery(first_country.values("country_id")[:1]))
                     .values_list("contact_id", "cadence", "contact__time_zone", "country", "created_at"))
    wanted: dict[tuple[int, str, dt.datetime], dt.datetime] = {}
    for contact_id, cadence, time_zone, country, since in subscriptions:
        start, end = digest_period(cadence=cadence, zone=digest_zone(time_zone=time_zone, country=country),
                                   now=moment)
        if end > since:
            wanted[(contact_id, cadence, end)] = start
    if not wanted:
        return 0
    ends = {end for _contact, _cadence, end in wanted}
    existing = set(DigestDelivery.objects.filter(period_end__in=ends).values_list("contact_id", "cadence",
                                                                                 "period_end"))
    rows = [DigestDelivery(contact_id=contact_id, cadence=cadence, period_start=start, period_end=end,
                           next_attempt_at=end, created_at=moment)
            for (contact_id, cadence, end), start in wanted.items() if (contact_id, cadence, end) not in existing]
    # Another worker may add the same rows meanwhile: the unique period keeps one of each.
    DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


@transaction.atomic
def digests_lease(*, worker: str, limit: int, lease_seconds: float,
                  now: dt.datetime | None = None) -> list[DigestDelivery]:
    """Due rows, each leased to this worker alone. The UPDATE re-checks that a row is still due, so two workers
    racing for one row cannot both get it, on SQLite as on PostgreSQL."""
    moment = now or timezone.now()
    due = (Q(state__in=DUE_STATES, next_attempt_at__lte=moment)
           | Q(state=DeliveryState.LEASED, lease_expires_at__lte=moment))
    candidates = DigestDelivery.objects.filter(due).order_by("next_attempt_at", "id").values_list("id", flat=True)
    if connection.vendor == "postgresql":
        candidates = candidates.select_for_update(skip_locked=True)
    ids = list(candidates[:limit])
    if not ids:
        return []
    expires = moment + dt.timedelta(seconds=lease_seconds)
    DigestDelivery.objects.filter(due, pk__in=ids).update(
        state=DeliveryState.LEASED, leased_by=worker, lease_expires_at=expires, attempts=F("attempts") + 1)
    return list(DigestDelivery.objects.filter(pk__in=ids, leased_by=worker, lease_expires_at=expires,
                                              state=DeliveryState.LEASED).select_related("contact"))


def digest_ack(*, worker: str, row: DigestDelivery, outcome: str, error: str = "", items: int = 0,
               language: str = "", now: dt.datetime | None = None) -> None:
    """`delivered`, `suppressed` (nothing to send, or nobody to send it to), or `error` (retried with a growing
    delay, failed after MAX_ATTEMPTS). A row whose lease this worker lost is left alone."""
    moment = now or timezone.now()
    fields: dict[str, object] = {"leased_by": "", "lease_expires_at": None, "last_error": error[:2000],
                                 "items": items, "language": language}
    if outcome == "delivered":
        fields.update(state=DeliveryState.DELIVERED, delivered_at=moment)
    elif outcome == "suppressed":
        fields.update(state=DeliveryState.SUPPRESSED)
    elif row.attempts >= MAX_ATTEMPTS:
        fields.update(state=DeliveryState.FAILED, last_error=f"gave up after {row.attempts} attempts: {error}"[:2000])
    else:
        fields.update(state=DeliveryState.RETRYING,
                      next_attempt_at=moment + dt.timedelta(seconds=60 * 2 ** (row.attempts - 1)))
    DigestDelivery.objects.filter(pk=row.pk, leased_by=worker, state=DeliveryState.LEASED).update(**fields)


@dataclass(frozen=True)
class DigestItem:
    release: Release
    language: str  # the localization this contact reads
    kind: str  # "new", "corrected" (new in an earlier digest, corrected in this period) or "withdrawn"
    corrected: bool  # corrected within the period
    note: str  # the correction note or the withdrawal reason
    at: dt.datetime  # the last change within the period


def digest_items(*, cadence: str, start: dt.datetime, end: dt.datetime,
                 contact_ids: list[int]) -> dict[int, list[DigestItem]]:
    """What each contact's digest of the period lists, newest first.

    A release withdrawn by now is never shown again: it is listed as withdrawn only to those whose earlier digest
    carried it (it was first published before the period), and left out entirely when it came and went within it.
    """
    versions: dict[object, list[ReleaseVersion]] = defaultdict(list)
    for version in (ReleaseVersion.objects.filter(created_at__gt=start, created_at__lte=end)
                    .select_related("release").order_by("created_at", "number")):
        versions[version.release_id].append(version)
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for in_period in versions.values():
        release = in_period[-1].release
        first_here = any(version.number == 1 for version in in_period)
        withdrawn = release.state == State.WITHDRAWN
        if withdrawn and first_here:
            continue
        corrections = [version for version in in_period if version.action == Action.CORRECT]
        if withdrawn:
            kind, note = "withdrawn", next((v.note for v in reversed(in_period) if v.action == Action.WITHDRAW), "")
        else:
            kind = "new" if first_here else "corrected"
            note = corrections[-1].note if corrections else ""
        recipients = digest_recipients(target_of(release), cadence=cadence).filter(pk__in=contact_ids)
        for contact_id, language in recipients.values_list("pk", "best_language"):
            found[contact_id].append(DigestItem(release=release, language=language, kind=kind,
                                                corrected=bool(corrections), note=note,
                                                at=in_period[-1].created_at))
    for items in found.values():
        items.sort(key=lambda item: item.at, reverse=True)
    return found
