"""Writes to subscriptions: webhook and SFTP endpoints of outlets and terminal partners, their filters and secrets.

The wire's staff manage every outlet's endpoints; an outlet's own members (`Role.OUTLET_MEMBER`) add webhook
endpoints, rotate their secrets and pick their filters and format, for their own outlet only."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from wireroom.accounts.models import Membership, Role
from wireroom.audit.services import audit_record
from wireroom.lib import ssh
from wireroom.lib.errors import InvalidInput, NotAllowed
from wireroom.lib.outbound import check_url
from wireroom.mediadb.models import Outlet
from wireroom.releases.models import Kind
from wireroom.subscriptions.models import Channel, SftpEndpoint, Subscription, WebhookEndpoint
from wireroom.taxonomy.models import Country, Language, Sector

MAX_ENDPOINTS_PER_OUTLET = 10
# How long the old secret still signs after a rotation: a day for the receiver to deploy the new one.
ROTATION_GRACE = dt.timedelta(hours=24)
MAX_ROTATION_GRACE = dt.timedelta(days=7)


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once; the receiver verifies signatures with it


def new_signing_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _require_operator(by: Membership) -> None:
    if not by.is_wire_staff:
        raise NotAllowed("Only the wire's editors and admins manage delivery endpoints.")


def require_endpoint_manager(*, by: Membership, outlet: Outlet) -> None:
    """The wire's staff, or a member of the outlet's own organization."""
    if by.is_wire_staff:
        return
    if by.role == Role.OUTLET_MEMBER and outlet.organization_id is not None \
            and outlet.organization_id == by.organization_id:
        return
    raise NotAllowed("Only the outlet's own members and the wire's staff manage its endpoints.")


@dataclass(frozen=True)
class Filters:
    sectors: list[Sector]
    languages: list[Language]
    countries: list[Country]


def _checked_url(url: str) -> str:
    # Resolves the host: done before any transaction opens, so a slow DNS server never holds SQLite's write lock.
    url = url.strip()
    check_url(url)
    return url


def _check_concurrency(max_concurrency: int) -> None:
    if not 1 <= max_concurrency <= 64:
        raise InvalidInput("max_concurrency must be between 1 and 64.")


def _check_room(outlet: Outlet) -> None:
    if outlet.webhook_endpoints.filter(active=True).count() >= MAX_ENDPOINTS_PER_OUTLET:
        raise InvalidInput(f"An outlet may have at most {MAX_ENDPOINTS_PER_OUTLET} active endpoints.")


def webhook_endpoint_check(*, outlet: Outlet, url: str, max_concurrency: int = 4, kinds: list[str] | None = None,
                           sectors: list[str] | None = None) -> tuple[str, list[Sector]]:
    """Everything `webhook_endpoint_create` checks before it writes: the URL (resolving its host), the limit,
    kinds, sectors and room at the outlet. Returns the cleaned URL and the sectors. Forms call it to show the
    reason next to the field; the service calls it again."""
    url = _checked_url(url)
    _check_concurrency(max_concurrency)
    chosen = _checked_filters(kinds=kinds, sectors=sectors)
    _check_room(outlet)
    return url, chosen


def _checked_filters(*, kinds: list[str] | None, sectors: list[str] | None) -> list[Sector]:
    unknown_kinds = sorted(set(kinds or []) - set(Kind.values))
    if unknown_kinds:
        raise InvalidInput(f"Unknown kinds: {', '.join(unknown_kinds)}.")
    return _checked_axes(sectors=sectors).sectors


Axis = TypeVar("Axis", Sector, Language, Country)


def _known(model: type[Axis], field: str, wanted: list[str] | None, what: str) -> list[Axis]:
    chosen = list(model.objects.filter(**{f"{field}__in": wanted or []}))
    missing = sorted(set(wanted or []) - {str(getattr(each, field)) for each in chosen})
    if missing:
        raise InvalidInput(f"Unknown {what}: {', '.join(missing)}.")
    return chosen


def _checked_axes(*, sectors: list[str] | None = None, languages: list[str] | None = None,
                  countries: list[str] | None = None) -> Filters:
    return Filters(sectors=_known(Sector, "slug", sectors, "sectors"),
                   languages=_known(Language, "code", languages, "languages"),
                   countries=_known(Country, "code", countries, "countries"))


def _kinds_field(kinds: list[str] | None) -> str:
    return "," + ",".join(sorted(kinds)) + "," if kinds else ""


def webhook_endpoint_create(*, outlet: Outlet, url: str, by: Membership, sectors: list[str] | None = None,
                            kinds: list[str] | None = None, max_concurrency: int = 4,
                            format_name: str = "ninjs", languages: list[str] | None = None,
                            countries: list[str] | None = None, prepositioned: bool = False) -> NewEndpoint:
    """Register an endpoint and its subscription: the one way an endpoint is made (API, admin, console, the
    outlet's own connections page).

    The URL is checked against the SSRF rules first, then everything is written in one transaction.
    `format_name` must be a name from the formats registry; the caller checks it (this layer is below formats).
    """
    require_endpoint_manager(by=by, outlet=outlet)
    url, chosen = webhook_endpoint_check(outlet=outlet, url=url, max_concurrency=max_concurrency, kinds=kinds,
                                         sectors=sectors)
    axes = _checked_axes(languages=languages, countries=countries)
    secret = new_signing_secret()
    with transaction.atomic():
        _check_room(outlet)  # again: another endpoint may have been added meanwhile
        endpoint = WebhookEndpoint.objects.create(outlet=outlet, url=url, secrets=[secret],
                                                  max_concurrency=max_concurrency, format=format_name,
                                                  prepositioned=prepositioned)
        subscription = Subscription.objects.create(
            outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK,
            kinds=_kinds_field(kinds))
        subscription.sectors.set(chosen)
        subscription.languages.set(axes.languages)
        subscription.countries.set(axes.countries)
        audit_record(actor=by.user, organization=by.organization, action="webhook.create", target=endpoint,
                     to_state="active", data={"url": url, "outlet": outlet.pk, "format": format_name})
    return NewEndpoint(endpoint=endpoint, secret=secret)


def webhook_endpoint_check_change(*, endpoint: WebhookEndpoint, url: str | None = None,
                                  max_concurrency: int | None = None, active: bool | None = None) -> str | None:
    """What `webhook_endpoint_update` checks before it writes; returns the new URL, checked, or None if it is
    unchanged. Compared with the stored row, not `endpoint`: a form may have set the new values on it already."""
    stored_url, stored_active = WebhookEndpoint.objects.values_list("url", "active").get(pk=endpoint.pk)
    if max_concurrency is not None:
        _check_concurrency(max_concurrency)
    if active and not stored_active:
        _check_room(endpoint.outlet)
    return _checked_url(url) if url is not None and url.strip() != stored_url else None


def webhook_endpoint_update(*, endpoint: WebhookEndpoint, by: Membership, url: str | None = None,
                            max_concurrency: int | None = None, active: bool | None = None) -> WebhookEndpoint:
    """Change an endpoint's URL or limit, or enable it again; a new URL is checked like a new endpoint's."""
    _require_operator(by)
    new_url = webhook_endpoint_check_change(endpoint=endpoint, url=url, max_concurrency=max_concurrency,
                                            active=active)
    with transaction.atomic():
        current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        changed: dict[str, object] = {}
        if new_url is not None:
            current.url = changed["url"] = new_url
        if max_concurrency is not None and max_concurrency != current.max_concurrency:
            current.max_concurrency = changed["max_concurrency"] = max_concurrency
        enabling = active is True and not current.active
        if enabling:
            _check_room(current.outlet)
            current.active, current.disabled_at, current.disabled_reason, current.failing_since = True, None, "", None
            changed["active"] = True
        if changed:
            current.save()
            audit_record(actor=by.user, organization=by.organization, action="webhook.update", target=current,
                         from_state="inactive" if enabling else "", to_state="active" if enabling else "",
                         data=changed)
    if active is False:
        current = webhook_endpoint_deactivate(endpoint=current, by=by, reason="deactivated by the wire")
    return current


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


@transaction.atomic
def endpoint_set_prepositioned(*, endpoint: WebhookEndpoint | SftpEndpoint, by: Membership,
                               prepositioned: bool) -> WebhookEndpoint | SftpEndpoint:
    """Let a webhook or SFTP endpoint take encrypted pre-positioning, or stop it (docs/trust.md): the wire's staff
    only, since an envelope tells its recipient that a release is scheduled, and when. Staging reads the flag when
    a version is scheduled, so a change holds from the next scheduling on."""
    _require_operator(by)
    current = type(endpoint).objects.select_for_update().get(pk=endpoint.pk)
    if current.prepositioned != prepositioned:
        current.prepositioned = prepositioned
        current.save(update_fields=["prepositioned"])
        kind = "sftp" if isinstance(current, SftpEndpoint) else "webhook"
        audit_record(actor=by.user, organization=by.organization, action=f"{kind}.prepositioned", target=current,
                     data={"prepositioned": prepositioned})
    return current


def sftp_endpoint_create(*, outlet: Outlet, host: str, username: str, by: Membership, port: int = 22,
                         directory: str = "", sectors: list[str] | None = None, kinds: list[str] | None = None,
                         format_name: str = "ninjs", prepositioned: bool = False) -> SftpEndpoint:
    """Register a partner's SFTP server and its subscription. The host is resolved and checked against the SSRF
    rules, then asked for its host key, which is pinned: every later connection must present the same one.
    `format_name` must be a name from the formats registry; the caller checks it (this layer is below formats)."""
    _require_operator(by)
    host, username, directory = host.strip(), username.strip(), directory.strip().strip("/")
    if not host or not username:
        raise InvalidInput("An SFTP endpoint needs a host and a user name.")
    if not 1 <= port <= 65535:
        raise InvalidInput("The port must be between 1 and 65535.")
    if ".." in directory.split("/"):
        raise InvalidInput("The directory may not contain '..'.")
    chosen = _checked_filters(kinds=kinds, sectors=sectors)
    # Network work before the transaction, so a slow server never holds SQLite's write lock.
    host_key = ssh.fetch_host_key(host=host, port=port)
    with transaction.atomic():
        if outlet.sftp_endpoints.filter(active=True).count() >= MAX_ENDPOINTS_PER_OUTLET:
            raise InvalidInput(f"An outlet may have at most {MAX_ENDPOINTS_PER_OUTLET} active SFTP endpoints.")
        endpoint = SftpEndpoint.objects.create(outlet=outlet, host=host, port=port, username=username,
                                               directory=directory, host_key=host_key, format=format_name,
                                               prepositioned=prepositioned)
        subscription = Subscription.objects.create(outlet=outlet, sftp_endpoint=endpoint, channel=Channel.SFTP,
                                                   kinds=_kinds_field(kinds))
        subscription.sectors.set(chosen)
        audit_record(actor=by.user, organization=by.organization, action="sftp.create", target=endpoint,
                     to_state="active", data={"host": host, "port": port, "outlet": outlet.pk, "format": format_name,
                                              "host_key": host_key, "prepositioned": prepositioned})
    return endpoint


@transaction.atomic
def sftp_endpoint_set_active(*, endpoint: SftpEndpoint, by: Membership, active: bool,
                             reason: str = "") -> SftpEndpoint:
    """Stop or resume dropping files on a partner's server (the wire's staff); what failed meanwhile can be
    replayed."""
    _require_operator(by)
    current = SftpEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if current.active == active:
        return current
    if active:
        if SftpEndpoint.objects.filter(outlet_id=current.outlet_id, active=True).count() >= MAX_ENDPOINTS_PER_OUTLET:
            raise InvalidInput(f"An outlet may have at most {MAX_ENDPOINTS_PER_OUTLET} active SFTP endpoints.")
        current.active, current.disabled_at, current.disabled_reason, current.failing_since = True, None, "", None
    else:
        current.active, current.disabled_at = False, timezone.now()
        current.disabled_reason = (reason.strip() or "disabled by the wire")[:200]
    current.save(update_fields=["active", "disabled_at", "disabled_reason", "failing_since"])
    audit_record(actor=by.user, organization=by.organization, action="sftp.enable" if active else "sftp.disable",
                 target=current, from_state="inactive" if active else "active",
                 to_state="active" if active else "inactive", data={"reason": current.disabled_reason})
    return current


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, by: Membership, grace: dt.timedelta = ROTATION_GRACE,
                                   now: dt.datetime | None = None) -> str:
    """Add a new signing secret and keep the current one signing for `grace`: during it every event carries
    both signatures, so the receiver can switch to the new secret whenever it deploys it. Secrets already past
    an earlier grace period are dropped. Returns the new secret, shown once."""
    require_endpoint_manager(by=by, outlet=endpoint.outlet)
    if not dt.timedelta(0) <= grace <= MAX_ROTATION_GRACE:
        raise InvalidInput("The grace period must be between none and 7 days.")
    moment = now or timezone.now()
    current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    kept = current.live_secrets(now=moment)[-1:]
    secret = new_signing_secret()
    current.secrets = [*kept, secret]
    current.secrets_retire_at = moment + grace
    current.save(update_fields=["secrets", "secrets_retire_at"])
    audit_record(actor=by.user, organization=by.organization, action="webhook.rotate", target=current,
                 data={"grace_seconds": int(grace.total_seconds()), "old_secret_until": current.secrets_retire_at
                       .isoformat()})
    return secret


def endpoint_filters_set(*, endpoint: WebhookEndpoint | SftpEndpoint, by: Membership, sectors: list[str],
                         languages: list[str], countries: list[str], format_name: str) -> None:
    """What an endpoint takes: its subscription's sectors, languages and countries (empty: all) and the format.
    `format_name` must be a name from the formats registry; the caller checks it (this layer is below formats)."""
    require_endpoint_manager(by=by, outlet=endpoint.outlet)
    axes = _checked_axes(sectors=sectors, languages=languages, countries=countries)
    column = "endpoint" if isinstance(endpoint, WebhookEndpoint) else "sftp_endpoint"
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(**{column: endpoint}).order_by("pk").first()
        if subscription is None:
            subscription = Subscription.objects.create(
                outlet=endpoint.outlet, channel=Channel.WEBHOOK if column == "endpoint" else Channel.SFTP,
                **{column: endpoint})
        subscription.sectors.set(axes.sectors)
        subscription.languages.set(axes.languages)
        subscription.countries.set(axes.countries)
        type(endpoint).objects.filter(pk=endpoint.pk).update(format=format_name)
        endpoint.format = format_name
        audit_record(actor=by.user, organization=by.organization, action="endpoint.filters", target=endpoint,
                     data={"sectors": sorted(sectors), "languages": sorted(languages),
                           "countries": sorted(countries), "format": format_name})


@transaction.atomic
def webhook_endpoint_test_record(*, endpoint: WebhookEndpoint, by: Membership, ok: bool, result: str,
                                 at: dt.datetime) -> None:
    """Keep what a test event got back, for the connections page, and audit who sent it."""
    require_endpoint_manager(by=by, outlet=endpoint.outlet)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(last_test_at=at, last_test_result=result[:300],
                                                          last_test_ok=ok)
    endpoint.last_test_at, endpoint.last_test_result, endpoint.last_test_ok = at, result[:300], ok
    audit_record(actor=by.user, organization=by.organization, action="webhook.test", target=endpoint,
                 data={"ok": ok, "result": result[:300]})
