"""One rule decides who sees a release beyond the public: the API, the services, the newsroom's preview and the
distribution report all ask the same selectors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tests.support.factories import member
from wireroom.accounts.models import Membership, Organization, Role
from wireroom.lib.errors import NotFound
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.releases.selectors import release_for, release_visible_to_user, releases_visible_to


@pytest.mark.django_db
def test_wire_staff_see_every_release_and_issuers_only_their_organizations(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    ours = make_release("draft")
    assert set(releases_visible_to(actor=actors["wire_editor"])) == {ours}
    assert set(releases_visible_to(actor=actors["issuer_member"])) == {ours}
    assert set(releases_visible_to(actor=actors["other_issuer_admin"])) == set()
    with pytest.raises(NotFound):
        release_for(actor=actors["other_issuer_admin"], release_id=ours.pk)
    with pytest.raises(NotFound):
        services.release_submit(release=ours, by=actors["other_issuer_admin"])


@pytest.mark.django_db
def test_a_user_sees_the_releases_of_every_organization_they_belong_to_and_no_other(
    make_release: Callable[..., Release], actors: dict[str, Membership], other_org: Organization,
) -> None:
    ours = make_release("draft")
    theirs = services.release_create(by=actors["other_issuer_admin"],
                                     data=services.ReleaseInput(kind="press_release", original_language="en")).release
    third = Organization.objects.create(name="Third", slug="third", kind="issuer")
    stranger = member(third, "stranger", Role.ISSUER_ADMIN)
    elsewhere = services.release_create(by=stranger, data=services.ReleaseInput(kind="press_release",
                                                                                original_language="en")).release
    both = actors["issuer_member"].user
    Membership.objects.create(user=both, organization=other_org, role=Role.ISSUER_MEMBER)

    assert release_visible_to_user(user=both, release_id=ours.pk) == ours
    assert release_visible_to_user(user=both, release_id=theirs.pk) == theirs
    assert release_visible_to_user(user=both, release_id=elsewhere.pk) is None
    assert release_visible_to_user(user=actors["wire_editor"].user, release_id=elsewhere.pk) == elsewhere
    assert release_visible_to_user(user=AnonymousUser(), release_id=ours.pk) is None


@pytest.mark.django_db
def test_the_newsroom_preview_and_the_distribution_report_answer_alike(
    make_release: Callable[..., Release], actors: dict[str, Membership],
) -> None:
    release = make_release("approved")
    pages = (f"/releases/{release.id}/ar/", f"/workspace/releases/{release.id}/report/")
    for role, status in (("issuer_member", 200), ("wire_admin", 200), ("other_issuer_admin", 404)):
        client = Client()
        client.force_login(actors[role].user)
        assert [client.get(page).status_code for page in pages] == [status, status], role
