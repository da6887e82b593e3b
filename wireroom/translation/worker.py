"""The translation jobs' queue, worked by `wireroom worker`: lease due jobs, draft them, record the outcome.

The same rules as the delivery ledger: a job is leased for a while and counted as an attempt; a worker that
dies leaves the lease to expire and another worker takes the job up; a failed attempt is retried later,
with a growing delay, up to `services.MAX_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from wireroom.lib.connections import refresh_connection
from wireroom.translation.models import DUE_STATES, JobState, TranslationJob
from wireroom.translation.services import translation_job_run

log = logging.getLogger(__name__)

LEASE_SECONDS = 600


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:translation"


@transaction.atomic
def lease(*, worker: str, limit: int = 1, lease_seconds: float = LEASE_SECONDS,
          now: dt.datetime | None = None) -> list[TranslationJob]:
    moment = now or timezone.now()
    due = TranslationJob.objects.filter(
        Q(state__in=DUE_STATES, next_attempt_at__lte=moment) | Q(state=JobState.LEASED, lease_expires_at__lte=moment)
    ).order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit]
    if connection.vendor == "postgresql":
        due = due.select_for_update(skip_locked=True)
    ids = list(due)
    if not ids:
        return []
    TranslationJob.objects.filter(pk__in=ids).update(
        state=JobState.LEASED, leased_by=worker, attempts=F("attempts") + 1,
        lease_expires_at=moment + dt.timedelta(seconds=lease_seconds),
    )
    return list(TranslationJob.objects.filter(pk__in=ids, leased_by=worker).select_related("release"))


def work_due(*, worker: str, limit: int = 10, now: dt.datetime | None = None) -> int:
    """Draft every job due now, one at a time; returns how many were leased."""
    count = 0
    while count < limit:
        jobs = lease(worker=worker, limit=1, now=now)
        if not jobs:
            break
        for job in jobs:
            count += 1
            try:
                translation_job_run(job=job, worker=worker, now=now)
            except Exception:
                # A bug or a database outage: the lease runs out and the job is tried again.
                log.exception("translation job %s failed unexpectedly", job.pk)
    return count


def run(stop: threading.Event, poll_seconds: float) -> None:
    """The worker's translation thread."""
    worker = worker_name()
    while not stop.is_set():
        refresh_connection()
        try:
            busy = work_due(worker=worker)
        except Exception:
            log.exception("translation worker: leasing failed; trying again")
            busy = 0
        if not busy:
            stop.wait(poll_seconds)
    connection.close()
