"""Organization settings for issuer admins: members and roles, invitations by e-mail through the wire's mail
server, API keys shown once and revoked; closed to members, to the wire's staff and to other organizations."""

from __future__ import annotations

import email
import email.policy
import re
from typing import Any

import pytest
from django.test import Client

from tests.support.email import smtp_server
from wireroom.accounts.models import ApiKey, Membership, Role, User
from wireroom.accounts.selectors import api_key_for_secret
from wireroom.accounts.services import api_key_issue

pytestmark = pytest.mark.django_db


def _client(actor: Membership) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_only_an_issuer_admin_opens_the_organization_settings(actors: dict[str, Membership]) -> None:
    assert Client().get("/workspace/organization/")["Location"].startswith("/accounts/login/")
    assert _client(actors["issuer_member"]).get("/workspace/organization/").status_code == 403
    assert _client(actors["wire_editor"]).get("/workspace/organization/").status_code == 403
    html = _client(actors["issuer_admin"]).get("/workspace/organization/").content.decode()
    assert "<bdi>Nahr Energy</bdi>" in html and "member" in html and "otheradmin" not in html
    for url in ["/workspace/organization/invite/", "/workspace/organization/keys/"]:
        assert _client(actors["issuer_member"]).post(url, {"email": "x@example.com", "name": "x"}).status_code == 403


def test_an_invitation_makes_the_account_and_mails_a_link_that_sets_its_password(
        actors: dict[str, Membership], settings: Any) -> None:
    with smtp_server() as (url, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.split(":")[2].split("?")[0])
        settings.EMAIL_USE_TLS = False
        response = _client(actors["issuer_admin"]).post("/workspace/organization/invite/", {
            "email": "Rania@Nahr.example", "role": "issuer_member"})
    assert response.status_code == 302
    invited = User.objects.get(email="Rania@nahr.example")
    assert not invited.has_usable_password()
    assert Membership.objects.get(user=invited).role == Role.ISSUER_MEMBER
    message = email.message_from_bytes(handler.envelopes[0].content, policy=email.policy.default)
    assert "Nahr Energy" in str(message["Subject"])
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body)
    assert link is not None
    client = Client()
    form_page = client.get(link.group(1), follow=True)
    form_url = form_page.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})
    invited.refresh_from_db()
    assert invited.check_password("a brand new passphrase")


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "not an address", "role": "issuer_member"}, "Enter a valid email address."),
    ({"email": "new@example.com", "role": "wire_admin"}, "Select a valid choice."),
    ({"email": "member@example.com", "role": "issuer_member"}, "already a member"),
])
def test_a_bad_invitation_is_answered_beside_the_field_and_makes_nobody(
        actors: dict[str, Membership], data: dict[str, str], message: str) -> None:
    before = (User.objects.count(), Membership.objects.count())
    response = _client(actors["issuer_admin"]).post("/workspace/organization/invite/", data)
    assert response.status_code == 422
    assert re.search(r'class="field invalid">.*?' + re.escape(message), response.content.decode(), re.S)
    assert (User.objects.count(), Membership.objects.count()) == before


def test_roles_change_but_the_last_admin_stays_and_other_organizations_are_out_of_reach(
        actors: dict[str, Membership]) -> None:
    admin = _client(actors["issuer_admin"])
    member = actors["issuer_member"]
    admin.post(f"/workspace/organization/members/{member.pk}/role/", {"role": "issuer_admin"})
    member.refresh_from_db()
    assert member.role == Role.ISSUER_ADMIN
    admin.post(f"/workspace/organization/members/{member.pk}/role/", {"role": "issuer_member"})
    page = admin.post(f"/workspace/organization/members/{actors['issuer_admin'].pk}/role/",
                      {"role": "issuer_member"}, follow=True).content.decode()
    assert "needs at least one admin" in page
    actors["issuer_admin"].refresh_from_db()
    assert actors["issuer_admin"].role == Role.ISSUER_ADMIN
    other = actors["other_issuer_admin"]
    assert admin.post(f"/workspace/organization/members/{other.pk}/role/", {"role": "issuer_member"}).status_code == 404
    bad = admin.post(f"/workspace/organization/members/{member.pk}/role/", {"role": "wire_admin"}, follow=True)
    assert "Choose one of the listed roles." in bad.content.decode()
    member.refresh_from_db()
    assert member.role == Role.ISSUER_MEMBER


def test_an_api_key_is_shown_once_works_and_is_revoked(actors: dict[str, Membership]) -> None:
    admin = _client(actors["issuer_admin"])
    response = admin.post("/workspace/organization/keys/", {"name": "Newsroom CMS"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    secret = re.search(r'<p class="secret" dir="ltr" id="new-secret">([^<]+)</p>', response.content.decode())
    assert secret is not None
    key = api_key_for_secret(secret=secret.group(1))
    assert key is not None and key.name == "Newsroom CMS"
    page = admin.get("/workspace/organization/").content.decode()
    assert secret.group(1) not in page and f"{key.prefix}…" in page
    assert admin.post("/workspace/organization/keys/", {"name": ""}).status_code == 422
    assert ApiKey.objects.count() == 1
    admin.post(f"/workspace/organization/keys/{key.pk}/revoke/")
    assert api_key_for_secret(secret=secret.group(1)) is None


def test_another_organizations_key_cannot_be_revoked(actors: dict[str, Membership]) -> None:
    theirs = api_key_issue(membership=actors["other_issuer_admin"], name="Theirs")
    response = _client(actors["issuer_admin"]).post(f"/workspace/organization/keys/{theirs.api_key.pk}/revoke/")
    assert response.status_code == 404
    assert api_key_for_secret(secret=theirs.secret) is not None
