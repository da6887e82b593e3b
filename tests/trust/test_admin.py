"""Issuers' keys in the admin: registered and revoked through the trust services, refused with a reason."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.signing import kid_of, new_key, public_pem
from wireroom.accounts.models import Membership, Organization, User
from wireroom.audit.models import AuditEntry
from wireroom.trust.models import IssuerKey, SigningPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(actors: dict[str, Membership]) -> Client:
    user = actors["wire_admin"].user
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_a_key_added_in_the_admin_is_registered_by_the_service_and_revoked_by_the_action(
        operator: Client, issuer_org: Organization) -> None:
    key = new_key()
    added = operator.post("/admin/trust/issuerkey/add/",
                          {"organization": issuer_org.pk, "label": "2026", "key": public_pem(key)})
    assert added.status_code == 302
    stored = IssuerKey.objects.get()
    assert (stored.kid, stored.organization, stored.revoked_at) == (kid_of(key), issuer_org, None)

    again = operator.post("/admin/trust/issuerkey/add/",
                          {"organization": issuer_org.pk, "label": "", "key": key.export_public()})
    assert again.status_code == 200
    assert "registered already" in again.content.decode()

    operator.post("/admin/trust/issuerkey/", {"action": "revoke", "_selected_action": [stored.pk]})
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["trust.key_register", "trust.key_revoke"]

    operator.post("/admin/trust/signingpolicy/add/", {"organization": issuer_org.pk, "require_signatures": "on"})
    assert SigningPolicy.objects.get(organization=issuer_org).require_signatures


def test_a_superuser_who_is_not_wire_staff_cannot_add_keys(issuer_org: Organization) -> None:
    client = Client()
    client.force_login(User.objects.create(username="clerk", is_staff=True, is_superuser=True))
    refused = client.post("/admin/trust/issuerkey/add/",
                          {"organization": issuer_org.pk, "key": public_pem(new_key())})
    assert refused.status_code == 403
    assert not IssuerKey.objects.exists()
