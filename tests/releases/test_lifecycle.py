"""Every lifecycle transition, legal and illegal, for every role, including another organization's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from wireroom.releases import services
from wireroom.releases.models import Release, ReleaseVersion

STATES = ["draft", "submitted", "in_review", "changes_requested", "approved", "scheduled", "published",
          "corrected", "withdrawn"]
ROLES = ["issuer_member", "issuer_admin", "wire_editor", "wire_admin", "other_issuer_admin"]
STAFF = {"wire_editor", "wire_admin"}
ISSUERS_AND_STAFF = {"issuer_member", "issuer_admin"} | STAFF
ADMINS_AND_STAFF = {"issuer_admin"} | STAFF


def _in_an_hour() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=1)


# action: (who may, from which states, to which state, adds a version, how to call it)
ACTIONS: dict[str, tuple[set[str], set[str], str, bool, Callable[[Release, Membership], Any]]] = {
    "submit": (ISSUERS_AND_STAFF, {"draft", "changes_requested"}, "submitted", False,
               lambda r, m: services.release_submit(release=r, by=m)),
    "start_review": (STAFF, {"submitted"}, "in_review", False,
                     lambda r, m: services.release_start_review(release=r, by=m)),
    "approve": (STAFF, {"submitted", "in_review"}, "approved", False,
                lambda r, m: services.release_approve(release=r, by=m)),
    "request_changes": (STAFF, {"submitted", "in_review", "approved"}, "changes_requested", False,
                        lambda r, m: services.release_request_changes(release=r, by=m, note="Shorter headline.")),
    "publish": (ADMINS_AND_STAFF, {"approved"}, "published", True,
                lambda r, m: services.release_publish(release=r, by=m)),
    "schedule": (ADMINS_AND_STAFF, {"approved"}, "scheduled", False,
                 lambda r, m: services.release_publish(release=r, by=m, embargo_at=_in_an_hour())),
    "unschedule": (ADMINS_AND_STAFF, {"scheduled"}, "approved", False,
                   lambda r, m: services.release_unschedule(release=r, by=m)),
    "correct": (STAFF, {"published", "corrected"}, "corrected", True,
                lambda r, m: services.release_correct(release=r, by=m, note="Fixed a figure.")),
    "withdraw": (STAFF, {"published", "corrected", "scheduled"}, "withdrawn", None,  # type: ignore[dict-item]
                 lambda r, m: services.release_withdraw(release=r, by=m, reason="Sent in error.")),
}


def _fingerprint(release: Release) -> tuple[str, int, int, int]:
    release.refresh_from_db()
    return (release.state, release.version, AuditEntry.objects.count(),
            ReleaseVersion.objects.filter(release=release).count())


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_transition_obeys_role_organization_and_state(
    make_release: Callable[..., Release], actors: dict[str, Membership], action: str, role: str, state: str
) -> None:
    allowed_roles, from_states, to_state, adds_version, call = ACTIONS[action]
    release = make_release(state)
    before = _fingerprint(release)

    if role == "other_issuer_admin":
        expected: type[Exception] | None = NotFound
    elif role not in allowed_roles:
        expected = NotAllowed
    elif state not in from_states:
        expected = IllegalTransition
    else:
        expected = None

    if expected is not None:
        with pytest.raises(expected):
            call(release, actors[role])
        assert _fingerprint(release) == before, "a refused transition must change nothing"
        return

    call(release, actors[role])
    release.refresh_from_db()
    assert release.state == to_state
    entry = AuditEntry.objects.filter(target_id=str(release.pk)).first()
    assert entry is not None
    assert (entry.from_state, entry.to_state, entry.actor_id) == (state, to_state, actors[role].user_id)
    if adds_version is None:  # a withdrawal is a version only if the release went out
        adds_version = state in ("published", "corrected")
    assert release.version == before[1] + (1 if adds_version else 0)


def test_scheduled_release_is_published_by_the_clock_at_its_embargo_second(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("scheduled")
    assert release.embargo_at is not None
    early = release.embargo_at - dt.timedelta(seconds=1)
    assert services.release_publish_due(release=release, now=early) is False
    assert services.release_publish_due(release=release, now=release.embargo_at) is True
    release.refresh_from_db()
    assert release.state == "published"
    assert release.published_at == release.embargo_at
    version = release.versions.get()
    assert (version.number, version.action, version.created_by) == (1, "publish", None)


def test_a_fractional_embargo_is_rounded_up_so_nothing_leaves_early(
    make_release: Callable[..., Release], actors: dict[str, Membership]
) -> None:
    release = make_release("approved")
    moment = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=250_000)
    services.release_publish(release=release, by=actors["issuer_admin"], embargo_at=moment)
    release.refresh_from_db()
    assert release.embargo_at == moment.replace(microsecond=0) + dt.timedelta(seconds=1)


def test_publishing_with_an_embargo_in_the_past_is_refused(
    make_release: Callable[..., Release], actors: dict[str, Membership]
) -> None:
    release = make_release("approved")
    with pytest.raises(InvalidInput, match="past"):
        services.release_publish(release=release, by=actors["wire_editor"],
                                 embargo_at=timezone.now() - dt.timedelta(minutes=5))
    release.refresh_from_db()
    assert release.state == "approved"


def test_an_embargo_more_than_a_year_away_is_refused(make_release: Callable[..., Release],
                                                     actors: dict[str, Membership]) -> None:
    release = make_release("approved")
    with pytest.raises(InvalidInput, match="year"):
        services.release_publish(release=release, by=actors["wire_editor"],
                                 embargo_at=timezone.now() + dt.timedelta(days=400))
    release.refresh_from_db()
    assert release.state == "approved"


def test_a_naive_embargo_is_refused(make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("approved")
    with pytest.raises(InvalidInput, match="time zone"):
        services.release_publish(release=release, by=actors["wire_editor"], embargo_at=dt.datetime(2030, 1, 1))


def test_submitting_without_a_sector_is_refused(make_release: Callable[..., Release],
                                               actors: dict[str, Membership]) -> None:
    release = make_release("draft", sectors=[])
    with pytest.raises(InvalidInput, match="sector"):
        services.release_submit(release=release, by=actors["issuer_member"])
    release.refresh_from_db()
    assert release.state == "draft"


def test_issuers_edit_only_drafts_and_editors_edit_until_scheduled(
    make_release: Callable[..., Release], actors: dict[str, Membership]
) -> None:
    submitted = make_release("submitted")
    with pytest.raises(IllegalTransition):
        services.release_update(release=submitted, by=actors["issuer_admin"],
                                data=services.ReleaseInput(dateline="Abu Dhabi"))
    services.release_update(release=submitted, by=actors["wire_editor"],
                            data=services.ReleaseInput(dateline="Abu Dhabi"))
    submitted.refresh_from_db()
    assert submitted.dateline == "Abu Dhabi"
    published = make_release("published")
    with pytest.raises(IllegalTransition):
        services.release_update(release=published, by=actors["wire_editor"],
                                data=services.ReleaseInput(dateline="Doha"))


def test_a_bad_field_in_an_update_saves_nothing(make_release: Callable[..., Release],
                                               actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    bad = services.ReleaseInput(dateline="Muscat", sectors=["top-story", "no-such-sector"])
    with pytest.raises(InvalidInput, match="no-such-sector"):
        services.release_update(release=release, by=actors["issuer_member"], data=bad)
    release.refresh_from_db()
    assert release.dateline != "Muscat"
    assert sorted(release.sectors.values_list("slug", flat=True)) == ["daily-news", "top-story"]


def test_issuers_cannot_create_releases_for_another_organization(
    actors: dict[str, Membership], other_org: Any
) -> None:
    from tests.support.factories import release_input

    with pytest.raises(InvalidInput, match="own organization"):
        services.release_create(by=actors["issuer_admin"], data=release_input(), issuer=other_org)
    assert not Release.objects.exists()


def test_editors_must_name_an_issuing_organization(actors: dict[str, Membership], wire_org: Any) -> None:
    from tests.support.factories import release_input

    with pytest.raises(InvalidInput):
        services.release_create(by=actors["wire_editor"], data=release_input())
    with pytest.raises(InvalidInput, match="not an issuing"):
        services.release_create(by=actors["wire_editor"], data=release_input(), issuer=wire_org)


def test_correction_keeps_the_id_and_freezes_each_version(make_release: Callable[..., Release],
                                                         actors: dict[str, Membership]) -> None:
    release = make_release("published")
    fix = services.LocalizationInput(language="en", headline="Nahr Energy opens a 50 MW solar desalination plant",
                                     body_html="<p>Corrected text.</p>", origin="human", translated_from="ar")
    services.release_correct(release=release, by=actors["wire_editor"], note="Added the capacity.",
                             localizations=[fix])
    versions = list(release.versions.order_by("number"))
    assert [(v.number, v.action) for v in versions] == [(1, "publish"), (2, "correct")]
    headlines = [next(loc["headline"] for loc in v.snapshot["localizations"] if loc["language"] == "en")
                 for v in versions]
    assert headlines == ["Nahr Energy opens a solar-powered desalination plant",
                         "Nahr Energy opens a 50 MW solar desalination plant"]
    assert {v.snapshot["urn"] for v in versions} == {release.urn}
