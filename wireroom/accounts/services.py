from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wireroom.accounts.keys import KEY_PREFIX, api_key_digest
from wireroom.accounts.models import RECEIVING_KINDS, ApiKey, Invitation, Membership, Organization, Role, User
from wireroom.audit.services import audit_record
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound

# A key's last use is recorded at most this often, so a busy key does not write on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str


def membership_create(*, user: User, organization: Organization, role: Role) -> Membership:
    if role in (Role.WIRE_EDITOR, Role.WIRE_ADMIN) and not organization.is_wire:
        raise InvalidInput("Wire roles belong to members of the wire's own organization.")
    if role in (Role.ISSUER_MEMBER, Role.ISSUER_ADMIN) and organization.is_wire:
        raise InvalidInput("Issuer roles belong to members of issuing organizations.")
    if role == Role.OUTLET_MEMBER and organization.kind not in RECEIVING_KINDS:
        raise InvalidInput("The outlet role belongs to members of media outlets and terminal partners.")
    return Membership.objects.create(user=user, organization=organization, role=role)


@transaction.atomic
def api_key_issue(*, membership: Membership, name: str, by: User | None = None) -> IssuedKey:
    """Create a key; the returned secret is the only copy that will ever exist."""
    name = name.strip()
    if not name:
        raise InvalidInput("An API key needs a name.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        membership=membership, name=name[:100], prefix=secret[:10], digest=api_key_digest(secret)
    )
    audit_record(actor=by or membership.user, organization=membership.organization, action="api_key.issue",
                 target=key)
    return IssuedKey(api_key=key, secret=secret)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: Membership) -> None:
    same_org = by.organization_id == api_key.membership.organization_id
    # An outlet's members share one role, so any of them may revoke the outlet's keys.
    if not (by.is_wire_staff and by.role == Role.WIRE_ADMIN) and not (
        same_org and (by.role in (Role.ISSUER_ADMIN, Role.OUTLET_MEMBER) or by.pk == api_key.membership_id)
    ):
        raise NotAllowed("Only the key's owner, an admin of its organization or a wire admin may revoke it.")
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(actor=by.user, organization=api_key.membership.organization, action="api_key.revoke",
                     target=api_key)


@transaction.atomic
def api_key_set_prepositioned(*, api_key: ApiKey, prepositioned: bool, by: User | None = None) -> ApiKey:
    """Let a key's stream connections take encrypted pre-positioning, or stop them (docs/trust.md). Only a media
    outlet's, a terminal partner's or the wire's key: an envelope tells that a release is scheduled, and when."""
    organization = api_key.membership.organization
    if prepositioned and organization.kind not in RECEIVING_KINDS and not organization.is_wire:
        raise InvalidInput("Only the keys of media outlets, terminal partners and the wire take pre-positioned "
                           "releases.")
    if api_key.prepositioned != prepositioned:
        api_key.prepositioned = prepositioned
        api_key.save(update_fields=["prepositioned"])
        audit_record(actor=by, organization=organization, action="api_key.prepositioned", target=api_key,
                     data={"prepositioned": prepositioned})
    return api_key


def api_key_touch(*, api_key: ApiKey, now: dt.datetime | None = None) -> bool:
    """Record that the key was used, unless that was recorded less than `TOUCH_EVERY` ago. True if it wrote."""
    moment = now or timezone.now()
    if api_key.last_used_at is not None and moment - api_key.last_used_at < TOUCH_EVERY:
        return False
    # Conditional in SQL too: of several requests at once, one writes.
    stale = ApiKey.objects.filter(pk=api_key.pk).exclude(last_used_at__gt=moment - TOUCH_EVERY)
    if not stale.update(last_used_at=moment):
        return False
    api_key.last_used_at = moment
    return True


def user_language_set(*, user: User, language: str) -> None:
    """The language of the user's pages and notices; empty follows the browser."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput("Choose one of the wire's languages.")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_time_zone_set(*, user: User, time_zone: str) -> None:
    """The zone in which the user enters and reads embargo times (an IANA name)."""
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("Unknown time zone.") from None
    if user.time_zone != time_zone:
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])


def _require_organization_admin(by: Membership, organization: Organization) -> None:
    if by.organization_id != organization.pk or by.role != Role.ISSUER_ADMIN:
        raise NotAllowed("Only an admin of this organization may manage its members.")


@transaction.atomic
@dataclass(frozen=True)
class Invited:
    """Who was invited: a new account is a member at once (`membership`; its invitation link sets a password);
    an existing account only holds a pending `invitation` until its owner accepts it."""

    user: User
    organization: Organization
    membership: Membership | None = None
    invitation: Invitation | None = None


@transaction.atomic
def member_invite(*, organization: Organization, email: str, role: Role, by: Membership) -> Invited:
    """Invites a person to an issuing organization by e-mail address. Without an account, theirs is made (without
    a password) with the membership; with one, nothing changes but a pending invitation, which that person accepts
    (`invitation_accept`): nobody is added to an organization without being asked. Sending is the caller's."""
    _require_organization_admin(by, organization)
    if role not in (Role.ISSUER_MEMBER, Role.ISSUER_ADMIN):
        raise InvalidInput("Invite people as issuer members or issuer admins.")
    return _invited(organization=organization, email=email, role=role, by=by)


def _invited(*, organization: Organization, email: str, role: Role, by: Membership) -> Invited:
    """A new account's membership, or an existing account's pending invitation (see `member_invite`)."""
    address = User.objects.normalize_email(email.strip())
    if not address or "@" not in address:
        raise InvalidInput("Give the e-mail address of the person to invite.")
    user = User.objects.filter(email__iexact=address).order_by("pk").first()
    if user is not None:
        if Membership.objects.filter(user=user, organization=organization).exists():
            raise InvalidInput("This person is already a member of the organization.")
        # Asking again replaces the pending invitation: its older links stop working.
        Invitation.objects.filter(user=user, organization=organization, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(organization=organization, user=user, role=role, invited_by=by.user,
                                               created_at=timezone.now())
        audit_record(actor=by.user, organization=organization, action="membership.invite", target=invitation,
                     data={"email": address, "role": str(role), "pending": True})
        return Invited(user=user, organization=organization, invitation=invitation)
    if User.objects.filter(username__iexact=address).exists():
        raise InvalidInput("Another account already uses this address as its user name.")
    user = User.objects.create_user(username=address, email=address)
    membership = membership_create(user=user, organization=organization, role=role)
    audit_record(actor=by.user, organization=organization, action="membership.invite", target=membership,
                 data={"email": address, "role": str(role)})
    return Invited(user=user, organization=organization, membership=membership)


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: User) -> Membership:
    """The invited person, signed in, accepts: the membership is made now, with the invitation's role."""
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("organization")
                  .filter(pk=invitation_id).first())
    if invitation is None:
        raise NotFound(_("This invitation link is not valid, or it has expired. Ask for a new one."))
    if invitation.user_id != user.pk:
        raise NotAllowed(_("This invitation is for another account: sign in as the person it was sent to."))
    if invitation.accepted_at is not None:
        raise IllegalTransition(_("This invitation was already accepted."))
    if Membership.objects.filter(user=user, organization=invitation.organization).exists():
        raise IllegalTransition(_("This invitation was already accepted."))
    membership = membership_create(user=user, organization=invitation.organization, role=Role(invitation.role))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(actor=user, organization=invitation.organization, action="membership.accept", target=membership,
                 data={"invitation": invitation.pk, "role": invitation.role})
    return membership


@transaction.atomic
def outlet_member_invite(*, organization: Organization, email: str, by: Membership) -> Invited:
    """The wire's staff add a person to a media outlet's or terminal partner's organization, as for issuers'
    invitations: the account is made if needed, and sending the invitation is the caller's."""
    if not by.is_wire_staff:
        raise NotAllowed("Only the wire's editors and admins invite the members of outlets and partners.")
    if organization.kind not in RECEIVING_KINDS:
        raise InvalidInput("Outlet members belong to media outlets and terminal partners.")
    return _invited(organization=organization, email=email, role=Role.OUTLET_MEMBER, by=by)


@transaction.atomic
def membership_role_set(*, membership: Membership, role: Role, by: Membership) -> Membership:
    """Changes a member's role within an issuing organization; it always keeps at least one admin."""
    membership = Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)
    _require_organization_admin(by, membership.organization)
    if role not in (Role.ISSUER_MEMBER, Role.ISSUER_ADMIN):
        raise InvalidInput("A member of an issuing organization is an issuer member or an issuer admin.")
    admins = Membership.objects.filter(organization=membership.organization, role=Role.ISSUER_ADMIN)
    if membership.role == Role.ISSUER_ADMIN and role != Role.ISSUER_ADMIN and admins.count() == 1:
        raise InvalidInput("The organization needs at least one admin; make someone else admin first.")
    if membership.role != role:
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(actor=by.user, organization=membership.organization, action="membership.role",
                     target=membership, from_state=previous, to_state=role)
    return membership
