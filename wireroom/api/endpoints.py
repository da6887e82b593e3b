from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from wireroom.api.auth import actor
from wireroom.api.negotiation import requested_format
from wireroom.api.schemas import ErrorOut
from wireroom.lib import ssh
from wireroom.lib.errors import NotAllowed, NotFound
from wireroom.lib.text import refuse_control_characters
from wireroom.mediadb.models import Outlet
from wireroom.subscriptions import services
from wireroom.subscriptions.models import SftpEndpoint, WebhookEndpoint

router = Router(tags=["endpoints"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 413, 422}): ErrorOut}


class EndpointIn(Schema):
    url: str = Field(..., max_length=500, description="https:// URL on the public internet")
    sectors: list[str] = Field(default_factory=list, max_length=60, description="Empty: every sector")
    kinds: list[str] = Field(default_factory=list, max_length=3, description="Empty: every kind")
    max_concurrency: int = 4
    format: str = Field("ninjs", description="The format of the items it receives: ninjs, ninjs-2.2, newsml-g2 "
                        "or nitf")
    prepositioned: bool = Field(False, description="Also get each scheduled release encrypted when it is "
                                "scheduled, and its key at the embargo second (docs/trust.md)")


class EndpointOut(Schema):
    id: int
    url: str
    active: bool
    format: str
    prepositioned: bool
    secret: str | None = Field(None, description="Only in the answer that creates the endpoint")


class DeactivateIn(Schema):
    reason: str = Field("", max_length=200)


def _endpoint_out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {"id": endpoint.pk, "url": endpoint.url, "active": endpoint.active, "format": endpoint.format,
            "prepositioned": endpoint.prepositioned}


def _outlet(request: HttpRequest, outlet_id: int) -> Outlet:
    if not actor(request).is_wire_staff:
        raise NotAllowed("Only the wire's editors and admins manage delivery endpoints.")
    outlet = Outlet.objects.filter(pk=outlet_id).first()
    if outlet is None:
        raise NotFound("No such outlet.")
    return outlet


@router.post("/{outlet_id}/endpoints", response={201: EndpointOut, **ERRORS},
             summary="Register a webhook endpoint (wire staff); the signing secret is shown once")
def create_endpoint(request: HttpRequest, outlet_id: int, payload: EndpointIn) -> Status[dict[str, Any]]:
    outlet = _outlet(request, outlet_id)
    refuse_control_characters([("url", payload.url, False),
                               *((f"sectors.{i}", value, False) for i, value in enumerate(payload.sectors)),
                               *((f"kinds.{i}", value, False) for i, value in enumerate(payload.kinds))])
    fmt = requested_format(request, payload.format)
    created = services.webhook_endpoint_create(
        outlet=outlet, url=payload.url, by=actor(request), sectors=payload.sectors,
        kinds=payload.kinds, max_concurrency=payload.max_concurrency, format_name=fmt.name,
        prepositioned=payload.prepositioned)
    return Status(201, {**_endpoint_out(created.endpoint), "secret": created.secret})


@router.get("/{outlet_id}/endpoints", response={200: list[EndpointOut], **ERRORS}, summary="List an outlet's endpoints")
def list_endpoints(request: HttpRequest, outlet_id: int) -> list[dict[str, Any]]:
    outlet = _outlet(request, outlet_id)
    return [_endpoint_out(endpoint) for endpoint in outlet.webhook_endpoints.order_by("pk")]


@router.post("/{outlet_id}/endpoints/{endpoint_id}/deactivate", response={200: EndpointOut, **ERRORS},
             summary="Stop delivering to an endpoint (wire staff)")
def deactivate_endpoint(request: HttpRequest, outlet_id: int, endpoint_id: int,
                        payload: DeactivateIn) -> dict[str, Any]:
    outlet = _outlet(request, outlet_id)
    refuse_control_characters([("reason", payload.reason, True)])
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, outlet=outlet).first()
    if endpoint is None:
        raise NotFound("No such endpoint.")
    endpoint = services.webhook_endpoint_deactivate(endpoint=endpoint, by=actor(request), reason=payload.reason)
    return _endpoint_out(endpoint)


class SftpEndpointIn(Schema):
    host: str = Field(..., max_length=253, description="A host name or address on the public internet")
    port: int = Field(22, description="1 to 65535")
    username: str = Field(..., max_length=100)
    directory: str = Field("", max_length=300, description="Relative to the login directory, no '..'; empty: "
                           "the login directory")
    sectors: list[str] = Field(default_factory=list, max_length=60, description="Empty: every sector")
    kinds: list[str] = Field(default_factory=list, max_length=3, description="Empty: every kind")
    format: str = Field("ninjs", description="The format of the files: ninjs, ninjs-2.2, newsml-g2 or nitf")
    prepositioned: bool = Field(False, description="Also get each scheduled release as a sealed file when it is "
                                "scheduled, and a key file at the embargo second (docs/trust.md)")


class SftpEndpointOut(Schema):
    id: int
    host: str
    port: int
    username: str
    directory: str
    format: str
    prepositioned: bool
    active: bool
    host_key: str = Field(..., description="The server's host key, pinned at registration")
    wire_key: str = Field(..., description="The wire's public key, for the partner's authorized_keys")


def _sftp_out(endpoint: SftpEndpoint) -> dict[str, Any]:
    return {"id": endpoint.pk, "host": endpoint.host, "port": endpoint.port, "username": endpoint.username,
            "directory": endpoint.directory, "format": endpoint.format, "prepositioned": endpoint.prepositioned,
            "active": endpoint.active,
            "host_key": endpoint.host_key, "wire_key": ssh.wire_public_key()}


@router.post("/{outlet_id}/sftp-endpoints", response={201: SftpEndpointOut, **ERRORS},
             summary="Register a terminal partner's SFTP server (wire staff); its host key is pinned")
def create_sftp_endpoint(request: HttpRequest, outlet_id: int, payload: SftpEndpointIn) -> Status[dict[str, Any]]:
    outlet = _outlet(request, outlet_id)
    refuse_control_characters([("host", payload.host, False), ("username", payload.username, False),
                               ("directory", payload.directory, False),
                               *((f"sectors.{i}", value, False) for i, value in enumerate(payload.sectors)),
                               *((f"kinds.{i}", value, False) for i, value in enumerate(payload.kinds))])
    fmt = requested_format(request, payload.format)
    endpoint = services.sftp_endpoint_create(
        outlet=outlet, host=payload.host, port=payload.port, username=payload.username, directory=payload.directory,
        by=actor(request), sectors=payload.sectors, kinds=payload.kinds, format_name=fmt.name,
        prepositioned=payload.prepositioned)
    return Status(201, _sftp_out(endpoint))


@router.get("/{outlet_id}/sftp-endpoints", response={200: list[SftpEndpointOut], **ERRORS},
            summary="List an outlet's SFTP endpoints")
def list_sftp_endpoints(request: HttpRequest, outlet_id: int) -> list[dict[str, Any]]:
    outlet = _outlet(request, outlet_id)
    return [_sftp_out(endpoint) for endpoint in outlet.sftp_endpoints.order_by("pk")]
