"""The embargo clock and the lifecycle's port to the distribution engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured

from wireroom.accounts.models import Membership
from wireroom.releases import embargo, fanout, services
from wireroom.releases.models import Release


def test_the_clock_publishes_the_releases_whose_embargo_has_come_and_no_other(
    make_release: Callable[..., Release],
) -> None:
    first, second = make_release("scheduled"), make_release("scheduled")
    assert first.embargo_at is not None
    assert second.embargo_at is not None
    Release.objects.filter(pk=second.pk).update(embargo_at=first.embargo_at + dt.timedelta(minutes=10))

    assert embargo.publish_due(now=first.embargo_at - dt.timedelta(seconds=1)) == 0
    assert embargo.publish_due(now=first.embargo_at) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("published", "scheduled")


def test_the_clock_sleeps_until_the_next_embargo_second_but_no_longer_than_its_ceiling(
    make_release: Callable[..., Release],
) -> None:
    release = make_release("scheduled")
    assert release.embargo_at is not None
    ten_before = release.embargo_at - dt.timedelta(seconds=10)
    assert embargo.seconds_until_next_embargo(now=ten_before, ceiling=60) == 10
    assert embargo.seconds_until_next_embargo(now=ten_before, ceiling=0.5) == 0.5
    assert embargo.seconds_until_next_embargo(now=release.embargo_at, ceiling=0.5) == 0.5


def test_without_a_registered_stager_publishing_is_refused_and_changes_nothing(
    make_release: Callable[..., Release], actors: dict[str, Membership], monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = make_release("approved")
    monkeypatch.setattr(fanout, "_STAGERS", [])
    with pytest.raises(ImproperlyConfigured, match="INSTALLED_APPS"):
        services.release_publish(release=release, by=actors["wire_editor"])
    release.refresh_from_db()
    assert release.state == "approved"
    assert not release.versions.exists()


def test_a_second_stager_cannot_replace_the_registered_one() -> None:
    class Elsewhere:
        def render(self, **kwargs: object) -> None: ...

        def stage(self, **kwargs: object) -> None: ...

        def unstage(self, **kwargs: object) -> None: ...

        def is_staged(self, **kwargs: object) -> bool:
            return False

    with pytest.raises(ValueError, match="second stager"):
        fanout.register(Elsewhere())
