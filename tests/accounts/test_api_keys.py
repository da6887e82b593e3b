"""Logins for every role, and API keys issued from the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.support.api import ApiClient
from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.selectors import api_key_for_secret
from wireroom.accounts.services import api_key_touch


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
    key_found = api_key_for_secret(secret=secret)
    assert key_found is not None
    assert key_found.membership == actors["issuer_admin"]
    key = ApiKey.objects.get()
    assert secret not in (key.digest, key.prefix)
    call_command("apikey", "revoke", key.prefix, stdout=StringIO())
    assert api_key_for_secret(secret=secret) is None


@pytest.mark.django_db
def test_looking_a_key_up_writes_nothing(api_key_for: Callable[[str], str]) -> None:
    secret = api_key_for("issuer_member")
    assert api_key_for_secret(secret=secret) is not None
    assert ApiKey.objects.get().last_used_at is None


@pytest.mark.django_db
def test_a_request_with_a_key_records_its_use(api: Callable[[str | None], ApiClient]) -> None:
    before = timezone.now()
    assert api("issuer_member").get("/api/v1/releases").status_code == 200
    used = ApiKey.objects.get().last_used_at
    assert used is not None
    assert used >= before


@pytest.mark.django_db
def test_a_key_use_is_recorded_at_most_once_a_minute(api_key_for: Callable[[str], str]) -> None:
    api_key_for("issuer_member")
    key = ApiKey.objects.get()
    first = timezone.now()
    assert api_key_touch(api_key=key, now=first) is True
    assert api_key_touch(api_key=ApiKey.objects.get(), now=first + dt.timedelta(seconds=59)) is False
    assert ApiKey.objects.get().last_used_at == first
    later = first + dt.timedelta(seconds=61)
    assert api_key_touch(api_key=ApiKey.objects.get(), now=later) is True
    assert ApiKey.objects.get().last_used_at == later


@pytest.mark.django_db
def test_of_two_requests_holding_the_same_stale_key_only_one_records_the_use(
    api_key_for: Callable[[str], str],
) -> None:
    api_key_for("issuer_member")
    first_request, second_request = ApiKey.objects.get(), ApiKey.objects.get()
    moment = timezone.now()
    assert api_key_touch(api_key=first_request, now=moment) is True
    assert api_key_touch(api_key=second_request, now=moment + dt.timedelta(seconds=1)) is False
    assert ApiKey.objects.get().last_used_at == moment
