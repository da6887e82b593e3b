"""The desk's writes: claims on the review queue, and the review's decisions, each through the lifecycle's
services (which check role, organization and state) with the claim let go in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wireroom.accounts.models import Membership, Role
from wireroom.desk.models import Claim
from wireroom.lib.errors import IllegalTransition
from wireroom.releases import permissions, services
from wireroom.releases.models import Release, State

IN_QUEUE = frozenset({State.SUBMITTED, State.IN_REVIEW})


@transaction.atomic
def claim_take(*, release: Release, by: Membership) -> Claim:
    """Take a queued submission; it goes into review. Refused while another editor holds it."""
    permissions.require_staff(by, release)
    release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
    if release.state not in IN_QUEUE:
        raise IllegalTransition(f"This release is {release.get_state_display().lower()}, not waiting for review.",
                                details={"state": release.state})
    held = Claim.objects.select_related("editor").filter(release=release).first()
    if held is not None and held.editor_id != by.user_id:
        raise IllegalTransition(f"{held.editor.get_full_name() or held.editor.get_username()} has this one.",
                                details={"claimed_by": held.editor_id})
    if release.state == State.SUBMITTED:
        services.release_start_review(release=release, by=by)
    claim, _created = Claim.objects.get_or_create(release=release, defaults={"editor": by.user,
                                                                             "claimed_at": timezone.now()})
    return claim


@transaction.atomic
def claim_drop(*, release: Release, by: Membership) -> None:
    """Let a claim go: its own editor, or a wire admin freeing an item someone left."""
    permissions.require_staff(by, release)
    claims = Claim.objects.filter(release=release)
    if by.role != Role.WIRE_ADMIN:
        claims = claims.filter(editor=by.user)
    claims.delete()


@transaction.atomic
def review_approve(*, release: Release, by: Membership) -> Release:
    approved = services.release_approve(release=release, by=by)
    Claim.objects.filter(release=release).delete()
    return approved


@transaction.atomic
def review_request_changes(*, release: Release, by: Membership, note: str) -> Release:
    returned = services.release_request_changes(release=release, by=by, note=note)
    Claim.objects.filter(release=release).delete()
    return returned


def review_edit_and_approve(*, release: Release, by: Membership, data: services.ReleaseInput) -> Release:
    """An editor's changes, then the approval. Checked first so that an edit of a release that cannot be approved
    is refused whole rather than saved without its approval."""
    permissions.require_staff(by, release)
    if release.state not in IN_QUEUE:
        raise IllegalTransition(f"Only a submission can be edited and approved; this release is "
                                f"{release.get_state_display().lower()}.", details={"state": release.state})
    services.release_update(release=release, by=by, data=data)
    return review_approve(release=release, by=by)
