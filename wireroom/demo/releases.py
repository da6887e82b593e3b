"""Drives the sample releases through the real lifecycle services to their demo states."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from wireroom.accounts.models import Membership, Organization
from wireroom.demo.sample_releases import SAMPLE_RELEASES, SampleRelease
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.releases import services
from wireroom.releases.models import Release, ReleaseVersion

DEMO_NAMESPACE = uuid.UUID("7d3c1c4e-4a8e-4f61-9d5e-2f0b9a6c1e55")


def _input(sample: SampleRelease) -> services.ReleaseInput:
    return services.ReleaseInput(
        kind=sample["kind"], original_language=sample["original_language"], sectors=sample["sectors"],
        countries=sample["countries"], regions=sample["regions"], languages=sample["languages"],
        dateline=sample["dateline"], contacts=sample["contacts"],
        localizations=[services.LocalizationInput(**loc) for loc in sample["localizations"]],
    )


def _backdate(release: Release, when: dt.datetime) -> None:
    # Sample releases look as if they went out over the past days, not all in this second.
    Release.objects.filter(pk=release.pk).update(published_at=when, created_at=when - dt.timedelta(hours=2))
    ReleaseVersion.objects.filter(release=release, number=1).update(created_at=when)


def _not_sent(release: Release) -> None:
    # A release "published" days before the demo wire existed is not mailed to its 86,000 contacts on first
    # start; its ledger says so. Scheduled samples do go out, into the outbox, when their embargo comes.
    Delivery.objects.filter(release=release, state=DeliveryState.PENDING).update(
        state=DeliveryState.SUPPRESSED, last_error="demo: published before this wire started; not sent")


def seed_releases(memberships: dict[str, Membership]) -> int:
    editor = memberships["editor"]
    now = timezone.now().replace(microsecond=0)
    created = 0
    for sample in SAMPLE_RELEASES:
        release_id = uuid.uuid5(DEMO_NAMESPACE, sample["key"])
        if Release.objects.filter(pk=release_id).exists():
            continue
        issuer_member = memberships[sample["issuer"]]
        issuer = Organization.objects.get(slug=sample["issuer"])
        release = services.release_create(by=issuer_member, data=_input(sample), issuer=issuer,
                                           release_id=release_id).release
        created += 1
        state = sample["state"]
        if state == "draft":
            continue
        services.release_submit(release=release, by=issuer_member)
        if state == "submitted":
            continue
        services.release_start_review(release=release, by=editor)
        if state == "in_review":
            continue
        services.release_approve(release=release, by=editor)
        if state == "scheduled":
            services.release_publish(release=release, by=issuer_member,
                                     embargo_at=now + dt.timedelta(hours=sample["hours_ago"]))
            continue
        services.release_publish(release=release, by=issuer_member)
        _backdate(release, now - dt.timedelta(hours=sample["hours_ago"]))
        if state == "corrected":
            services.release_correct(release=release, by=editor, note=sample["correction_note"])
        elif state == "withdrawn":
            services.release_withdraw(release=release, by=editor, reason="Withdrawn at the issuer's request.")
        _not_sent(release)
    return created
