"""The connections page of outlets and terminal partners: who may open it, what a member sees and changes of their
own outlet only, the SSRF check beside the field, test events signed as Standard Webhooks describes during and after
a rotation, and read-only API keys made on the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.support.api import ApiClient
from tests.support.factories import member, outlet_with_member
from tests.support.http import sink_in_thread
from wireroom.accounts.models import ApiKey, Membership, Organization, OrganizationKind, Role
from wireroom.accounts.navigation import home_path
from wireroom.accounts.services import membership_create
from wireroom.audit.models import AuditEntry
from wireroom.distribution.channels.webhook.endpoints import load_endpoints
from wireroom.distribution.channels.webhook.signing import decode_secret
from wireroom.lib.errors import InvalidInput, NotAllowed
from wireroom.mediadb.models import Outlet
from wireroom.releases.models import Release
from wireroom.subscriptions import services
from wireroom.subscriptions.models import SftpEndpoint, Subscription, WebhookEndpoint

PUBLIC_URL = "https://93.184.215.14/hook"


@pytest.fixture
def gulf(db: None) -> tuple[Outlet, Membership]:
    return outlet_with_member("Gulf Daily", "gulfdesk")


@pytest.fixture
def rival(db: None) -> tuple[Outlet, Membership]:
    return outlet_with_member("Terminal One", "terminalone", country="GB")


def _signed_in(membership: Membership | None) -> Client:
    client = Client()
    if membership is not None:
        client.force_login(membership.user)
    return client


def _endpoint(outlet: Outlet, by: Membership, url: str = PUBLIC_URL) -> WebhookEndpoint:
    return services.webhook_endpoint_create(outlet=outlet, url=url, by=by).endpoint


def _paths(endpoint: WebhookEndpoint, key: ApiKey) -> list[str]:
    return [f"/connect/endpoints/webhook/{endpoint.pk}/test/", f"/connect/endpoints/webhook/{endpoint.pk}/rotate/",
            f"/connect/endpoints/webhook/{endpoint.pk}/filters/", f"/connect/keys/{key.pk}/revoke/",
            "/connect/endpoints/", "/connect/keys/"]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_other_roles_are_refused(
        gulf: tuple[Outlet, Membership], actors: dict[str, Membership]) -> None:
    outlet, member = gulf
    endpoint = _endpoint(outlet, member)
    key = ApiKey.objects.create(membership=member, name="feed reader", prefix="wr_x", digest="0" * 64)
    anonymous = _signed_in(None)
    response = anonymous.get("/connect/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert {anonymous.post(path).status_code for path in _paths(endpoint, key)} == {302}
    for role in ("issuer_admin", "wire_editor", "issuer_member"):
        other = _signed_in(actors[role])
        assert other.get("/connect/").status_code == 403
        assert {other.post(path).status_code for path in _paths(endpoint, key)} == {403}
    assert WebhookEndpoint.objects.get().secrets == endpoint.secrets and key.revoked_at is None


@pytest.mark.django_db
def test_a_member_lands_on_the_connections_page_and_another_outlets_ids_are_missing(
        gulf: tuple[Outlet, Membership], rival: tuple[Outlet, Membership]) -> None:
    outlet, member = gulf
    rival_outlet, rival_member = rival
    assert home_path(user=member.user, memberships=[member]) == "/connect/"
    mine = _endpoint(outlet, member)
    theirs = _endpoint(rival_outlet, rival_member, url="https://93.184.215.15/theirs")
    their_sftp = SftpEndpoint.objects.create(outlet=rival_outlet, host="sftp.terminal-one.example", username="wire",
                                             host_key="ssh-ed25519 AAAA")
    their_key = ApiKey.objects.create(membership=rival_member, name="theirs", prefix="wr_y", digest="1" * 64)
    client = _signed_in(member)
    page = client.get("/connect/").content.decode()
    assert "93.184.215.14/hook" in page and "theirs" not in page and "terminal-one" not in page
    assert 'href="/connect/"' in page, "the navigation names the area"
    before = list(WebhookEndpoint.objects.order_by("pk").values_list("secrets", flat=True))
    for path in [*_paths(theirs, their_key)[:4], f"/connect/endpoints/sftp/{their_sftp.pk}/filters/",
                 "/connect/endpoints/ftp/1/filters/", "/connect/endpoints/webhook/999999/test/"]:
        assert client.post(path, {"grace": "24", f"webhook-{theirs.pk}-format": "ninjs"}).status_code == 404, path
    assert list(WebhookEndpoint.objects.order_by("pk").values_list("secrets", flat=True)) == before
    assert ApiKey.objects.get(pk=their_key.pk).revoked_at is None
    assert mine.pk != theirs.pk


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["http://10.0.0.5/hook", "http://192.168.1.20/hook", "http://169.254.169.254/"])
def test_an_address_on_a_private_network_is_refused_with_a_message_beside_the_field_and_nothing_is_saved(
        gulf: tuple[Outlet, Membership], url: str) -> None:
    _outlet, member = gulf
    response = _signed_in(member).post("/connect/endpoints/", {"url": url, "format": "ninjs"})
    assert response.status_code == 422
    page = response.content.decode()
    error = re.search(r'<span class="field-error" id="id_url-error">([^<]*)</span>', page)
    assert error is not None and "The wire may not send to this address: Refused to connect" in error.group(1)
    assert not WebhookEndpoint.objects.exists() and not Subscription.objects.exists()
    assert not AuditEntry.objects.filter(action="webhook.create").exists()


@pytest.mark.django_db
def test_an_added_endpoint_takes_the_chosen_filters_and_format_and_its_secret_is_shown_once(
        gulf: tuple[Outlet, Membership]) -> None:
    _outlet, member = gulf
    client = _signed_in(member)
    response = client.post("/connect/endpoints/", {
        "url": PUBLIC_URL, "format": "newsml-g2", "sectors": ["energy", "healthcare"], "languages": ["ar", "en"],
        "countries": ["AE", "SA"]})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get()
    [secret] = endpoint.secrets
    assert secret in response.content.decode()
    assert endpoint.format == "newsml-g2"
    subscription = Subscription.objects.get(endpoint=endpoint)
    assert sorted(subscription.sectors.values_list("slug", flat=True)) == ["energy", "healthcare"]
    assert sorted(subscription.languages.values_list("code", flat=True)) == ["ar", "en"]
    assert sorted(subscription.countries.values_list("code", flat=True)) == ["AE", "SA"]
    assert secret not in client.get("/connect/").content.decode()
    entry = AuditEntry.objects.get(action="webhook.create")
    assert entry.actor_id == member.user_id


@pytest.mark.django_db
def test_filters_and_format_are_changed_and_bad_choices_are_refused_without_a_change(
        gulf: tuple[Outlet, Membership]) -> None:
    outlet, member = gulf
    endpoint = _endpoint(outlet, member)
    client = _signed_in(member)
    path = f"/connect/endpoints/webhook/{endpoint.pk}/filters/"
    prefix = f"webhook-{endpoint.pk}"
    saved = client.post(path, {f"{prefix}-format": "nitf", f"{prefix}-sectors": ["energy"],
                               f"{prefix}-languages": ["ja"], f"{prefix}-countries": ["JP"]})
    assert saved.status_code == 302
    endpoint.refresh_from_db()
    subscription = Subscription.objects.get(endpoint=endpoint)
    assert endpoint.format == "nitf"
    assert list(subscription.sectors.values_list("slug", flat=True)) == ["energy"]
    for bad in ({f"{prefix}-format": "docx"}, {f"{prefix}-format": "ninjs", f"{prefix}-sectors": ["no-such"]},
                {f"{prefix}-format": "ninjs", f"{prefix}-countries": ["XX"]}, {}):
        refused = client.post(path, bad)
        assert refused.status_code == 422, bad
        assert "field-error" in refused.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.format == "nitf"
    assert list(subscription.languages.values_list("code", flat=True)) == ["ja"]
    assert client.post("/connect/endpoints/", {"url": "", "format": "ninjs"}).status_code == 422
    assert client.post("/connect/endpoints/", {"url": "ftp://93.184.215.14/", "format": "ninjs"}).status_code == 422
    assert client.post(f"/connect/endpoints/webhook/{endpoint.pk}/rotate/", {"grace": "5000"}).status_code == 422
    assert client.post("/connect/keys/", {"name": ""}).status_code == 422
    assert WebhookEndpoint.objects.count() == 1 and not ApiKey.objects.exists()


def _verifies(secret: str, body: bytes, headers: dict[str, str]) -> bool:
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


@pytest.mark.django_db
def test_a_test_event_carries_both_signatures_during_a_rotations_grace_and_only_the_new_one_after(
        gulf: tuple[Outlet, Membership], settings: Any) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    outlet, member = gulf
    client = _signed_in(member)
    with sink_in_thread() as sink:
        endpoint = _endpoint(outlet, member, url=sink.url("/hook"))
        [old] = endpoint.secrets
        rotated = client.post(f"/connect/endpoints/webhook/{endpoint.pk}/rotate/", {"grace": "24"})
        assert rotated.status_code == 200 and rotated["Cache-Control"] == "no-store"
        endpoint.refresh_from_db()
        assert endpoint.secrets[0] == old and len(endpoint.secrets) == 2
        new = endpoint.secrets[1]
        assert new in rotated.content.decode() and old not in rotated.content.decode()
        assert "both the old and the new secret sign every event" in rotated.content.decode()

        done = client.post(f"/connect/endpoints/webhook/{endpoint.pk}/test/", follow=True)
        assert "The test event was delivered: HTTP 200." in done.content.decode()
        [during] = sink.to("/hook")
        assert during.headers["webhook-signature"].count("v1,") == 2
        assert _verifies(old, during.body, during.headers) and _verifies(new, during.body, during.headers)
        assert b'"type":"wireroom.test"' in during.body

        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secrets_retire_at=timezone.now() - dt.timedelta(seconds=1))
        client.post(f"/connect/endpoints/webhook/{endpoint.pk}/test/")
        after = sink.to("/hook")[1]
        assert after.headers["webhook-signature"].count("v1,") == 1
        assert _verifies(new, after.body, after.headers) and not _verifies(old, after.body, after.headers)
    endpoint.refresh_from_db()
    assert endpoint.last_test_ok and endpoint.last_test_result == "HTTP 200" and endpoint.last_test_at is not None
    assert list(AuditEntry.objects.filter(target_id=str(endpoint.pk)).order_by("pk").values_list(
        "action", flat=True)) == ["webhook.create", "webhook.rotate", "webhook.test", "webhook.test"]


@pytest.mark.django_db
def test_a_failed_test_event_shows_what_the_receiver_answered(
        gulf: tuple[Outlet, Membership], settings: Any) -> None:
    settings.OUTBOUND_ALLOW_PRIVATE = True
    outlet, member = gulf
    with sink_in_thread() as sink:
        from tests.support.http import Answer

        sink.answer("/down", Answer(status=503, body="maintenance"))
        endpoint = _endpoint(outlet, member, url=sink.url("/down"))
        page = _signed_in(member).post(f"/connect/endpoints/webhook/{endpoint.pk}/test/", follow=True)
    assert "The test event was not delivered: HTTP 503" in page.content.decode()
    endpoint.refresh_from_db()
    assert not endpoint.last_test_ok and endpoint.last_test_result == "HTTP 503"


@pytest.mark.django_db
def test_a_key_made_on_the_page_reads_published_releases_only_writes_nothing_and_is_revoked(
        gulf: tuple[Outlet, Membership], make_release: Callable[..., Release]) -> None:
    _outlet, member = gulf
    published = make_release("published")
    draft = make_release("draft")
    client = _signed_in(member)
    made = client.post("/connect/keys/", {"name": "newsroom CMS"})
    assert made.status_code == 201 and made["Cache-Control"] == "no-store"
    found = re.search(r'id="new-key">(wr_[^<]+)<', made.content.decode())
    assert found is not None
    api = ApiClient(found.group(1))
    listed = api.get("/api/v1/releases")
    assert listed.status_code == 200
    ids = {item["uri"].rsplit(":", 1)[1] for item in listed.json()["items"]}
    assert str(published.pk) in ids and str(draft.pk) not in ids
    assert api.get(f"/api/v1/releases/{draft.pk}").status_code == 404
    assert api.post("/api/v1/releases", {"original_language": "en", "localizations": [
        {"language": "en", "headline": "Not ours to send", "body_html": "<p>No.</p>"}]}).status_code == 403
    assert api.post(f"/api/v1/releases/{published.pk}/withdraw", {"reason": "Not ours."}).status_code == 404
    assert api.post("/api/v1/outlets/1/endpoints", {"url": PUBLIC_URL}).status_code == 403
    key = ApiKey.objects.get()
    assert client.post(f"/connect/keys/{key.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/releases").status_code == 401


@pytest.mark.django_db
def test_deliveries_sign_with_both_secrets_during_the_grace_and_a_second_rotation_keeps_only_the_newest(
        gulf: tuple[Outlet, Membership]) -> None:
    outlet, member = gulf
    endpoint = _endpoint(outlet, member)
    [first] = endpoint.secrets
    moment = timezone.now()
    second = services.webhook_endpoint_rotate_secret(endpoint=endpoint, by=member, grace=dt.timedelta(hours=1),
                                                     now=moment)
    assert len(load_endpoints([endpoint.pk], now=moment + dt.timedelta(minutes=59))[endpoint.pk].keys) == 2
    [after] = load_endpoints([endpoint.pk], now=moment + dt.timedelta(hours=1))[endpoint.pk].keys
    assert after == decode_secret(second)
    third = services.webhook_endpoint_rotate_secret(endpoint=endpoint, by=member, now=moment)
    endpoint.refresh_from_db()
    assert endpoint.secrets == [second, third] and first not in endpoint.secrets
    with pytest.raises(InvalidInput):
        services.webhook_endpoint_rotate_secret(endpoint=endpoint, by=member, grace=dt.timedelta(days=8))
    _rival_outlet, rival_member = outlet_with_member("Terminal One", "terminalone", country="GB")
    with pytest.raises(NotAllowed):
        services.webhook_endpoint_rotate_secret(endpoint=endpoint, by=rival_member)
    endpoint.refresh_from_db()
    assert endpoint.secrets == [second, third]


@pytest.mark.django_db
def test_a_member_whose_organization_has_no_outlet_yet_is_told_so_and_can_add_nothing(db: None) -> None:
    organization = Organization.objects.create(name="Unlinked Daily", slug="unlinked",
                                               kind=OrganizationKind.MEDIA_OUTLET)
    lonely = member(organization, "lonely", Role.OUTLET_MEMBER)
    client = _signed_in(lonely)
    page = client.get("/connect/")
    assert page.status_code == 200 and "No outlet is linked to your organization yet" in page.content.decode()
    assert client.post("/connect/endpoints/", {"url": PUBLIC_URL, "format": "ninjs"}).status_code == 404
    assert not WebhookEndpoint.objects.exists()
    with pytest.raises(InvalidInput):
        membership_create(user=lonely.user, organization=Organization.objects.create(
            name="Nahr", slug="nahr", kind=OrganizationKind.ISSUER), role=Role.OUTLET_MEMBER)


@pytest.mark.django_db
def test_a_partner_sees_its_sftp_drop_and_picks_its_filters_and_format(db: None) -> None:
    outlet, partner = outlet_with_member("Terminal One", "terminalone", kind=OrganizationKind.TERMINAL_PARTNER,
                                         country="GB")
    drop = SftpEndpoint.objects.create(outlet=outlet, host="sftp.terminal-one.example", username="wire",
                                       host_key="ssh-ed25519 AAAA")
    client = _signed_in(partner)
    assert "sftp.terminal-one.example" in client.get("/connect/").content.decode()
    prefix = f"sftp-{drop.pk}"
    saved = client.post(f"/connect/endpoints/sftp/{drop.pk}/filters/", {
        f"{prefix}-format": "newsml-g2", f"{prefix}-countries": ["GB", "DE"]})
    assert saved.status_code == 302
    drop.refresh_from_db()
    subscription = Subscription.objects.get(sftp_endpoint=drop)
    assert drop.format == "newsml-g2" and subscription.channel == "sftp"
    assert sorted(subscription.countries.values_list("code", flat=True)) == ["DE", "GB"]
    assert AuditEntry.objects.get(action="endpoint.filters").actor_id == partner.user_id
