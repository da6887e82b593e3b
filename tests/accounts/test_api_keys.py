"""Logins for every role, and API keys issued from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.selectors import membership_for_api_key


@pytest.mark.django_db
def test_issuers_and_editors_sign_in_on_the_newsroom_login_page(actors: dict[str, Membership]) -> None:
    user = actors["issuer_member"].user
    user.set_password("a long demo password")
    user.save()
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": user.username, "password": "a long demo password"})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_apikey_command_issues_a_working_key_once_and_revokes_it(actors: dict[str, Membership]) -> None:
    out = StringIO()
    call_command("apikey", "issue", "--user", "issueradmin", "--org", "nahr-energy", "--name", "CMS", stdout=out)
    secret = out.getvalue().strip()
    assert membership_for_api_key(secret) == actors["issuer_admin"]
    key = ApiKey.objects.get()
    assert secret not in (key.digest, key.prefix)
    call_command("apikey", "revoke", key.prefix, stdout=StringIO())
    assert membership_for_api_key(secret) is None
