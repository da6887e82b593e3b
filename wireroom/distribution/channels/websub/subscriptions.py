"""The hub's writes and reads of its subscriptions: requests, the verification of intent, the lease.

A request only records an intent (`pending_*`); the worker verifies it with the subscriber (`verify.py`) and only
then does the subscription change, so a forged request can neither subscribe nor unsubscribe someone else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from wireroom.distribution.models import HubMode, HubSubscription
from wireroom.lib.errors import NotFound

DEFAULT_LEASE_SECONDS = 10 * 24 * 3600
MIN_LEASE_SECONDS = 60
MAX_LEASE_SECONDS = 30 * 24 * 3600
MAX_SECRET_BYTES = 199  # WebSub: "less than 200 bytes"
# A failed verification (the subscriber unreachable or answering 5xx) is tried again after these delays.
VERIFY_DELAYS = (5.0, 60.0)
# How long a worker holds a claimed verification before another may take it.
CLAIM_SECONDS = 30.0


def subscription_key(*, topic: str, callback: str) -> str:
    return hashlib.sha256(f"{topic}\n{callback}".encode()).hexdigest()


@dataclass(frozen=True)
class Facets:
    """The feed a topic names, axis by axis; empty means any."""

    language: str = ""
    sector: str = ""
    issuer: str = ""
    country: str = ""
    region: str = ""


def hub_subscribe(*, topic: str, facets: Facets, callback: str, lease_seconds: int, secret: str,
                  now: dt.datetime | None = None) -> HubSubscription:
    """Record a request to subscribe (or to renew a subscription, with a new lease and secret). Checked by the
    caller; the subscription changes once the worker has verified the intent."""
    moment = now or timezone.now()
    with transaction.atomic():
        found, _created = HubSubscription.objects.select_for_update().get_or_create(
            key=subscription_key(topic=topic, callback=callback),
            defaults={"topic": topic, "callback": callback, "created_at": moment, "language": facets.language,
                      "sector": facets.sector, "issuer": facets.issuer, "country": facets.country,
                      "region": facets.region})
        found.pending_mode = HubMode.SUBSCRIBE
        found.pending_secret = secret
        found.pending_lease_seconds = lease_seconds
        found.verify_after = moment
        found.verify_attempts = 0
        found.save()
    return found


def hub_unsubscribe(*, topic: str, callback: str, now: dt.datetime | None = None) -> HubSubscription:
    """Record a request to unsubscribe; NotFound if there is no such subscription."""
    with transaction.atomic():
        found = HubSubscription.objects.select_for_update().filter(
            key=subscription_key(topic=topic, callback=callback)).first()
        if found is None:
            raise NotFound("No subscription of this callback to this topic.")
        found.pending_mode = HubMode.UNSUBSCRIBE
        found.pending_secret = ""
        found.pending_lease_seconds = 0
        found.verify_after = now or timezone.now()
        found.verify_attempts = 0
        found.save()
    return found


@dataclass(frozen=True)
class Intent:
    """A request claimed for verification, with what identifies it: a newer request changes one of these."""

    subscription_id: int
    mode: str
    topic: str
    callback: str
    lease_seconds: int
    secret: str
    attempts: int


def intents_claim(*, limit: int, now: dt.datetime | None = None) -> list[Intent]:
    """Take up to `limit` requests due for verification, holding them for CLAIM_SECONDS."""
    moment = now or timezone.now()
    with transaction.atomic():
        due = HubSubscription.objects.filter(verify_after__lte=moment).exclude(pending_mode="").order_by(
            "verify_after")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:limit])
        claimed = []
        for row in rows:
            row.verify_after = moment + dt.timedelta(seconds=CLAIM_SECONDS)
            row.verify_attempts += 1
            row.save(update_fields=["verify_after", "verify_attempts"])
            claimed.append(Intent(subscription_id=row.pk, mode=row.pending_mode, topic=row.topic,
                                  callback=row.callback, lease_seconds=row.pending_lease_seconds,
                                  secret=row.pending_secret, attempts=row.verify_attempts))
    return claimed


def intent_settle(*, intent: Intent, confirmed: bool, final: bool, error: str = "",
                  now: dt.datetime | None = None) -> None:
    """Record a verification's outcome. `confirmed`: the subscriber echoed the challenge; `final`: it refused,
    or it could not be reached often enough. A request that a newer one replaced meanwhile is left alone."""
    moment = now or timezone.now()
    with transaction.atomic():
        row = HubSubscription.objects.select_for_update().filter(
            pk=intent.subscription_id, pending_mode=intent.mode, pending_secret=intent.secret,
            pending_lease_seconds=intent.lease_seconds, verify_attempts=intent.attempts).first()
        if row is None:
            return
        if not confirmed and not final and intent.attempts <= len(VERIFY_DELAYS):
            row.verify_after = moment + dt.timedelta(seconds=VERIFY_DELAYS[intent.attempts - 1])
            row.last_error = error[:2000]
            row.save(update_fields=["verify_after", "last_error"])
            return
        if not confirmed and row.expires_at is None:
            # Never verified: nothing to keep.
            row.delete()
            return
        if confirmed and intent.mode == HubMode.SUBSCRIBE:
            row.secret = intent.secret
            row.lease_seconds = intent.lease_seconds
            row.expires_at = moment + dt.timedelta(seconds=intent.lease_seconds)
        elif confirmed:
            row.expires_at = moment
        row.pending_mode, row.pending_secret, row.pending_lease_seconds = "", "", 0
        row.verify_after, row.verify_attempts = None, 0
        row.last_error = "" if confirmed else error[:2000]
        row.save()


@dataclass(frozen=True)
class Subscriber:
    """What the channel needs of a subscription to deliver to it."""

    id: int
    topic: str
    callback: str
    secret: str
    expires_at: dt.datetime | None


def subscribers(*, ids: set[int]) -> dict[int, Subscriber]:
    rows = HubSubscription.objects.filter(pk__in=ids).values_list("pk", "topic", "callback", "secret", "expires_at")
    return {pk: Subscriber(id=pk, topic=topic, callback=callback, secret=secret, expires_at=expires)
            for pk, topic, callback, secret, expires in rows}


def subscription_end(*, subscription_id: int, reason: str, now: dt.datetime | None = None) -> None:
    """End a subscription the subscriber said is gone (410)."""
    HubSubscription.objects.filter(pk=subscription_id).update(expires_at=now or timezone.now(),
                                                             last_error=reason[:2000])
