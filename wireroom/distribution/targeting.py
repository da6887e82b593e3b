"""Who gets a release: computed set-wise in SQL from the release and the media database.

A journalist is targeted when their beats, countries (or regions) and languages meet the release's (an empty side
means "any"); an outlet or partner endpoint when one of its webhook subscriptions matches. Each
recipient gets the best localization: the first of their languages, by preference, that the release
has; otherwise the original. Only active contacts with consent are ever targeted. A WebSub subscriber
of the wire's own hub is targeted while its lease runs, when the release is in the feed it subscribed to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from wireroom.distribution.models import HubSubscription
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
    # What the feeds narrow by: the countries and regions the release names itself (not the countries of its
    # regions) and its issuer's slug.
    named_countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    issuer_slug: str = ""


def target_of(release: Release) -> Target:
    return target_from(
        sectors=list(release.sectors.values_list("slug", flat=True)),
        countries=list(release.countries.values_list("code", flat=True)),
        regions=list(release.regions.values_list("slug", flat=True)),
        languages=list(release.languages.values_list("code", flat=True)),
        available=list(release.localizations.values_list("language_id", flat=True)),
        original=release.original_language_id,
        kind=release.kind,
        issuer_id=release.issuer_id,
        issuer_slug=release.issuer.slug,
    )


def target_from(*, sectors: list[str], countries: list[str], regions: list[str], languages: list[str],
                available: list[str], original: str, kind: str, issuer_id: int, issuer_slug: str = "") -> Target:
    """The target of choices that need not be saved yet (the workspace's live estimate); regions count as their
    countries."""
    reached = set(countries) | set(Country.objects.filter(regions__in=regions).values_list("code", flat=True))
    return Target(sectors=sectors, countries=sorted(reached), languages=languages, available=available,
                  original=original, kind=kind, issuer_id=issuer_id, named_countries=list(countries),
                  regions=list(regions), issuer_slug=issuer_slug)


def _overlaps(through: type, owner: str, field: str, values: list[str]) -> Q:
    """Rows of `through` for this owner meet `values`, or the owner has none at all ("any")."""
    mine = through.objects.filter(**{owner: OuterRef("pk")})  # type: ignore[attr-defined]
    return Q(Exists(mine.filter(**{f"{field}__in": values}))) | ~Q(Exists(mine))


def _readers(target: Target) -> QuerySet[Contact]:
    """Active, consenting contacts whose beats, countries and languages meet the release's."""
    contacts = Contact.objects.filter(status=ContactStatus.ACTIVE, consent=True)
    if target.sectors:
        contacts = contacts.filter(_overlaps(Contact.beats.through, "contact", "sector", target.sectors))
    if target.countries:
        # A country of the release among the contact's, or in one of their regions; or they chose none of either.
        countries = Contact.countries.through.objects.filter(contact=OuterRef("pk"))
        regions = Contact.regions.through.objects.filter(contact=OuterRef("pk"))
        contacts = contacts.filter(Q(Exists(countries.filter(country__in=target.countries)))
                                   | Q(Exists(regions.filter(region__countries__in=target.countries)))
                                   | (~Q(Exists(countries)) & ~Q(Exists(regions))))
    if target.languages:
        reads = ContactLanguage.objects.filter(contact=OuterRef("pk"),
                                               language__in=[*target.languages, target.original])
        contacts = contacts.filter(Exists(reads))
    return contacts


def _with_best_language(contacts: QuerySet[Contact], target: Target) -> QuerySet[Any]:
    best = ContactLanguage.objects.filter(contact=OuterRef("pk"), language__in=target.available).order_by("rank")
    return contacts.annotate(
        best_language=Coalesce(Subquery(best.values("language_id")[:1], output_field=CharField()),
                               Value(target.original), output_field=CharField())
    )


def _email_subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.filter(contact=OuterRef("pk"), channel=Channel.EMAIL, active=True)


def email_recipients(target: Target) -> QuerySet[Any]:
    """Contacts to reach at once, each annotated with `best_language`."""
    # Those who asked for digests (or a pause) only are left out of the instant fan-out.
    subscriptions = _email_subscriptions()
    digest_only = Q(Exists(subscriptions.exclude(cadence=Cadence.INSTANT))) & ~Q(
        Exists(subscriptions.filter(cadence=Cadence.INSTANT)))
    return _with_best_language(_readers(target).exclude(digest_only), target)


def digest_recipients(target: Target, *, cadence: str) -> QuerySet[Any]:
    """Contacts whose `cadence` digest lists the release, each annotated with `best_language`."""
    subscriptions = _email_subscriptions()
    wanted = Q(Exists(subscriptions.filter(cadence=cadence))) & ~Q(
        Exists(subscriptions.filter(cadence=Cadence.INSTANT)))
    return _with_best_language(_readers(target).filter(wanted), target)


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


def hub_recipients(target: Target, *, now: dt.datetime | None = None) -> QuerySet[HubSubscription]:
    """The own hub's subscribers whose feed holds the release: on every axis the feed names (an empty one is
    any), the release has that value, as `feeds` narrows a feed. With an external hub set the own hub takes no
    new subscriptions, but those it verified before keep their lease."""

    def axis(name: str, values: list[str]) -> Q:
        return Q(**{name: ""}) | Q(**{f"{name}__in": values})

    return HubSubscription.objects.filter(
        axis("language", target.available), axis("sector", target.sectors), axis("issuer", [target.issuer_slug]),
        axis("country", target.named_countries), axis("region", target.regions),
        expires_at__gt=now or timezone.now())


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
    return target_reach(target_of(release))


def target_reach(target: Target) -> Reach:
    """How far a release aimed at `target` would go: the workspace asks it of choices not saved yet."""
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
