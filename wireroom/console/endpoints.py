"""The delivery endpoints of an outlet or partner in the console: their health read from the delivery ledger (last
success, failures, whether the worker has disabled them), enabling and disabling a webhook endpoint through the
subscriptions services (webhook and SFTP alike), turning encrypted pre-positioning on or off for one, and sending
failed deliveries again through `ledger.replay`, the one replay path, with an audit entry naming who asked.

The circuit breaker itself lives in each worker's memory (`channels/health.py`); what outlasts it, and what is
shown here, is `failing_since` (failing now), `disabled_at` and `disabled_reason`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wireroom.accounts.models import Membership
from wireroom.audit.services import audit_record
from wireroom.console.access import staff_only
from wireroom.distribution.ledger import replay
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.lib.errors import WireroomError
from wireroom.mediadb.models import Outlet
from wireroom.subscriptions.models import SftpEndpoint, WebhookEndpoint
from wireroom.subscriptions.services import (
    endpoint_set_prepositioned,
    sftp_endpoint_set_active,
    webhook_endpoint_deactivate,
    webhook_endpoint_update,
)

KINDS: dict[str, tuple[str, type[WebhookEndpoint] | type[SftpEndpoint]]] = {
    "webhook": ("endpoint", WebhookEndpoint), "sftp": ("sftp_endpoint", SftpEndpoint)}


@dataclass(frozen=True)
class Health:
    kind: str
    endpoint: WebhookEndpoint | SftpEndpoint
    last_success: Any
    failed: int
    waiting: int


def endpoint_health(*, outlet: Outlet) -> list[Health]:
    """Every endpoint of the outlet with its figures from the ledger, one grouped query per kind."""
    found: list[Health] = []
    for kind, (column, model) in KINDS.items():
        figures = {row[column]: row for row in Delivery.objects.filter(**{f"{column}__outlet": outlet})
                   .values(column).annotate(
                       last=Max("delivered_at", filter=Q(state=DeliveryState.DELIVERED)),
                       failed=Count("pk", filter=Q(state=DeliveryState.FAILED)),
                       waiting=Count("pk", filter=Q(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING))))}
        for endpoint in model.objects.filter(outlet=outlet).order_by("pk"):
            row = figures.get(endpoint.pk, {})
            found.append(Health(kind, endpoint, row.get("last"), row.get("failed", 0), row.get("waiting", 0)))
    return found


def _endpoint(kind: str, endpoint_id: int) -> WebhookEndpoint | SftpEndpoint:
    if kind not in KINDS:
        raise Http404("No such kind of endpoint.")
    found = KINDS[kind][1].objects.filter(pk=endpoint_id).first()
    if found is None:
        raise Http404("No such endpoint.")
    return found


@require_POST
@staff_only
def endpoint_active(request: HttpRequest, membership: Membership, kind: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(kind, endpoint_id)
    wanted = request.POST.get("active")
    if wanted not in ("true", "false"):
        messages.error(request, "Say whether the endpoint is to be enabled or disabled.")
        return redirect("console:outlet", outlet_id=endpoint.outlet_id)
    reason = request.POST.get("reason", "")[:200] or "disabled in the console"
    try:
        if isinstance(endpoint, SftpEndpoint):
            sftp_endpoint_set_active(endpoint=endpoint, by=membership, active=wanted == "true", reason=reason)
        elif wanted == "true":
            webhook_endpoint_update(endpoint=endpoint, by=membership, active=True)
        else:
            webhook_endpoint_deactivate(endpoint=endpoint, by=membership, reason=reason)
    except WireroomError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Enabled." if wanted == "true" else "Disabled: nothing is sent to it.")
    return redirect("console:outlet", outlet_id=endpoint.outlet_id)


@require_POST
@staff_only
def endpoint_prepositioned(request: HttpRequest, membership: Membership, kind: str,
                           endpoint_id: int) -> HttpResponse:
    """Turn encrypted pre-positioning on or off for a webhook or SFTP endpoint (docs/trust.md)."""
    endpoint = _endpoint(kind, endpoint_id)
    wanted = request.POST.get("prepositioned")
    if wanted not in ("true", "false"):
        messages.error(request, _("Say whether the endpoint is to take pre-positioned releases or not."))
        return redirect("console:outlet", outlet_id=endpoint.outlet_id)
    try:
        endpoint_set_prepositioned(endpoint=endpoint, by=membership, prepositioned=wanted == "true")
    except WireroomError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pre-positioning on: from the next scheduled release, it gets each one encrypted "
                                    "ahead of the embargo and its key at the embargo second.")
                         if wanted == "true" else
                         _("Pre-positioning off: from the next scheduled release, it gets plain copies only."))
    return redirect("console:outlet", outlet_id=endpoint.outlet_id)


@require_POST
@staff_only
def endpoint_replay(request: HttpRequest, membership: Membership, kind: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(kind, endpoint_id)
    column = KINDS[kind][0]
    failed = list(Delivery.objects.filter(**{column: endpoint, "state": DeliveryState.FAILED})
                  .values_list("pk", flat=True))
    done = replay(delivery_ids=failed)
    audit_record(actor=membership.user, organization=membership.organization, action="delivery.replay",
                 target=endpoint, data={"kind": kind, "failed": len(failed), "queued": done.queued,
                                        "withdrawn": done.withdrawn, "superseded": done.superseded})
    messages.success(request, done.summary())
    return redirect("console:outlet", outlet_id=endpoint.outlet_id)
