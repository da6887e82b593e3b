"""The distribution report shows the issuer and editors where every copy went, and nobody else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.releases.models import Release


@pytest.mark.django_db
def test_issuer_and_editors_see_deliveries_by_channel_and_state_and_others_do_not(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    reader = Contact.objects.create(name="Amal", email="amal@example.com", consent=True)
    ContactLanguage.objects.create(contact=reader, language_id="ar", rank=1)
    release = make_release("published")
    Delivery.objects.filter(release=release).update(state="failed", last_error="550 mailbox unavailable")
    url = f"/console/releases/{release.id}/deliveries/"
    assert Client().get(url).status_code == 302  # to the login page
    for role, status in (("issuer_member", 200), ("wire_editor", 200), ("other_issuer_admin", 404)):
        client = Client()
        client.force_login(actors[role].user)
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            html = response.content.decode()
            assert "<td>email</td>" in html
            assert "550 mailbox unavailable" in html
