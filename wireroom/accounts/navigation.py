"""Where each role works: the home a sign-in lands on and the links of the signed-in pages' navigation.

The areas are named by path, not by URL name: they belong to apps above this one (the workspace, the desk, the console,
the connections page), which this app must not import."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wireroom.accounts.models import ISSUER_ROLES, ISSUING_KINDS, RECEIVING_KINDS, Membership, Role, User

WORKSPACE = "/workspace/"
ORGANIZATION_SETTINGS = "/workspace/organization/"
DESK = "/desk/"
TRANSLATE = "/translate/"
CONSOLE = "/console/"
CONNECT = "/connect/"
ADMIN = "/admin/"


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    path: str


def issues_releases(membership: Membership) -> bool:
    """A member of an issuing organization with an issuer's role: works in the workspace."""
    return membership.role in ISSUER_ROLES and membership.organization.kind in ISSUING_KINDS


def works_the_desk(membership: Membership) -> bool:
    return membership.is_wire_staff


def translates(membership: Membership) -> bool:
    """One of the wire's translators: works in the translators' queue."""
    return membership.is_wire_translator


def connects(membership: Membership) -> bool:
    """A member of a media outlet or terminal partner: manages its endpoints, filters and API keys."""
    return membership.role == Role.OUTLET_MEMBER and membership.organization.kind in RECEIVING_KINDS


def home_path(*, user: User, memberships: list[Membership]) -> str:
    """The page a sign-in lands on when it asked for none: the desk for the wire's editors, the workspace for
    issuers, the translators' queue for the wire's translators, the connections page for outlets and partners,
    the admin for operators without a membership, else the public home page."""
    if any(works_the_desk(membership) for membership in memberships):
        return DESK
    if any(issues_releases(membership) for membership in memberships):
        return WORKSPACE
    if any(translates(membership) for membership in memberships):
        return TRANSLATE
    if any(connects(membership) for membership in memberships):
        return CONNECT
    if user.is_staff:
        return ADMIN
    return "/"


def nav_links(*, user: User, memberships: list[Membership]) -> list[NavLink]:
    links: list[NavLink] = []
    if any(issues_releases(membership) for membership in memberships):
        links.append(NavLink(_("Releases"), WORKSPACE))
    if any(issues_releases(membership) and membership.role == Role.ISSUER_ADMIN for membership in memberships):
        links.append(NavLink(_("Organization"), ORGANIZATION_SETTINGS))
    if any(works_the_desk(membership) for membership in memberships):
        links.append(NavLink(_("Desk"), DESK))
        links.append(NavLink(_("Console"), CONSOLE))
    if any(translates(membership) for membership in memberships):
        links.append(NavLink(_("Translations"), TRANSLATE))
    if any(connects(membership) for membership in memberships):
        links.append(NavLink(_("Connections"), CONNECT))
    if user.is_staff:
        links.append(NavLink(_("Administration"), ADMIN))
    return links
