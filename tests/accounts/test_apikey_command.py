"""`wireroom apikey issue` without --org takes the user's only organization, as the docs' commands do."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.support.api import ApiClient
from wireroom.accounts.models import ApiKey, Membership, Organization, Role
from wireroom.accounts.services import membership_create


@pytest.mark.django_db
def test_apikey_issue_takes_the_users_only_organization_when_none_is_named(actors: dict[str, Membership]) -> None:
    out = StringIO()
    call_command("apikey", "issue", "--user", "editor", "--name", "curl", stdout=out)
    assert ApiKey.objects.get().membership == actors["wire_editor"]
    assert ApiClient(out.getvalue().strip()).get("/api/v1/releases").status_code == 200


@pytest.mark.django_db
def test_apikey_issue_names_the_users_organizations_when_it_cannot_choose(actors: dict[str, Membership],
                                                                           other_org: Organization) -> None:
    membership_create(user=actors["issuer_admin"].user, organization=other_org, role=Role.ISSUER_MEMBER)
    with pytest.raises(CommandError, match=r"several organizations; name one with --org \(lotus-fintech, "
                                           r"nahr-energy\)"):
        call_command("apikey", "issue", "--user", "issueradmin", "--name", "CMS", stdout=StringIO())
    with pytest.raises(CommandError, match=r"not a member of wire; their organizations: lotus-fintech, nahr-energy"):
        call_command("apikey", "issue", "--user", "issueradmin", "--org", "wire", "--name", "CMS",
                     stdout=StringIO())
    with pytest.raises(CommandError, match=r"nobody is no member of any organization"):
        call_command("apikey", "issue", "--user", "nobody", "--name", "CMS", stdout=StringIO())
    assert not ApiKey.objects.exists()
