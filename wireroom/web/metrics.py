"""`/metrics`: the web process's own counters and the database's figures, in Prometheus's text format.

Open to loopback clients (a Prometheus on the same machine, or the proxy, which must not pass `/metrics` on), and
to anyone sending `Authorization: Bearer <WIREROOM_METRICS_TOKEN>` when that token is set.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.registry import CollectorRegistry

from wireroom.distribution.metrics import LedgerCollector

_DATABASE = CollectorRegistry(auto_describe=False)
_DATABASE.register(LedgerCollector())


def _allowed(request: HttpRequest) -> bool:
    token: str = settings.METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(offered.encode(), token.encode())
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        message = "Metrics are served to loopback clients, or with the bearer token WIREROOM_METRICS_TOKEN."
        return JsonResponse({"error": {"code": "forbidden", "message": message}}, status=403)
    return HttpResponse(generate_latest(REGISTRY) + generate_latest(_DATABASE), content_type=CONTENT_TYPE_LATEST)
