"""Reads of subscriptions: an outlet's endpoints with what each takes, for the outlet's own connections page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from wireroom.mediadb.models import Outlet
from wireroom.subscriptions.models import SftpEndpoint, Subscription, WebhookEndpoint


@dataclass(frozen=True)
class Connection:
    kind: str  # "webhook" or "sftp"
    endpoint: WebhookEndpoint | SftpEndpoint
    sectors: list[str]
    languages: list[str]
    countries: list[str]
    # Until when the previous signing secret still signs beside the new one (webhooks in a rotation's grace).
    grace_until: dt.datetime | None


def outlet_of_organization(*, organization_id: int) -> Outlet | None:
    return Outlet.objects.filter(organization_id=organization_id).first()


def _filters(subscription: Subscription | None) -> tuple[list[str], list[str], list[str]]:
    if subscription is None:
        return [], [], []
    return ([sector.slug for sector in subscription.sectors.all()],
            [language.code for language in subscription.languages.all()],
            [country.code for country in subscription.countries.all()])


def outlet_connections(*, outlet: Outlet, now: dt.datetime | None = None) -> list[Connection]:
    """Every webhook and SFTP endpoint of the outlet, oldest first, with its subscription's filters."""
    moment = now or timezone.now()
    subscriptions = (Subscription.objects.filter(outlet=outlet)
                     .prefetch_related("sectors", "languages", "countries").order_by("pk"))
    by_webhook: dict[int, Subscription] = {}
    by_sftp: dict[int, Subscription] = {}
    for subscription in subscriptions:
        if subscription.endpoint_id is not None:
            by_webhook.setdefault(subscription.endpoint_id, subscription)
        if subscription.sftp_endpoint_id is not None:
            by_sftp.setdefault(subscription.sftp_endpoint_id, subscription)
    found: list[Connection] = []
    for webhook in WebhookEndpoint.objects.filter(outlet=outlet).order_by("pk"):
        in_grace = (webhook.secrets_retire_at is not None and webhook.secrets_retire_at > moment
                    and len(webhook.live_secrets(now=moment)) > 1)
        found.append(Connection("webhook", webhook, *_filters(by_webhook.get(webhook.pk)),
                                grace_until=webhook.secrets_retire_at if in_grace else None))
    for sftp in SftpEndpoint.objects.filter(outlet=outlet).order_by("pk"):
        found.append(Connection("sftp", sftp, *_filters(by_sftp.get(sftp.pk)), grace_until=None))
    return found
