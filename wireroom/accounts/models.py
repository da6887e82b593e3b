from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ISSUER = "issuer", _("Issuer")
    CONTENT_PROVIDER = "content_provider", _("Content provider")
    MEDIA_OUTLET = "media_outlet", _("Media outlet")
    TERMINAL_PARTNER = "terminal_partner", _("Terminal partner")
    WIRE = "wire", _("The wire")


class Role(models.TextChoices):
    ISSUER_MEMBER = "issuer_member", _("Issuer member")
    ISSUER_ADMIN = "issuer_admin", _("Issuer admin")
    WIRE_EDITOR = "wire_editor", _("Wire editor")
    WIRE_ADMIN = "wire_admin", _("Wire admin")
    # The wire's own translators, employed by the wire, each with assigned languages (the translation app).
    TRANSLATOR = "translator", _("Translator")
    # A member of a media outlet or terminal partner: manages how the organization takes releases (/connect/).
    OUTLET_MEMBER = "outlet_member", _("Outlet or partner member")


ISSUER_ROLES = frozenset({Role.ISSUER_MEMBER, Role.ISSUER_ADMIN})
WIRE_ROLES = frozenset({Role.WIRE_EDITOR, Role.WIRE_ADMIN})
# Organizations whose members write releases.
ISSUING_KINDS = frozenset({OrganizationKind.ISSUER, OrganizationKind.CONTENT_PROVIDER})
# Organizations that take releases: their members manage endpoints, filters and read-only API keys.
RECEIVING_KINDS = frozenset({OrganizationKind.MEDIA_OUTLET, OrganizationKind.TERMINAL_PARTNER})


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    website = models.URLField(blank=True)
    about = models.TextField(blank=True, help_text="The issuer's own boilerplate ('About us').")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_wire(self) -> bool:
        return self.kind == OrganizationKind.WIRE


class User(AbstractUser):
    # The pages' language: empty follows the browser (Accept-Language).
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)
    # Embargo times are entered and shown in this zone, with UTC beside them.
    time_zone = models.CharField(max_length=64, default="UTC")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_wire_staff(self) -> bool:
        return self.role in WIRE_ROLES and self.organization.is_wire

    @property
    def is_wire_translator(self) -> bool:
        return self.role == Role.TRANSLATOR and self.organization.is_wire


class ApiKey(models.Model):
    """A bearer key. Only its SHA-256 is stored; the key itself is shown once, at creation."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    prepositioned = models.BooleanField(
        default=False, help_text="Its stream connections also get each scheduled release sealed when it is "
        "scheduled, and its key at the embargo second (docs/trust.md); set by the wire's operator")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class Invitation(models.Model):
    """An invitation to an organization for someone who already has an account: nothing changes until that person,
    signed in, accepts it through the signed link they were sent."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} invited to {self.organization} ({self.role})"
