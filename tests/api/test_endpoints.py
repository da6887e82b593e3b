"""Webhook endpoints are registered through the API, and private-network URLs are refused before saving."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import override_settings
from standardwebhooks.webhooks import Webhook

from tests.support.api import ApiClient
from tests.support.sftp import SftpServer
from wireroom.audit.models import AuditEntry
from wireroom.lib import ssh
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.subscriptions.models import SftpEndpoint, Subscription, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet() -> Outlet:
    return Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")


def test_an_editor_registers_an_endpoint_and_gets_its_secret_once(
    api: Callable[[str | None], ApiClient], outlet: Outlet,
) -> None:
    client = api("wire_editor")
    created = client.post(f"/api/v1/outlets/{outlet.pk}/endpoints",
                          {"url": "https://93.184.215.14/hook", "sectors": ["energy"], "kinds": ["press_release"]})
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    Webhook(secret)  # the official library accepts it as a signing secret
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secrets == [secret]
    subscription = Subscription.objects.get(endpoint=endpoint)
    assert (subscription.kinds, list(subscription.sectors.values_list("slug", flat=True))) == (
        ",press_release,", ["energy"])
    listed = client.get(f"/api/v1/outlets/{outlet.pk}/endpoints").json()
    assert listed == [{"id": endpoint.pk, "url": "https://93.184.215.14/hook", "active": True, "format": "ninjs",
                       "prepositioned": False, "secret": None}]


@pytest.mark.parametrize("url", [
    "http://10.0.0.5/hook", "http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://169.254.169.254/latest",
    "http://localhost/hook", "ftp://93.184.215.14/hook", "https://user:pw@93.184.215.14/hook", "not a url",
    "http://192.0.0.192/", "https://[2001:db8::1]/hook", "http://[::ffff:192.0.0.192]/",
])
def test_private_network_and_malformed_urls_are_refused_and_nothing_is_saved(
    api: Callable[[str | None], ApiClient], outlet: Outlet, url: str,
) -> None:
    response = api("wire_admin").post(f"/api/v1/outlets/{outlet.pk}/endpoints", {"url": url})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "outbound_refused"
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(action="webhook.create").exists()


def test_issuers_cannot_manage_endpoints(api: Callable[[str | None], ApiClient], outlet: Outlet) -> None:
    response = api("issuer_admin").post(f"/api/v1/outlets/{outlet.pk}/endpoints", {"url": "https://93.184.215.14/"})
    assert response.status_code == 403
    assert api("issuer_admin").get(f"/api/v1/outlets/{outlet.pk}/endpoints").status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_is_deactivated_with_a_reason(api: Callable[[str | None], ApiClient], outlet: Outlet) -> None:
    client = api("wire_editor")
    endpoint_id = client.post(f"/api/v1/outlets/{outlet.pk}/endpoints",
                              {"url": "https://93.184.215.14/hook"}).json()["id"]
    response = client.post(f"/api/v1/outlets/{outlet.pk}/endpoints/{endpoint_id}/deactivate",
                           {"reason": "outlet closed"})
    assert response.json()["active"] is False
    assert WebhookEndpoint.objects.get().disabled_reason == "outlet closed"
    assert client.post(f"/api/v1/outlets/{outlet.pk + 1}/endpoints/{endpoint_id}/deactivate", {}).status_code == 404


def test_an_endpoint_takes_the_format_it_names(api: Callable[[str | None], ApiClient], outlet: Outlet) -> None:
    created = api("wire_editor").post(f"/api/v1/outlets/{outlet.pk}/endpoints",
                                      {"url": "https://93.184.215.14/hook", "format": "newsml-g2"})
    assert created.status_code == 201, created.content
    assert created.json()["format"] == "newsml-g2"
    assert WebhookEndpoint.objects.get().format == "newsml-g2"


def test_an_endpoint_opts_in_to_encrypted_pre_positioning(
    api: Callable[[str | None], ApiClient], outlet: Outlet,
) -> None:
    client = api("wire_editor")
    created = client.post(f"/api/v1/outlets/{outlet.pk}/endpoints",
                          {"url": "https://93.184.215.14/hook", "prepositioned": True})
    assert created.status_code == 201, created.content
    assert created.json()["prepositioned"] is True
    assert WebhookEndpoint.objects.get().prepositioned is True
    assert client.get(f"/api/v1/outlets/{outlet.pk}/endpoints").json()[0]["prepositioned"] is True


def test_an_unknown_endpoint_format_is_refused_and_nothing_is_saved(
    api: Callable[[str | None], ApiClient], outlet: Outlet,
) -> None:
    response = api("wire_editor").post(f"/api/v1/outlets/{outlet.pk}/endpoints",
                                       {"url": "https://93.184.215.14/hook", "format": "rss"})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "rss" in error["message"]
    assert "nitf" in error["details"]["known"]
    assert not WebhookEndpoint.objects.exists()


def test_an_editor_registers_an_sftp_endpoint_whose_host_key_is_pinned(
    api: Callable[[str | None], ApiClient], outlet: Outlet, drop: SftpServer,
) -> None:
    client = api("wire_editor")
    with override_settings(OUTBOUND_ALLOW_PRIVATE=True):
        created = client.post(f"/api/v1/outlets/{outlet.pk}/sftp-endpoints",
                              {"host": "127.0.0.1", "port": drop.port, "username": "partner", "directory": "in/wire",
                               "kinds": ["press_release"], "format": "nitf", "prepositioned": True})
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["host_key"] == drop.public_host_key
    assert answer["prepositioned"] is True
    assert answer["wire_key"] == ssh.wire_public_key()
    endpoint = SftpEndpoint.objects.get()
    assert (endpoint.directory, endpoint.format, endpoint.port, endpoint.prepositioned) == (
        "in/wire", "nitf", drop.port, True)
    assert Subscription.objects.get(sftp_endpoint=endpoint).kinds == ",press_release,"
    assert client.get(f"/api/v1/outlets/{outlet.pk}/sftp-endpoints").json() == [answer]


@pytest.mark.parametrize(("fields", "where"), [
    ({"host": "10.1.2.3"}, "Refused to connect"),
    ({"host": "169.254.169.254"}, "Refused to connect"),
    ({"port": 70000}, "port"),
    ({"directory": "../etc"}, ".."),
    ({"username": "part\u0000ner"}, "username"),
    ({"format": "pdf"}, "format"),
    ({"sectors": ["no-such-sector"]}, "sector"),
])
def test_a_bad_sftp_endpoint_is_refused_with_a_clear_message_and_nothing_is_saved(
    api: Callable[[str | None], ApiClient], outlet: Outlet, fields: dict[str, object], where: str,
) -> None:
    body = {"host": "93.184.215.14", "port": 22, "username": "partner", **fields}
    answer = api("wire_editor").post(f"/api/v1/outlets/{outlet.pk}/sftp-endpoints", body)
    assert answer.status_code == 422, answer.content
    assert where in json.dumps(answer.json()["error"])
    assert not SftpEndpoint.objects.exists()
    assert not Subscription.objects.exists()


def test_issuers_cannot_register_sftp_endpoints_and_an_unknown_outlet_is_not_found(
    api: Callable[[str | None], ApiClient], outlet: Outlet,
) -> None:
    body = {"host": "93.184.215.14", "username": "partner"}
    assert api("issuer_admin").post(f"/api/v1/outlets/{outlet.pk}/sftp-endpoints", body).status_code == 403
    assert api("wire_editor").post("/api/v1/outlets/999999/sftp-endpoints", body).status_code == 404
    assert not SftpEndpoint.objects.exists()
