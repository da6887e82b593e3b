"""`wireroom demo` prints what a newcomer needs to use the logins, for any wire name."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.support.api import ApiClient
from wireroom.accounts.models import ApiKey


@pytest.mark.slow  # loads a small demo: about ten seconds
@pytest.mark.django_db
@override_settings(WIRE_NAME="Gulf Business Wire")
def test_the_demo_prints_each_logins_organization_and_the_documented_apikey_command_works() -> None:
    out = StringIO()
    call_command("demo", "--scale", "0.002", stdout=out)
    printed = out.getvalue()
    assert "demo login: editor / wireroom-editor (Wire editor, organization gulf-business-wire)" in printed
    assert "demo login: issuer-admin / wireroom-issuer (Issuer admin, organization nahr-energy)" in printed
    # The commands the docs give, as they are written there, whatever the wire is called.
    for user in ("editor", "issuer-admin"):
        key = StringIO()
        call_command("apikey", "issue", "--user", user, "--name", "curl", stdout=key)
        assert ApiKey.objects.get(name="curl", membership__user__username=user)
        assert ApiClient(key.getvalue().strip()).get("/api/v1/releases").status_code == 200
