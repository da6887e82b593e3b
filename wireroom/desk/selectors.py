"""The desk's reads: the review queue, a submission and what to compare it with, a release's history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.desk.models import Claim
from wireroom.releases.models import PUBLIC_STATES, Release, ReleaseVersion, State, Submission
from wireroom.releases.selectors import releases_visible_to


def review_queue(*, actor: Membership) -> QuerySet[Release]:
    """Submissions waiting for the desk: the nearest embargo first (none last), then the longest waiting. Each
    carries `waiting_since` (its latest submission) and its claim."""
    latest = Submission.objects.filter(release=OuterRef("pk")).order_by("-number").values("submitted_at")[:1]
    return (releases_visible_to(actor=actor).filter(state__in=(State.SUBMITTED, State.IN_REVIEW))
            .annotate(waiting_since=Coalesce(Subquery(latest), F("updated_at")))
            .select_related("desk_claim__editor")
            .order_by(F("embargo_at").asc(nulls_last=True), "waiting_since", "pk"))


def queue_entry(*, actor: Membership, release_id: uuid.UUID) -> Release | None:
    """One release of the review queue, annotated as the queue annotates it; None once it has left the queue."""
    return review_queue(actor=actor).filter(pk=release_id).prefetch_related("localizations").first()


def recently_out(*, actor: Membership, limit: int = 20) -> QuerySet[Release]:
    """Published, corrected and scheduled releases, the newest first: what the desk may correct or withdraw."""
    return (releases_visible_to(actor=actor).filter(state__in=(*PUBLIC_STATES, State.SCHEDULED))
            .order_by(F("published_at").desc(nulls_first=True), "-updated_at")[:limit])


def claim_of(*, release: Release) -> Claim | None:
    return Claim.objects.select_related("editor").filter(release=release).first()


@dataclass(frozen=True)
class Comparison:
    submission: Submission | None
    previous: Submission | None
    published: ReleaseVersion | None


def comparison(*, release: Release) -> Comparison:
    """The latest submission, the one before it, and the last version that went out (not a withdrawal)."""
    submissions = list(release.submissions.order_by("-number")[:2])
    published = release.versions.exclude(action="withdraw").order_by("-number").first()
    return Comparison(submission=submissions[0] if submissions else None,
                      previous=submissions[1] if len(submissions) > 1 else None, published=published)


def history(*, release: Release) -> QuerySet[AuditEntry]:
    """What the audit log holds about the release and its localizations, the newest first."""
    return (AuditEntry.objects.filter(Q(target_type="releases.release", target_id=str(release.pk))
                                      | Q(target_type="releases.localization", data__release=str(release.pk)))
            .select_related("actor").order_by("-at", "-id"))

