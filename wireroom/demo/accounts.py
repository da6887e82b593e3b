"""The demo's organizations and one login for every role."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.text import slugify

from wireroom.accounts.models import Membership, Organization, OrganizationKind, Role, User
from wireroom.accounts.services import membership_create

ISSUERS = (
    ("nahr-energy", "Nahr Energy", OrganizationKind.ISSUER),
    ("lotus-fintech", "Lotus Fintech", OrganizationKind.ISSUER),
    ("siam-orchid-foods", "Siam Orchid Foods", OrganizationKind.ISSUER),
    ("nordlicht-mobility", "Nordlicht Mobility", OrganizationKind.ISSUER),
    ("andes-health", "Andes Health", OrganizationKind.ISSUER),
    ("sakura-robotics", "Sakura Robotics", OrganizationKind.ISSUER),
    ("horizon-newsdesk", "Horizon Newsdesk", OrganizationKind.CONTENT_PROVIDER),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    organization: str


# Passwords are public on purpose: they exist only in the embedded demo.
DEMO_LOGINS = (
    DemoLogin("admin", "wireroom-admin", Role.WIRE_ADMIN, "wire"),
    DemoLogin("editor", "wireroom-editor", Role.WIRE_EDITOR, "wire"),
    DemoLogin("issuer-admin", "wireroom-issuer", Role.ISSUER_ADMIN, "nahr-energy"),
    DemoLogin("issuer", "wireroom-issuer", Role.ISSUER_MEMBER, "nahr-energy"),
)


def wire_organization() -> Organization:
    org, _ = Organization.objects.get_or_create(
        kind=OrganizationKind.WIRE,
        defaults={"name": settings.WIRE_NAME, "slug": slugify(settings.WIRE_NAME) or "wire"},
    )
    return org


def seed_accounts() -> dict[str, Membership]:
    """Creates the organizations and demo users; returns each login's membership by username."""
    wire = wire_organization()
    orgs = {"wire": wire}
    for slug, name, kind in ISSUERS:
        orgs[slug], _ = Organization.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "website": f"https://{slug}.example"}
        )
    memberships = {}
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(
            username=login.username, defaults={"email": f"{login.username}@example.com"}
        )
        if created:
            user.set_password(login.password)
            user.is_staff = login.role == Role.WIRE_ADMIN
            user.is_superuser = login.role == Role.WIRE_ADMIN
            user.save()
        memberships[login.username] = _membership(user, orgs[login.organization], login.role)
    # Every other issuer gets an admin of its own so the sample releases have an author.
    for slug, _name, _kind in ISSUERS:
        user, _ = User.objects.get_or_create(username=f"{slug}-desk", defaults={"email": f"desk@{slug}.example"})
        memberships[slug] = _membership(user, orgs[slug], Role.ISSUER_ADMIN)
    return memberships


def _membership(user: User, organization: Organization, role: Role) -> Membership:
    existing = Membership.objects.filter(user=user, organization=organization).first()
    return existing or membership_create(user=user, organization=organization, role=role)
