"""Health endpoints for load balancers and orchestrators.

`/healthz` says the web server process answers; it touches nothing else, so a database outage does not get
healthy web servers restarted. `/readyz` says the wire as a whole works: the database answers, every migration is
applied, a worker wrote a heartbeat recently, and no scheduled release is waiting past its embargo. Both answer
JSON naming each check; neither needs a session, and neither reveals anything about a release but a count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wireroom.distribution.heartbeat import latest_heartbeat
from wireroom.releases.models import Release, State

# Once every migration is applied it stays so for this process's life: reading the migration files again on
# every probe would cost more than all the other checks together.
_migrations_applied = False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _check_migrations() -> dict[str, Any]:
    global _migrations_applied  # a per-process memo of a fact that only turns true
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if missing:
            return {"ok": False, "missing": len(missing)}
        _migrations_applied = True
    return {"ok": True}


def _check_worker(now: dt.datetime) -> dict[str, Any]:
    beat = latest_heartbeat()
    if beat is None:
        return {"ok": False, "detail": "no worker has written a heartbeat"}
    age = (now - beat).total_seconds()
    return {"ok": age <= settings.READY_WORKER_SECONDS, "last_heartbeat_seconds_ago": round(age, 1),
            "limit_seconds": settings.READY_WORKER_SECONDS}


def _check_embargo_clock(now: dt.datetime) -> dict[str, Any]:
    limit = settings.READY_EMBARGO_LATE_SECONDS
    oldest = (Release.objects.filter(state=State.SCHEDULED, embargo_at__lte=now)
              .order_by("embargo_at").values_list("embargo_at", flat=True).first())
    late = 0.0 if oldest is None else (now - oldest).total_seconds()
    return {"ok": late <= limit, "late_seconds": round(late, 1), "limit_seconds": limit}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, Any]] = {}
    try:
        checks["database"] = _check_database()
        now = timezone.now()
        checks["migrations"] = _check_migrations()
        checks["worker"] = _check_worker(now)
        checks["embargo_clock"] = _check_embargo_clock(now)
    except DatabaseError as exc:
        # The checks after a failed one cannot run; the first failure is what the operator needs to see.
        failed = next(name for name in ("database", "migrations", "worker", "embargo_clock") if name not in checks)
        checks[failed] = {"ok": False, "detail": type(exc).__name__}
    ready = len(checks) == 4 and all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "unready", "checks": checks}, status=200 if ready else 503)
