"""When the wire disables an endpoint, the people behind the outlet's account are e-mailed."""

from __future__ import annotations

from typing import Any

import pytest

from wireroom.accounts.models import Membership, Organization, OrganizationKind, Role, User
from wireroom.distribution.channels.webhook.endpoints import disable_endpoint
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.subscriptions.models import WebhookEndpoint


@pytest.mark.django_db
def test_disabling_an_endpoint_emails_the_outlets_account_members(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any,
) -> None:
    account = Organization.objects.create(name="Gulf Daily", slug="gulf-daily", kind=OrganizationKind.MEDIA_OUTLET)
    user = User.objects.create(username="desk", email="desk@gulf-daily.example")
    Membership.objects.create(user=user, organization=account, role=Role.ISSUER_MEMBER)
    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE",
                                   organization=account)
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url="https://gulf-daily.example/hook",
                                              secrets=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
    with django_capture_on_commit_callbacks(execute=True):
        assert disable_endpoint(endpoint.pk, "410 Gone") is True
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["desk@gulf-daily.example"]
    assert "https://gulf-daily.example/hook" in mailoutbox[0].body
    assert "410 Gone" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert disable_endpoint(endpoint.pk, "410 Gone") is False
    assert len(mailoutbox) == 1, "told once"
