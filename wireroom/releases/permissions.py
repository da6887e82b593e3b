"""Who may do what to a release. Every lifecycle service asks here before it changes anything."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wireroom.accounts.models import ISSUER_ROLES, ISSUING_KINDS, Membership, Role
from wireroom.lib.errors import NotAllowed, NotFound
from wireroom.releases.models import Release
from wireroom.releases.selectors import releases_visible_to


def is_wire_staff(actor: Membership) -> bool:
    return actor.is_wire_staff


def require_view(actor: Membership, release: Release) -> None:
    # The selectors hold the one rule of who sees what. Another organization's release is reported as
    # missing, so ids leak nothing.
    if not releases_visible_to(actor=actor).filter(pk=release.pk).exists():
        raise NotFound("No such release.")


def require_issuer_or_staff(actor: Membership, release: Release, *, admin_only: bool = False) -> None:
    require_view(actor, release)
    if is_wire_staff(actor):
        return
    if admin_only and actor.role != Role.ISSUER_ADMIN:
        raise NotAllowed(_("Only an issuer admin or a wire editor may do this."))


def require_staff(actor: Membership, release: Release) -> None:
    require_view(actor, release)
    if not is_wire_staff(actor):
        raise NotAllowed(_("Only the wire's editors may do this."))


def require_can_issue(actor: Membership) -> None:
    if is_wire_staff(actor):
        return
    if actor.role not in ISSUER_ROLES or actor.organization.kind not in ISSUING_KINDS:
        raise NotAllowed(_("Only members of an issuing organization or wire editors may create releases."))
