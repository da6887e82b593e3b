"""Who gets a release: computed set-wise in SQL from the release and the media database.

A journalist is targeted when their beats, countries and languages meet the release's (an empty side
means "any"); an outlet or partner endpoint when one of its webhook subscriptions matches. Each
recipient gets the best localization: the first of their languages, by preference, that the release
has; otherwise the original. Only active contacts with consent are ever targeted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus, Outlet, OutletType
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Cadence, Channel, SftpEndpoint, Subscription, WebhookEndpoint
from wireroom.taxonomy.models import Country


@dataclass(frozen=True)
class Target:
    sectors: list[str]
    countries: list[str]
    languages: list[str]  # languages the release is distributed in (empty: any)
    available: list[str]  # languages the release has a localization in
    original: str
    kind: str
    issuer_id: int


def target_of(release: Release) -> Target:
    countries = set(release.countries.values_list("code", flat=True))
    countries |= set(Country.objects.filter(regions__in=release.regions.all()).values_list("code", flat=True))
    return Target(
        sectors=list(release.sectors.values_list("slug", flat=True)),
        countries=sorted(countries),
        languages=list(release.languages.values_list("code", flat=True)),
        available=list(release.localizations.values_list("language_id", flat=True)),
        original=release.original_language_id,
        kind=release.kind,
        issuer_id=release.issuer_id,
    )


def _overlaps(through: type, owner: str, field: str, values: list[str]) -> Q:
    """Rows of `through` for this owner meet `values`, or the owner has none at all ("any")."""
    mine = through.objects.filter(**{owner: OuterRef("pk")})  # type: ignore[attr-defined]
    return Q(Exists(mine.filter(**{f"{field}__in": values}))) | ~Q(Exists(mine))


def email_recipients(target: Target) -> QuerySet[Any]:
    """Contacts to reach, each annotated with `best_language`."""
    contacts = Contact.objects.filter(status=ContactStatus.ACTIVE, consent=True)
    if target.sectors:
        contacts = contacts.filter(_overlaps(Contact.beats.through, "contact", "sector", target.sectors))
    if target.countries:
        contacts = contacts.filter(_overlaps(Contact.countries.through, "contact", "country", target.countries))
    if target.languages:
        reads = ContactLanguage.objects.filter(contact=OuterRef("pk"),
                                               language__in=[*target.languages, target.original])
        contacts = contacts.filter(Exists(reads))
    # Those who asked for digests only are left to the digest, not the instant fan-out.
    email_subscriptions = Subscription.objects.filter(contact=OuterRef("pk"), channel=Channel.EMAIL, active=True)
    digest_only = Q(Exists(email_subscriptions.exclude(cadence=Cadence.INSTANT))) & ~Q(
        Exists(email_subscriptions.filter(cadence=Cadence.INSTANT)))
    best = ContactLanguage.objects.filter(contact=OuterRef("pk"), language__in=target.available).order_by("rank")
    return contacts.exclude(digest_only).annotate(
        best_language=Coalesce(Subquery(best.values("language_id")[:1], output_field=CharField()),
                               Value(target.original), output_field=CharField())
    )


def _subscription_matches(target: Target) -> Q:
    def axis(relation: str, values: list[str]) -> Q:
        through = getattr(Subscription, relation).through
        mine = through.objects.filter(subscription=OuterRef("pk"))
        field = {"sectors": "sector", "languages": "language", "countries": "country"}[relation]
        if not values:
            # A release that names nothing on an axis matches every subscription on it, as with e-mail.
            return Q()
        return Q(Exists(mine.filter(**{f"{field}__in": values}))) | ~Q(Exists(mine))

    issuers = Subscription.issuers.through.objects.filter(subscription=OuterRef("pk"))
    return (
        axis("sectors", target.sectors)
        & axis("languages", [*target.languages, *target.available])
        & axis("countries", target.countries)
        & (Q(kinds="") | Q(kinds__contains=f",{target.kind},"))
        & (Q(Exists(issuers.filter(organization_id=target.issuer_id))) | ~Q(Exists(issuers)))
    )


def webhook_recipients(target: Target) -> QuerySet[WebhookEndpoint]:
    matching = Subscription.objects.filter(_subscription_matches(target), endpoint=OuterRef("pk"),
                                           channel=Channel.WEBHOOK, active=True, cadence=Cadence.INSTANT)
    return WebhookEndpoint.objects.filter(Exists(matching), active=True, outlet__active=True)


def sftp_recipients(target: Target) -> QuerySet[SftpEndpoint]:
    matching = Subscription.objects.filter(_subscription_matches(target), sftp_endpoint=OuterRef("pk"),
                                           channel=Channel.SFTP, active=True, cadence=Cadence.INSTANT)
    return SftpEndpoint.objects.filter(Exists(matching), active=True, outlet__active=True)


@dataclass(frozen=True)
class Reach:
    journalists: int
    outlets: int
    endpoints: int
    partner_desktops: int
    countries: int
    by_language: dict[str, int]


def reach_estimate(release: Release) -> Reach:
    """How far a release would go, from the very selectors the fan-out uses."""
    target = target_of(release)
    contacts = email_recipients(target)
    endpoints = webhook_recipients(target)
    by_language = dict(contacts.order_by().values_list("best_language").annotate(n=Count("id")))
    outlet_ids = set(contacts.exclude(outlet=None).values_list("outlet_id", flat=True).distinct())
    outlet_ids |= set(endpoints.values_list("outlet_id", flat=True))
    # Terminal partners that take files: their desktops are reached as much as a webhook partner's.
    outlet_ids |= set(sftp_recipients(target).values_list("outlet_id", flat=True))
    outlets = Outlet.objects.filter(pk__in=outlet_ids)
    desktops = outlets.filter(type=OutletType.TERMINAL_PARTNER).aggregate(total=Sum("desktops"))["total"] or 0
    return Reach(
        journalists=sum(by_language.values()),
        outlets=outlets.exclude(type=OutletType.TERMINAL_PARTNER).count(),
        endpoints=endpoints.count(),
        partner_desktops=desktops,
        countries=outlets.values("country").distinct().count(),
        by_language=by_language,
    )
