"""Organization settings for issuer admins: members and roles, invitations by e-mail through the wire's mail
server, API keys shown once and revoked; closed to members, to the wire's staff and to other organizations."""

from __future__ import annotations

import email
import email.policy
import re
import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from tests.support.email import smtp_server
from wireroom.accounts.invitations import SALT, invitation_from_token
from wireroom.accounts.models import ApiKey, Invitation, Membership, Role, User
from wireroom.accounts.selectors import api_key_for_secret
from wireroom.accounts.services import api_key_issue, member_invite
from wireroom.audit.models import AuditEntry

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


def test_inviting_an_existing_account_changes_nothing_until_its_owner_signs_in_and_accepts(
        actors: dict[str, Membership], settings: Any) -> None:
    invited = actors["other_issuer_admin"].user  # an account already, a member of another organization
    organization = actors["issuer_admin"].organization
    with smtp_server() as (url, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.split(":")[2].split("?")[0])
        settings.EMAIL_USE_TLS = False
        response = _client(actors["issuer_admin"]).post("/workspace/organization/invite/", {
            "email": "OtherAdmin@example.com", "role": "issuer_admin"})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=invited, organization=organization).exists()
    invitation = Invitation.objects.get(user=invited)
    assert invitation.accepted_at is None and invitation.role == Role.ISSUER_ADMIN
    message = email.message_from_bytes(handler.envelopes[0].content, policy=email.policy.default)
    assert handler.envelopes[0].rcpt_tos == ["otheradmin@example.com"]
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Nothing changes until you accept" in body and "/accounts/password/" not in body
    found = re.search(r"https?://[^/\s]+(/accounts/invitations/\S+/)", body)
    assert found is not None
    link = found.group(1)

    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=")
    stranger = _client(actors["issuer_member"])
    for answer in (stranger.get(link), stranger.post(link)):
        assert answer.status_code == 403 and "for another account" in answer.content.decode()
        assert "Nahr Energy" not in answer.content.decode().split("<main", 1)[-1]
    altered = _client(actors["other_issuer_admin"]).post(link.replace("/invitations/", "/invitations/x"))
    assert altered.status_code == 400 and "not valid, or it has expired" in altered.content.decode()
    assert not Membership.objects.filter(user=invited, organization=organization).exists()

    owner = _client(actors["other_issuer_admin"])
    page = owner.get(link).content.decode()
    assert "invited you to join" in page and "Nahr Energy" in page and "Accept the invitation" in page
    assert not Membership.objects.filter(user=invited, organization=organization).exists()
    accepted = owner.post(link)
    assert accepted.status_code == 302
    assert Membership.objects.get(user=invited, organization=organization).role == Role.ISSUER_ADMIN
    assert AuditEntry.objects.filter(action="membership.accept", actor=invited).count() == 1
    again = owner.post(link)
    assert again.status_code == 409 and "already accepted" in again.content.decode()
    assert Membership.objects.filter(user=invited, organization=organization).count() == 1


def test_an_invitation_link_too_old_is_refused_and_adds_nobody(actors: dict[str, Membership]) -> None:
    invited = actors["other_issuer_admin"]
    organization = actors["issuer_admin"].organization
    outcome = member_invite(organization=organization, email=invited.user.email, role=Role.ISSUER_MEMBER,
                            by=actors["issuer_admin"])
    assert outcome.invitation is not None and outcome.membership is None
    signer = signing.TimestampSigner(salt=SALT)
    old = signer.sign_object(outcome.invitation.pk, compress=False)
    # The same signature, but made fifteen days ago: the signer's clock is the only thing that differs.
    stale = signing.TimestampSigner(salt=SALT)
    stale.timestamp = lambda: signing.b62_encode(int(time.time()) - 15 * 24 * 3600)  # type: ignore[method-assign]
    token = stale.sign_object(outcome.invitation.pk, compress=False)
    assert invitation_from_token(old) == outcome.invitation.pk
    response = _client(invited).post(f"/accounts/invitations/{token}/")
    assert response.status_code == 400 and "not valid, or it has expired" in response.content.decode()
    assert not Membership.objects.filter(user=invited.user, organization=organization).exists()


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
    secret = re.search(r'<p class="secret" dir="ltr" id="new-key">([^<]+)</p>', response.content.decode())
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
