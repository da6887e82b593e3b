"""Saving webhook endpoints: one service for the API and the admin, its SSRF check, and no DNS lookup while the
database's write lock is held."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.subscriptions import services
from wireroom.subscriptions.models import Subscription, WebhookEndpoint


@pytest.fixture
def outlet(db: Any) -> Outlet:
    return Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every host name resolved, with whether a transaction was open then; each resolves to a public address."""
    seen: list[tuple[str, bool]] = []

    def resolve(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        seen.append((host, connection.in_atomic_block))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return seen


@pytest.mark.django_db(transaction=True)
def test_an_endpoint_s_host_is_resolved_before_the_write_transaction_opens(
    outlet: Outlet, actors: dict[str, Membership], lookups: list[tuple[str, bool]],
) -> None:
    created = services.webhook_endpoint_create(outlet=outlet, url="https://ingest.gulfdaily.example/hook",
                                               by=actors["wire_editor"])
    services.webhook_endpoint_update(endpoint=created.endpoint, by=actors["wire_editor"],
                                     url="https://ingest2.gulfdaily.example/hook")
    assert lookups == [("ingest.gulfdaily.example", False), ("ingest2.gulfdaily.example", False)]
    assert WebhookEndpoint.objects.get().url == "https://ingest2.gulfdaily.example/hook"


@pytest.mark.django_db(transaction=True)
def test_the_admin_resolves_an_endpoint_s_host_outside_any_transaction(
    outlet: Outlet, operator: Client, lookups: list[tuple[str, bool]],
) -> None:
    operator.post("/admin/subscriptions/webhookendpoint/add/",
                  {"outlet": outlet.pk, "url": "https://ingest.gulfdaily.example/hook", "max_concurrency": 4})
    assert WebhookEndpoint.objects.get().url == "https://ingest.gulfdaily.example/hook"
    assert lookups and {in_transaction for _host, in_transaction in lookups} == {False}


@pytest.fixture
def operator(actors: dict[str, Membership]) -> Client:
    user = actors["wire_admin"].user
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_an_endpoint_added_in_the_admin_is_made_by_the_service_and_its_secret_shown_once(
    operator: Client, outlet: Outlet,
) -> None:
    response = operator.post("/admin/subscriptions/webhookendpoint/add/",
                             {"outlet": outlet.pk, "url": "https://93.184.215.14/hook", "max_concurrency": 4},
                             follow=True)
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    [secret] = endpoint.secrets
    assert any(secret in str(message) for message in response.context["messages"])
    assert Subscription.objects.filter(endpoint=endpoint, channel="webhook").exists()
    assert AuditEntry.objects.filter(action="webhook.create", target_id=str(endpoint.pk)).exists()


@pytest.mark.parametrize("url", ["http://192.0.0.192/", "http://10.0.0.5/hook", "http://[::1]/hook"])
def test_the_admin_refuses_a_url_the_ssrf_rules_refuse_and_saves_nothing(
    operator: Client, outlet: Outlet, url: str,
) -> None:
    response = operator.post("/admin/subscriptions/webhookendpoint/add/",
                             {"outlet": outlet.pk, "url": url, "max_concurrency": 4})
    assert response.status_code == 200  # the form again, with the reason
    assert "Refused to connect" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_changing_an_endpoint_s_url_in_the_admin_is_checked_too(
    operator: Client, outlet: Outlet, actors: dict[str, Membership],
) -> None:
    endpoint = services.webhook_endpoint_create(outlet=outlet, url="https://93.184.215.14/hook",
                                                by=actors["wire_admin"]).endpoint
    page = f"/admin/subscriptions/webhookendpoint/{endpoint.pk}/change/"
    refused = operator.post(page, {"url": "http://192.0.0.192/", "max_concurrency": 4, "active": "on"})
    assert "Refused to connect" in refused.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/hook"
    operator.post(page, {"url": "https://93.184.215.15/hook", "max_concurrency": 2, "active": "on"})
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.max_concurrency) == ("https://93.184.215.15/hook", 2)
    assert AuditEntry.objects.filter(action="webhook.update", target_id=str(endpoint.pk)).exists()


def test_an_endpoint_disabled_by_the_worker_is_enabled_again_in_the_admin(
    operator: Client, outlet: Outlet, actors: dict[str, Membership],
) -> None:
    endpoint = services.webhook_endpoint_create(outlet=outlet, url="https://93.184.215.14/hook",
                                                by=actors["wire_admin"]).endpoint
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False, disabled_reason="410 Gone")
    operator.post(f"/admin/subscriptions/webhookendpoint/{endpoint.pk}/change/",
                  {"url": endpoint.url, "max_concurrency": 4, "active": "on"})
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_reason) == (True, "")


def test_a_user_who_is_not_wire_staff_cannot_add_endpoints_in_the_admin(outlet: Outlet, db: Any) -> None:
    from wireroom.accounts.models import User

    client = Client()
    client.force_login(User.objects.create(username="clerk", is_staff=True, is_superuser=True))
    response = client.post("/admin/subscriptions/webhookendpoint/add/",
                           {"outlet": outlet.pk, "url": "https://93.184.215.14/hook", "max_concurrency": 4})
    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_shows_the_service_s_other_refusals_on_the_form_and_saves_nothing(
    operator: Client, outlet: Outlet, actors: dict[str, Membership],
) -> None:
    added = operator.post("/admin/subscriptions/webhookendpoint/add/",
                          {"outlet": outlet.pk, "url": "https://93.184.215.14/hook", "max_concurrency": 100})
    assert "max_concurrency must be between 1 and 64." in added.content.decode()
    assert not WebhookEndpoint.objects.exists()
    endpoint = services.webhook_endpoint_create(outlet=outlet, url="https://93.184.215.14/hook",
                                                by=actors["wire_admin"]).endpoint
    changed = operator.post(f"/admin/subscriptions/webhookendpoint/{endpoint.pk}/change/",
                            {"url": endpoint.url, "max_concurrency": 0, "active": "on"})
    assert "max_concurrency must be between 1 and 64." in changed.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.max_concurrency == 4
