"""A test event: one signed POST to an endpoint, on demand, so its owner sees that signatures check out and what
the receiver answers. Signed exactly as deliveries are (every live secret, and the wire's own signature), sent
through the same SSRF-guarded session, and never written to the ledger."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

import aiohttp
from asgiref.sync import async_to_sync
from django.conf import settings
from django.utils import timezone

from wireroom.accounts.models import Membership
from wireroom.distribution.channels.webhook import signing
from wireroom.distribution.channels.webhook.endpoints import signing_keys
from wireroom.formats.item import iso
from wireroom.lib import outbound
from wireroom.subscriptions.models import WebhookEndpoint
from wireroom.subscriptions.services import require_endpoint_manager, webhook_endpoint_test_record
from wireroom.trust import wirekeys

EVENT_TYPE = "wireroom.test"


@dataclass(frozen=True)
class ProbeOutcome:
    ok: bool
    result: str  # "HTTP 200", or why nothing was answered


def probe_body(*, endpoint: WebhookEndpoint) -> bytes:
    moment = timezone.now()
    return json.dumps({"type": EVENT_TYPE, "timestamp": iso(moment),
                       "data": {"endpoint": endpoint.pk, "outlet": endpoint.outlet_id, "format": endpoint.format}},
                      separators=(",", ":")).encode()


async def _post(url: str, body: bytes, headers: dict[str, str]) -> ProbeOutcome:
    async with outbound.new_session(limit=1) as session:
        try:
            response = await outbound.post(session, url, body, headers)
        except outbound.OutboundRefused as exc:
            return ProbeOutcome(False, exc.message)
        except TimeoutError:
            return ProbeOutcome(False, f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s")
        except (aiohttp.ClientError, OSError) as exc:
            return ProbeOutcome(False, f"{type(exc).__name__}: {exc}"[:300])
    return ProbeOutcome(200 <= response.status < 300, f"HTTP {response.status}")


def send_test_event(*, endpoint: WebhookEndpoint, by: Membership) -> ProbeOutcome:
    """Send the test event now and record its outcome on the endpoint (who may do so: as for its filters)."""
    require_endpoint_manager(outlet=endpoint.outlet, by=by)
    keys, key_error = signing_keys(endpoint.live_secrets(now=timezone.now()))
    body = probe_body(endpoint=endpoint)
    if key_error:
        outcome = ProbeOutcome(False, key_error)
    else:
        headers = signing.headers(keys, f"msg_test_{secrets.token_hex(8)}", int(time.time()), body)
        headers[wirekeys.HEADER.lower()] = wirekeys.sign(body)
        outcome = async_to_sync(_post)(endpoint.url, body, headers)
    webhook_endpoint_test_record(endpoint=endpoint, by=by, ok=outcome.ok, result=outcome.result, at=timezone.now())
    return outcome
