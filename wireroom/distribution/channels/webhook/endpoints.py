"""The webhook channel's database work: endpoints, rendered bodies, failure tracking and disabling."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wireroom.accounts.models import Membership
from wireroom.audit.services import audit_record
from wireroom.distribution.channels.webhook.payload import LANGUAGE, body_bytes
from wireroom.distribution.channels.webhook.signing import BadSecret, decode_secret
from wireroom.distribution.models import DUE_STATES, Delivery, DeliveryState, RenderedItem
from wireroom.lib import outbound
from wireroom.subscriptions.models import WebhookEndpoint, live_secrets

log = logging.getLogger(__name__)
FAILING_TOO_LONG = dt.timedelta(days=5)
GONE = "410 Gone"


@dataclass(frozen=True)
class Endpoint:
    id: int
    url: str
    keys: tuple[bytes, ...]
    key_error: str
    max_concurrency: int
    active: bool
    disabled_reason: str
    format: str
    origin: str  # scheme, host and port: what the limit per host counts by


def signing_keys(secrets: object) -> tuple[tuple[bytes, ...], str]:
    if not isinstance(secrets, list) or not secrets:
        return (), "the endpoint has no signing secret"
    try:
        return tuple(decode_secret(str(secret)) for secret in secrets), ""
    except BadSecret as exc:
        return (), str(exc)


def load_endpoints(ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[int, Endpoint]:
    """The endpoints with the secrets that sign now: both the old and the new one during a rotation's grace."""
    moment = now or timezone.now()
    rows = WebhookEndpoint.objects.filter(pk__in=set(ids)).values_list(
        "pk", "url", "secrets", "secrets_retire_at", "max_concurrency", "active", "disabled_reason", "format")
    endpoints = {}
    for pk, url, secrets, retire_at, max_concurrency, active, disabled_reason, format_name in rows:
        keys, key_error = signing_keys(live_secrets(secrets=secrets, retire_at=retire_at, now=moment))
        endpoints[pk] = Endpoint(pk, url, keys, key_error, max_concurrency, active, disabled_reason, format_name,
                                 outbound.origin(url))
    return endpoints


BodyKey = tuple[uuid.UUID, int, str]  # release, version, the RenderedItem format (`payload.stored_as`)


def load_bodies(keys: Iterable[BodyKey]) -> dict[BodyKey, bytes]:
    wanted = set(keys)
    if not wanted:
        return {}
    match = Q()
    for release_id, version, stored in wanted:
        match |= Q(release_id=release_id, version=version, format=stored)
    rows = RenderedItem.objects.filter(match, language=LANGUAGE).values_list(
        "release_id", "version", "format", "payload")
    return {(uuid.UUID(str(release_id)), version, stored): body_bytes(payload)
            for release_id, version, stored, payload in rows}


def notify_endpoint_disabled(endpoint: WebhookEndpoint, reason: str) -> None:
    """Tell the endpoint's owner it was disabled and why: an audit entry, and an e-mail to the members of the
    outlet's account once the disabling has committed."""
    organization = endpoint.outlet.organization
    recipients = sorted({email for email in Membership.objects.filter(organization=organization).values_list(
        "user__email", flat=True) if email}) if organization else []
    audit_record(actor=None, action="webhook.disabled_notice", target=endpoint, organization=organization,
                 data={"reason": reason, "url": endpoint.url, "told": recipients})
    if not recipients:
        return
    subject = f"{settings.WIRE_NAME}: your webhook endpoint was disabled"
    body = (f"{settings.WIRE_NAME} stopped delivering to {endpoint.url} ({endpoint.outlet.name}).\n\n"
            f"Reason: {reason}\n\nFix the endpoint, then ask the wire's operators to enable it again; "
            f"deliveries that failed meanwhile can be replayed.\n")

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except (OSError, smtplib.SMTPException):
            # The audit entry stands; a mail server hiccup must not undo the disabling.
            log.exception("could not e-mail the owners of endpoint %s", endpoint.pk)

    transaction.on_commit(send)


def disable_endpoint(endpoint_id: int, reason: str, *, now: dt.datetime | None = None) -> bool:
    """Disable an endpoint and fail what was still waiting for it. False if it was already disabled."""
    moment = now or timezone.now()
    with transaction.atomic():
        # The filtered update makes the disabling happen once, however many workers see the same 410.
        changed = WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).update(
            active=False, disabled_at=moment, disabled_reason=reason[:200])
        if not changed:
            return False
        Delivery.objects.filter(endpoint_id=endpoint_id, state__in=DUE_STATES).update(
            state=DeliveryState.FAILED, last_error=f"endpoint disabled: {reason}"[:2000], next_attempt_at=moment)
        endpoint = WebhookEndpoint.objects.select_related("outlet__organization").get(pk=endpoint_id)
        audit_record(actor=None, action="webhook.disabled", target=endpoint,
                     organization=endpoint.outlet.organization, from_state="active", to_state="disabled",
                     data={"reason": reason, "url": endpoint.url})
        notify_endpoint_disabled(endpoint, reason)
    return True


def record_health(*, succeeded: set[int], failed: set[int], gone: set[int],
                  now: dt.datetime | None = None) -> list[int]:
    """Keep `failing_since` and disable endpoints that are gone or failing for too long; returns those disabled."""
    moment = now or timezone.now()
    failing = failed - succeeded
    # Read before writing: almost always nothing changes, and on SQLite a write, even of no row, waits its turn
    # for the one write lock behind every worker's leases and acknowledgements (0.1 to 0.5 s a batch).
    endpoints = WebhookEndpoint.objects.all()
    if succeeded and (recovered := list(endpoints.filter(pk__in=succeeded, failing_since__isnull=False)
                                        .values_list("pk", flat=True))):
        endpoints.filter(pk__in=recovered, failing_since__isnull=False).update(failing_since=None)
    if failing and (started := list(endpoints.filter(pk__in=failing, failing_since__isnull=True)
                                    .values_list("pk", flat=True))):
        endpoints.filter(pk__in=started, failing_since__isnull=True).update(failing_since=moment)
    disabled = [pk for pk in sorted(gone) if disable_endpoint(pk, GONE, now=moment)]
    if failing:
        stale = WebhookEndpoint.objects.filter(pk__in=failing, active=True,
                                               failing_since__lt=moment - FAILING_TOO_LONG).values_list("pk", flat=True)
        disabled += [pk for pk in stale if disable_endpoint(pk, "failing for more than 5 days", now=moment)]
    return disabled
