"""Writes to subscriptions: webhook endpoints of outlets and terminal partners."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.db import transaction

from wireroom.accounts.models import Membership
from wireroom.audit.services import audit_record
from wireroom.lib.errors import InvalidInput, NotAllowed
from wireroom.lib.outbound import check_url
from wireroom.mediadb.models import Outlet
from wireroom.releases.models import Kind
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint
from wireroom.taxonomy.models import Sector

MAX_ENDPOINTS_PER_OUTLET = 10


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once; the receiver verifies signatures with it


def new_signing_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _require_operator(by: Membership) -> None:
    if not by.is_wire_staff:
        raise NotAllowed("Only the wire's editors and admins manage delivery endpoints.")


@transaction.atomic
def webhook_endpoint_create(*, outlet: Outlet, url: str, by: Membership, sectors: list[str] | None = None,
                            kinds: list[str] | None = None, max_concurrency: int = 4,
                            format_name: str = "ninjs") -> NewEndpoint:
    """Register an endpoint and its subscription. The URL is checked against the SSRF rules before saving.

    `format_name` must be a name from the formats registry; the caller checks it (this layer is below formats).
    """
    _require_operator(by)
    url = url.strip()
    check_url(url)
    if not 1 <= max_concurrency <= 64:
        raise InvalidInput("max_concurrency must be between 1 and 64.")
    if outlet.webhook_endpoints.filter(active=True).count() >= MAX_ENDPOINTS_PER_OUTLET:
        raise InvalidInput(f"An outlet may have at most {MAX_ENDPOINTS_PER_OUTLET} active endpoints.")
    unknown_kinds = sorted(set(kinds or []) - set(Kind.values))
    if unknown_kinds:
        raise InvalidInput(f"Unknown kinds: {', '.join(unknown_kinds)}.")
    chosen = list(Sector.objects.filter(slug__in=sectors or []))
    missing = sorted(set(sectors or []) - {sector.slug for sector in chosen})
    if missing:
        raise InvalidInput(f"Unknown sectors: {', '.join(missing)}.")
    secret = new_signing_secret()
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=url, secrets=[secret],
                                              max_concurrency=max_concurrency, format=format_name)
    subscription = Subscription.objects.create(
        outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK,
        kinds="," + ",".join(sorted(kinds)) + "," if kinds else "")
    subscription.sectors.set(chosen)
    audit_record(actor=by.user, organization=by.organization, action="webhook.create", target=endpoint,
                 to_state="active", data={"url": url, "outlet": outlet.pk, "format": format_name})
    return NewEndpoint(endpoint=endpoint, secret=secret)


@transaction.atomic
def webhook_endpoint_deactivate(*, endpoint: WebhookEndpoint, by: Membership, reason: str) -> WebhookEndpoint:
    _require_operator(by)
    if endpoint.active:
        endpoint.active = False
        endpoint.disabled_reason = (reason.strip() or "deactivated by the wire")[:200]
        endpoint.save(update_fields=["active", "disabled_reason"])
        audit_record(actor=by.user, organization=by.organization, action="webhook.deactivate", target=endpoint,
                     from_state="active", to_state="inactive", data={"reason": endpoint.disabled_reason})
    return endpoint
