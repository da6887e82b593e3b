"""The embargo clock: publishes scheduled releases at their embargo second.

It runs in a thread of `wireroom worker`; several workers may run it against one database, because
`release_publish_due` re-reads each release under a lock and publishes it once. The clock also prunes, once an
hour, the event log of events older than the retention and what other apps registered with it (`retention.py`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.utils import timezone

from wireroom.lib import metrics
from wireroom.lib.connections import refresh_connection
from wireroom.releases.models import Release, State
from wireroom.releases.retention import prune_all
from wireroom.releases.services import release_publish_due

log = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600


def publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled release whose embargo has come; returns how many were published."""
    moment = now or timezone.now()
    due = Release.objects.filter(state=State.SCHEDULED, embargo_at__lte=moment).order_by("embargo_at")
    published = 0
    for release in due:
        if release_publish_due(release=release, now=moment):
            published += 1
            if release.embargo_at is not None:
                metrics.EMBARGO_LATENESS.observe(max(0.0, (timezone.now() - release.embargo_at).total_seconds()))
            release.refresh_from_db(fields=["version"])
            log.info("published %s at its embargo %s", release.urn, release.embargo_at,
                     extra={"release": release.pk, "version": release.version})
    return published


def seconds_until_next_embargo(*, now: dt.datetime, ceiling: float) -> float:
    upcoming = (
        Release.objects.filter(state=State.SCHEDULED, embargo_at__gt=now)
        .order_by("embargo_at").values_list("embargo_at", flat=True).first()
    )
    if upcoming is None:
        return ceiling
    return max(0.0, min(ceiling, (upcoming - now).total_seconds()))


def run(stop: threading.Event, poll_seconds: float) -> None:
    """Loop until `stop` is set, waking at the next embargo second or every `poll_seconds`."""
    next_prune = time.monotonic()
    while not stop.is_set():
        refresh_connection()
        try:
            publish_due()
            if time.monotonic() >= next_prune:
                next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
                for what, count in prune_all().items():
                    if count:
                        log.info("pruned %d %s past their time", count, what)
            wait = seconds_until_next_embargo(now=timezone.now(), ceiling=poll_seconds)
        except Exception:
            # A database hiccup must not kill the clock; it retries on the next tick.
            log.exception("embargo clock tick failed")
            wait = poll_seconds
        stop.wait(wait)
