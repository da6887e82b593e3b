"""An outlet's endpoints in the console: health from the ledger, disabling and enabling through the subscriptions
services (audited), and failed deliveries sent again through the ledger's replay."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.email import smtp_server
from wireroom.accounts.models import Membership, Organization, OrganizationKind, Role
from wireroom.audit.models import AuditEntry
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases.models import Release
from wireroom.subscriptions.models import SftpEndpoint, WebhookEndpoint


def _client(actors: dict[str, Membership], role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(actors[role].user)
    return client


@pytest.fixture
def endpoint(db: None) -> WebhookEndpoint:
    outlet = Outlet.objects.create(name="Terminal One", type=OutletType.TERMINAL_PARTNER, country_id="GB")
    return WebhookEndpoint.objects.create(outlet=outlet, url="https://hooks.terminal-one.example/wire",
                                          secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])


def _delivery(release: Release, endpoint: WebhookEndpoint, state: str, n: int) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(release=release, version=release.version, action="publish", channel="webhook",
                                   recipient_key=f"webhook:{endpoint.pk}:{n}", endpoint=endpoint, language="en",
                                   state=state, next_attempt_at=now, created_at=now,
                                   delivered_at=now if state == DeliveryState.DELIVERED else None)


@pytest.mark.django_db
def test_an_outlets_page_shows_each_endpoints_health_and_replays_its_failed_deliveries(
        actors: dict[str, Membership], endpoint: WebhookEndpoint, make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    _delivery(release, endpoint, DeliveryState.DELIVERED, 1)
    failed = [_delivery(release, endpoint, DeliveryState.FAILED, n) for n in (2, 3)]
    staff = _client(actors, "wire_editor")
    html = staff.get(f"/console/outlets/{endpoint.outlet_id}/").content.decode()
    row = html[html.index("hooks.terminal-one.example"):]
    row = row[:row.index("</tr>")]
    assert "healthy" in row and "<td>2</td>" in row and "never" not in row
    replay_url = f"/console/endpoints/webhook/{endpoint.pk}/replay/"
    assert _client(actors, None).post(replay_url).status_code == 302
    assert _client(actors, "issuer_admin").post(replay_url).status_code == 403
    assert set(Delivery.objects.filter(pk__in=[d.pk for d in failed]).values_list("state", flat=True)) == {"failed"}
    done = staff.post(replay_url, follow=True).content.decode()
    assert "2 failed deliveries queued again" in done
    assert set(Delivery.objects.filter(pk__in=[d.pk for d in failed]).values_list("state", flat=True)) == {
        DeliveryState.PENDING}


@pytest.mark.django_db
def test_a_webhook_endpoint_is_disabled_and_enabled_again_each_change_audited(
        actors: dict[str, Membership], endpoint: WebhookEndpoint) -> None:
    url = f"/console/endpoints/webhook/{endpoint.pk}/active/"
    assert _client(actors, None).post(url, {"active": "false"}).status_code == 302
    assert _client(actors, "issuer_admin").post(url, {"active": "false"}).status_code == 403
    staff = _client(actors, "wire_admin")
    staff.post(url, {"active": "maybe"})
    endpoint.refresh_from_db()
    assert endpoint.active and not AuditEntry.objects.exists()
    staff.post(url, {"active": "false", "reason": "Partner asked for a pause"})
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_reason == "Partner asked for a pause"
    assert "Partner asked for a pause" in staff.get(f"/console/outlets/{endpoint.outlet_id}/").content.decode()
    staff.post(url, {"active": "true"})
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_reason == ""
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "webhook.deactivate", "webhook.update"]
    assert staff.post("/console/endpoints/webhook/999/active/", {"active": "true"}).status_code == 404
    assert staff.post("/console/endpoints/ftp/1/replay/").status_code == 404


@pytest.mark.django_db
def test_an_sftp_endpoint_is_disabled_and_enabled_in_the_console_each_change_audited(
        actors: dict[str, Membership], endpoint: WebhookEndpoint) -> None:
    sftp = SftpEndpoint.objects.create(outlet=endpoint.outlet, host="sftp.terminal-one.example", username="wire",
                                       host_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfTheServer")
    url = f"/console/endpoints/sftp/{sftp.pk}/active/"
    assert _client(actors, None).post(url, {"active": "false"}).status_code == 302
    assert _client(actors, "issuer_admin").post(url, {"active": "false"}).status_code == 403
    staff = _client(actors, "wire_editor")
    page = staff.get(f"/console/outlets/{endpoint.outlet_id}/").content.decode()
    assert f'action="/console/endpoints/sftp/{sftp.pk}/active/"' in page
    staff.post(url, {"active": "false", "reason": "Server moving"})
    sftp.refresh_from_db()
    assert not sftp.active and sftp.disabled_reason == "Server moving" and sftp.disabled_at is not None
    staff.post(url, {"active": "true"})
    sftp.refresh_from_db()
    assert sftp.active and sftp.disabled_reason == "" and sftp.disabled_at is None
    assert list(AuditEntry.objects.filter(target_id=str(sftp.pk)).order_by("pk").values_list(
        "action", "actor_id")) == [("sftp.disable", actors["wire_editor"].user_id),
                                   ("sftp.enable", actors["wire_editor"].user_id)]
    assert staff.post("/console/endpoints/sftp/999/active/", {"active": "false"}).status_code == 404


@pytest.mark.django_db
def test_a_replay_from_the_console_is_audited_with_who_asked_and_what_it_did(
        actors: dict[str, Membership], endpoint: WebhookEndpoint, make_release: Callable[..., Release]) -> None:
    release = make_release("published")
    for n in (1, 2, 3):
        _delivery(release, endpoint, DeliveryState.FAILED, n)
    _client(actors, "wire_admin").post(f"/console/endpoints/webhook/{endpoint.pk}/replay/")
    entry = AuditEntry.objects.get(action="delivery.replay")
    assert entry.actor_id == actors["wire_admin"].user_id and entry.target_id == str(endpoint.pk)
    assert entry.data == {"kind": "webhook", "failed": 3, "queued": 3, "withdrawn": 0, "superseded": 0}


@pytest.mark.django_db
def test_an_outlets_first_member_is_invited_from_the_console_which_makes_and_links_its_organization(
        actors: dict[str, Membership], endpoint: WebhookEndpoint, settings: Any) -> None:
    outlet = endpoint.outlet
    url = f"/console/outlets/{outlet.pk}/invite/"
    assert _client(actors, None).post(url, {"email": "desk@terminal-one.example"}).status_code == 302
    assert _client(actors, "issuer_admin").post(url, {"email": "desk@terminal-one.example"}).status_code == 403
    staff = _client(actors, "wire_editor")
    assert staff.post("/console/outlets/999999/invite/", {"email": "desk@terminal-one.example"}).status_code == 404
    refused = staff.post(url, {"email": "not an address"})
    assert refused.status_code == 400 and "Give the e-mail address" in refused.content.decode()
    outlet.refresh_from_db()
    assert outlet.organization_id is None and not Organization.objects.filter(slug__startswith="terminal").exists()

    with smtp_server() as (smtp_url, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(smtp_url.split(":")[2].split("?")[0])
        settings.EMAIL_USE_TLS = False
        assert staff.post(url, {"email": "desk@terminal-one.example"}).status_code == 302
    outlet.refresh_from_db()
    assert outlet.organization is not None and outlet.organization.kind == OrganizationKind.TERMINAL_PARTNER
    invited = Membership.objects.get(organization=outlet.organization)
    assert invited.role == Role.OUTLET_MEMBER and invited.user.email == "desk@terminal-one.example"
    message = email.message_from_bytes(handler.envelopes[0].content, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "receives releases" in body and "/accounts/password/reset/" in body
    again = staff.post(url, {"email": "desk@terminal-one.example"})
    assert again.status_code == 400 and "already a member" in again.content.decode()
    assert "desk@terminal-one.example" in staff.get(f"/console/outlets/{outlet.pk}/").content.decode()
    assert Organization.objects.filter(kind=OrganizationKind.TERMINAL_PARTNER).count() == 1


@pytest.mark.django_db
def test_wire_staff_turn_pre_positioning_on_and_off_for_a_webhook_and_an_sftp_endpoint_each_change_audited(
        actors: dict[str, Membership], endpoint: WebhookEndpoint) -> None:
    sftp = SftpEndpoint.objects.create(outlet=endpoint.outlet, host="sftp.terminal-one.example", username="wire",
                                       host_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfTheServer")
    page_url = f"/console/outlets/{endpoint.outlet_id}/"
    for kind, target in (("webhook", endpoint), ("sftp", sftp)):
        url = f"/console/endpoints/{kind}/{target.pk}/prepositioned/"
        assert _client(actors, None).post(url, {"prepositioned": "true"}).status_code == 302
        for role in ("issuer_admin", "issuer_member"):
            assert _client(actors, role).post(url, {"prepositioned": "true"}).status_code == 403
        # The console's forms carry Django's CSRF token: a post without it is refused, one with the page's goes.
        staff = Client(enforce_csrf_checks=True)
        staff.force_login(actors["wire_editor"].user)
        assert staff.post(url, {"prepositioned": "true"}).status_code == 403
        page = staff.get(page_url).content.decode()
        assert f'action="{url}"' in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        audited = AuditEntry.objects.filter(target_id=str(target.pk), action__startswith=f"{kind}.")
        staff.post(url, {"prepositioned": "maybe", "csrfmiddlewaretoken": token[1]})
        target.refresh_from_db()
        assert not target.prepositioned and not audited.exists()
        done = staff.post(url, {"prepositioned": "true", "csrfmiddlewaretoken": token[1]}, follow=True,
                          HTTP_ACCEPT_LANGUAGE="fr")
        target.refresh_from_db()
        shown = done.content.decode()
        assert target.prepositioned and "Pré-positionnement activé" in shown
        assert "Arrêter le pré-positionnement" in shown
        staff.post(url, {"prepositioned": "true", "csrfmiddlewaretoken": token[1]})  # already on: nothing to audit
        staff.post(url, {"prepositioned": "false", "csrfmiddlewaretoken": token[1]})
        target.refresh_from_db()
        assert not target.prepositioned
        assert list(audited.order_by("pk").values_list("action", "actor_id", "data")) == [
            (f"{kind}.prepositioned", actors["wire_editor"].user_id, {"prepositioned": True}),
            (f"{kind}.prepositioned", actors["wire_editor"].user_id, {"prepositioned": False})]
    assert _client(actors, "wire_admin").post("/console/endpoints/webhook/999/prepositioned/",
                                              {"prepositioned": "true"}).status_code == 404
