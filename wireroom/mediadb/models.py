from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Lower

if TYPE_CHECKING:
    from wireroom.taxonomy.models import Language


class OutletType(models.TextChoices):
    NEWSPAPER = "newspaper", "Newspaper"
    ONLINE = "online", "Online"
    TV = "tv", "TV"
    RADIO = "radio", "Radio"
    NEWS_AGENCY = "news_agency", "News agency"
    TRADE = "trade", "Trade publication"
    TERMINAL_PARTNER = "terminal_partner", "Terminal partner"


class Outlet(models.Model):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=OutletType.choices)
    country = models.ForeignKey("taxonomy.Country", on_delete=models.PROTECT, related_name="outlets")
    languages = models.ManyToManyField("taxonomy.Language", related_name="outlets")
    sectors = models.ManyToManyField("taxonomy.Sector", related_name="outlets", blank=True)
    website = models.URLField(blank=True)
    organization = models.OneToOneField(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="outlet",
        help_text="The account through which the outlet or partner uses the API",
    )
    desktops = models.PositiveIntegerField(
        default=0, help_text="Professional desktops a terminal partner declares it serves"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["type", "country"])]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.TextChoices):
    JOURNALIST = "journalist", "Journalist"
    EDITOR = "editor", "Editor"


class ContactStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Complained"


class ConsentBasis(models.TextChoices):
    """The lawful ground on which the wire may write to a contact."""

    CONSENT = "consent", "Consent"
    LEGITIMATE_INTEREST = "legitimate_interest", "Legitimate interest"
    CONTRACT = "contract", "Contract"


class Contact(models.Model):
    """A journalist or editor. Only `active` contacts with consent are ever sent anything."""

    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    role = models.CharField(max_length=20, choices=ContactRole.choices, default=ContactRole.JOURNALIST)
    beats = models.ManyToManyField("taxonomy.Sector", related_name="contacts", blank=True)
    languages: models.ManyToManyField[Language, ContactLanguage] = models.ManyToManyField(
        "taxonomy.Language", through="ContactLanguage", related_name="contacts"
    )
    countries = models.ManyToManyField("taxonomy.Country", related_name="contacts", blank=True)
    # A region stands for its countries; with neither countries nor regions, every country.
    regions = models.ManyToManyField("taxonomy.Region", related_name="contacts", blank=True)
    consent = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(max_length=100, blank=True)
    consent_basis = models.CharField(max_length=30, choices=ConsentBasis.choices, blank=True)
    # IANA name; blank: the zone of the contact's country when it has only one, else UTC (`digest_zone`).
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA time zone, e.g. Asia/Tokyo")
    status = models.CharField(max_length=20, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        # (name, id): the console's table pages in this order, and a page deep in 100,000 contacts must not sort
        # the whole table.
        indexes = [models.Index(fields=["status"]), models.Index(fields=["name", "id"], name="contact_name_order")]
        # One contact per address whatever its case: imports and sign-ups look addresses up case-insensitively,
        # and this keeps two racing writers from creating the same journalist twice.
        constraints = [models.UniqueConstraint(Lower("email"), name="contact_email_folded_once")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ContactLanguage(models.Model):
    """A language a contact reads; `rank` 1 is the one they prefer."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE)
    language = models.ForeignKey("taxonomy.Language", on_delete=models.CASCADE)
    rank = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["contact", "language"], name="contact_language_once")]

    def __str__(self) -> str:
        return f"{self.language_id} ({self.rank})"


class ConsentRecord(models.Model):
    """Proof of one consent: when, through what, and the exact words the person agreed to, in their language.

    Append-only: a later consent adds a record, it never rewrites an earlier one.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_records")
    basis = models.CharField(max_length=30, choices=ConsentBasis.choices)
    source = models.CharField(max_length=100)
    wording = models.TextField(blank=True)
    language = models.CharField(max_length=35, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.basis} via {self.source} at {self.recorded_at:%Y-%m-%d %H:%M:%S}"
