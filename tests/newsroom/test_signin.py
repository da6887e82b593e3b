"""Sign-in throttling: repeated failures lock a user name out from one address for a while, audited."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from wireroom.accounts.models import Membership, User
from wireroom.audit.models import AuditEntry

PASSWORD = "a long demo password"
LIMIT = 5  # WIREROOM_SIGNIN_FAILURE_LIMIT's default


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Dozens of sign-ins per test: a quick hasher keeps them from each spending PBKDF2's deliberate second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(actors: dict[str, Membership]) -> User:
    user = actors["issuer_admin"].user
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client: Client, username: str, password: str, address: str = "198.51.100.7") -> tuple[int, str]:
    response = client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_after_five_failures_even_the_right_password_is_refused_with_a_clear_message(user: User) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        status, page = _sign_in(client, user.username, "wrong")
        assert status == 200 and "did not match" in page
    status, page = _sign_in(client, user.username, "wrong")
    assert status == 429
    assert "Too many failed sign-ins for this user name from your address" in page
    assert "blocked for 15 minutes" in page
    status, page = _sign_in(client, user.username, PASSWORD)
    assert status == 429 and "Too many failed sign-ins" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lockout_is_audited_with_the_user_name_and_address(user: User) -> None:
    for _ in range(LIMIT):
        _sign_in(Client(), user.username, "wrong")
    [entry] = AuditEntry.objects.filter(action="accounts.signin_locked_out")
    assert (entry.target_type, entry.target_id, entry.actor) == ("accounts.user", str(user.pk), None)
    assert entry.data == {"username": user.username, "address": "198.51.100.7", "failures": LIMIT, "minutes": 15}
    # Every refused try while locked out is audited too.
    _sign_in(Client(), user.username, PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.signin_locked_out").count() == 2


@pytest.mark.django_db
def test_guessing_at_a_user_name_that_does_not_exist_is_locked_out_and_audited_too() -> None:
    for _ in range(LIMIT):
        status, _page = _sign_in(Client(), "no-such-user", "guess")
    assert status == 429
    [entry] = AuditEntry.objects.filter(action="accounts.signin_locked_out")
    assert entry.target_type == "axes.accessattempt"
    assert entry.data["username"] == "no-such-user"


@pytest.mark.django_db
def test_a_lockout_holds_one_address_only_so_nobody_can_lock_a_user_out_from_elsewhere(user: User) -> None:
    for _ in range(LIMIT):
        _sign_in(Client(), user.username, "wrong", address="203.0.113.66")
    client = Client()
    status, _page = _sign_in(client, user.username, PASSWORD, address="198.51.100.7")
    assert status == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_the_admin_sign_in_counts_and_locks_out_the_same_way(user: User) -> None:
    for _ in range(LIMIT):
        response = Client().post("/admin/login/", {"username": user.username, "password": "wrong"},
                                 REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    status, _page = _sign_in(Client(), user.username, PASSWORD)
    assert status == 429


@pytest.mark.django_db
def test_an_operator_lifts_a_lockout_with_axes_reset_username(user: User) -> None:
    for _ in range(LIMIT):
        _sign_in(Client(), user.username, "wrong")
    call_command("axes_reset_username", user.username, stdout=StringIO())
    status, _page = _sign_in(Client(), user.username, PASSWORD)
    assert status == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_count_of_failures(user: User) -> None:
    for _ in range(LIMIT - 1):
        _sign_in(Client(), user.username, "wrong")
    assert _sign_in(Client(), user.username, PASSWORD)[0] == 302
    for _ in range(LIMIT - 1):
        status, _page = _sign_in(Client(), user.username, "wrong")
    assert status == 200
