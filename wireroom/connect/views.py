"""The connections page of a media outlet or terminal partner: its members see their webhook and SFTP endpoints
and what each takes, add a webhook endpoint (checked against the SSRF rules), send it a signed test event, rotate
its signing secret with a grace period, pick filters and format, and make read-only API keys. Every write goes
through the services the API and the console use; another organization's endpoints and keys are missing (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.key_pages import api_key_create_from, api_key_revoke_from, api_key_section
from wireroom.accounts.models import Membership
from wireroom.accounts.navigation import connects
from wireroom.connect.forms import EndpointForm, FiltersForm, RotateForm
from wireroom.distribution.channels.webhook.probe import send_test_event
from wireroom.lib.errors import InvalidInput
from wireroom.lib.outbound import OutboundRefused
from wireroom.mediadb.models import Outlet
from wireroom.subscriptions import services
from wireroom.subscriptions.models import SftpEndpoint, WebhookEndpoint
from wireroom.subscriptions.selectors import outlet_connections, outlet_of_organization

KINDS: dict[str, type[WebhookEndpoint] | type[SftpEndpoint]] = {"webhook": WebhookEndpoint, "sftp": SftpEndpoint}


def _outlet(membership: Membership) -> Outlet | None:
    return outlet_of_organization(organization_id=membership.organization_id)


def _endpoint(membership: Membership, kind: str, endpoint_id: int) -> WebhookEndpoint | SftpEndpoint:
    """One of the member's own outlet's endpoints; anything else, another outlet's included, is missing."""
    model = KINDS.get(kind)
    found = None if model is None else model.objects.select_related("outlet").filter(
        pk=endpoint_id, outlet__organization_id=membership.organization_id).first()
    if found is None:
        raise Http404("No such endpoint.")
    return found


def connections_page(request: HttpRequest, membership: Membership, *, status: int = 200,
                     **context: Any) -> HttpResponse:
    outlet = _outlet(membership)
    connections = outlet_connections(outlet=outlet) if outlet is not None else []
    rows: list[dict[str, Any]] = [{"connection": connection,
                                   "form": FiltersForm(prefix=f"{connection.kind}-{connection.endpoint.pk}", initial={
                                       "format": connection.endpoint.format, "sectors": connection.sectors,
                                       "languages": connection.languages, "countries": connection.countries})}
                                  for connection in connections]
    failed = context.pop("failed_filters", None)
    for row in rows:
        # A refused change is shown again with its errors, in its endpoint's place.
        if isinstance(failed, FiltersForm) and failed.prefix == row["form"].prefix:
            row["form"] = failed
    issued = context.pop("issued_key", None)
    response = render(request, "connect/home.html", {
        "membership": membership, "outlet": outlet, "rows": rows,
        "endpoint_form": context.pop("endpoint_form", None) or EndpointForm(),
        "rotate_form": RotateForm(),
        **api_key_section(membership=membership, form=context.pop("key_form", None), issued=issued),
        **context,
    }, status=status)
    if "secret" in context or issued is not None:
        # A secret is in this answer only, never cached: an API key is stored nowhere in the clear.
        response["Cache-Control"] = "no-store"
    return response


def _home() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("connect:home"))


@require_safe
@member_required(connects)
def home(request: HttpRequest, membership: Membership) -> HttpResponse:
    return connections_page(request, membership)


@require_POST
@member_required(connects)
def endpoint_add(request: HttpRequest, membership: Membership) -> HttpResponse:
    outlet = _outlet(membership)
    if outlet is None:
        raise Http404("No outlet is linked to this organization.")
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return connections_page(request, membership, status=422, endpoint_form=form)
    data = form.cleaned_data
    try:
        created = services.webhook_endpoint_create(
            outlet=outlet, url=data["url"], by=membership, sectors=data["sectors"], languages=data["languages"],
            countries=data["countries"], format_name=data["format"])
    except OutboundRefused as error:
        form.add_error("url", _("The wire may not send to this address: %(reason)s") % {"reason": error.message})
        return connections_page(request, membership, status=422, endpoint_form=form)
    except InvalidInput as error:
        form.add_error(None, error.message)
        return connections_page(request, membership, status=422, endpoint_form=form)
    return connections_page(request, membership, status=201, secret=created.secret,
                            secret_for=created.endpoint.url)


@require_POST
@member_required(connects)
def endpoint_test(request: HttpRequest, membership: Membership, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(membership, "webhook", endpoint_id)
    assert isinstance(endpoint, WebhookEndpoint)
    outcome = send_test_event(endpoint=endpoint, by=membership)
    if outcome.ok:
        messages.success(request, _("The test event was delivered: %(result)s.") % {"result": outcome.result})
    else:
        messages.error(request, _("The test event was not delivered: %(result)s") % {"result": outcome.result})
    return _home()


@require_POST
@member_required(connects)
def endpoint_rotate(request: HttpRequest, membership: Membership, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(membership, "webhook", endpoint_id)
    assert isinstance(endpoint, WebhookEndpoint)
    form = RotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed grace periods."))
        return connections_page(request, membership, status=422)
    secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint, by=membership,
                                                     grace=dt.timedelta(hours=form.cleaned_data["grace"]))
    return connections_page(request, membership, secret=secret, secret_for=endpoint.url)


@require_POST
@member_required(connects)
def endpoint_filters(request: HttpRequest, membership: Membership, kind: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(membership, kind, endpoint_id)
    form = FiltersForm(request.POST, prefix=f"{kind}-{endpoint.pk}")
    if not form.is_valid():
        return connections_page(request, membership, status=422, failed_filters=form)
    data = form.cleaned_data
    try:
        services.endpoint_filters_set(endpoint=endpoint, by=membership, sectors=data["sectors"],
                                      languages=data["languages"], countries=data["countries"],
                                      format_name=data["format"])
    except InvalidInput as error:
        form.add_error(None, error.message)
        return connections_page(request, membership, status=422, failed_filters=form)
    messages.success(request, _("Saved: the next releases follow these choices."))
    return _home()


@require_POST
@member_required(connects)
def key_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    form, issued = api_key_create_from(request, membership=membership)
    if issued is None:
        return connections_page(request, membership, status=422, key_form=form)
    return connections_page(request, membership, status=201, issued_key=issued)


@require_POST
@member_required(connects)
def key_revoke(request: HttpRequest, membership: Membership, key_id: int) -> HttpResponse:
    api_key_revoke_from(request, membership=membership, key_id=key_id)
    return _home()
