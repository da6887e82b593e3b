"""Worker heartbeats: each worker writes one row every few seconds; `/readyz` reads the newest.

A worker that stops cleanly removes its row; one that dies leaves a row that ages out, and rows older than a day
are removed by the next beat of any worker, so the table holds about one row per running worker.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wireroom.distribution.models import WorkerHeartbeat

FORGET_AFTER = dt.timedelta(days=1)


def heartbeat_record(*, worker: str, clock: bool, now: dt.datetime | None = None) -> None:
    moment = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": moment, "clock": clock})
    WorkerHeartbeat.objects.filter(beat_at__lt=moment - FORGET_AFTER).delete()


def heartbeat_forget(*, worker: str) -> None:
    WorkerHeartbeat.objects.filter(worker=worker).delete()


def latest_heartbeat(*, clock: bool | None = None) -> dt.datetime | None:
    """When the most recent beat of any worker (or of one running the clock, with clock=True) was written."""
    beats = WorkerHeartbeat.objects.all()
    if clock is not None:
        beats = beats.filter(clock=clock)
    return beats.order_by("-beat_at").values_list("beat_at", flat=True).first()
