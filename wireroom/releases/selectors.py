"""Reads of releases. Whatever the public sees goes through `public_releases`; whatever an issuer or an editor
may see beyond that goes through `releases_visible_to` (one membership) or `release_visible_to_user` (a
signed-in user with any of their memberships). Both rest on `_visibility`, the one rule. The archive API reads
through `releases_readable`: the public archive plus what `_visibility` adds for the reader."""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from wireroom.accounts.models import ISSUER_ROLES, Membership
from wireroom.lib.errors import NotFound
from wireroom.releases.models import (
    PREPOSITIONING_EVENTS,
    PUBLIC_STATES,
    Action,
    EventAction,
    Localization,
    PrunedEvents,
    Release,
    ReleaseVersion,
    State,
    WireEvent,
)


def _with_relations(queryset: QuerySet[Release]) -> QuerySet[Release]:
    return queryset.select_related("issuer", "original_language").prefetch_related(
        Prefetch("localizations", queryset=Localization.objects.select_related("language", "translated_from")),
        "sectors", "countries", "regions", "languages",
    )


def _visibility(actor: Membership) -> Q | None:
    """Which releases a membership sees in every state: the wire's staff all of them, an organization's issuer
    members and admins their organization's; anyone else none (None)."""
    if actor.is_wire_staff:
        # Not Q(): an empty Q vanishes when it is OR-ed with another.
        return Q(pk__isnull=False)
    if actor.role in ISSUER_ROLES:
        return Q(issuer_id=actor.organization_id)
    return None


def _public(moment: dt.datetime) -> Q:
    return (Q(state__in=PUBLIC_STATES, published_at__isnull=False, published_at__lte=moment)
            & (Q(embargo_at__isnull=True) | Q(embargo_at__lte=moment)))


def public_releases(*, now: dt.datetime | None = None) -> QuerySet[Release]:
    """Published or corrected, with the embargo second passed; never withdrawn."""
    return _with_relations(Release.objects.filter(_public(now or timezone.now())).order_by("-published_at", "-id"))


def public_release(*, release_id: uuid.UUID) -> Release | None:
    return public_releases().filter(pk=release_id).first()


def release_is_withdrawn(*, release_id: uuid.UUID) -> bool:
    return Release.objects.filter(pk=release_id, state=State.WITHDRAWN).exists()


def releases_visible_to(*, actor: Membership) -> QuerySet[Release]:
    """What one membership (an API key's, a service's actor) may see, in every state."""
    rule = _visibility(actor)
    queryset = Release.objects.none() if rule is None else Release.objects.filter(rule)
    return _with_relations(queryset.order_by("-created_at", "-id"))


def release_for(*, actor: Membership, release_id: str | uuid.UUID) -> Release:
    """The release if the actor may see it; another organization's is missing, never forbidden."""
    try:
        key = uuid.UUID(str(release_id))
    except ValueError:
        raise NotFound("No such release.") from None
    release = releases_visible_to(actor=actor).filter(pk=key).first()
    if release is None:
        raise NotFound("No such release.")
    return release


def release_visible_to_user(*, user: AbstractBaseUser | AnonymousUser, release_id: uuid.UUID) -> Release | None:
    """The release if a signed-in user may see it in every state through any of their memberships: the
    newsroom's preview and the distribution report ask here."""
    if not user.is_authenticated:
        return None
    rules = [rule for actor in Membership.objects.select_related("organization").filter(user_id=user.pk)
             if (rule := _visibility(actor)) is not None]
    if not rules:
        return None
    return _with_relations(Release.objects.filter(reduce(operator.or_, rules), pk=release_id)).first()


def release_by_pk(*, pk: uuid.UUID) -> Release:
    return _with_relations(Release.objects.filter(pk=pk)).get()


def latest_correction_note(*, release: Release) -> str:
    latest = release.versions.order_by("-number").first()
    return latest.note if latest is not None and latest.action == "correct" else ""


@dataclass(frozen=True)
class ArchiveFilters:
    """What an archive reader narrows the list by; None is no filter. `since` is inclusive, `until` exclusive
    (both on the publication time); `updated_since` is inclusive, on the last change."""

    sector: str | None = None
    language: str | None = None
    country: str | None = None
    region: str | None = None
    issuer: str | None = None
    kind: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    updated_since: dt.datetime | None = None

    def q(self) -> Q:
        rule = Q(pk__isnull=False)
        # Exists rather than joins, so a release never comes twice and the cursor's order holds.
        if self.sector is not None:
            rule &= Q(Exists(Release.sectors.through.objects.filter(release_id=OuterRef("pk"),
                                                                     sector_id=self.sector)))
        if self.language is not None:
            rule &= Q(Exists(Localization.objects.filter(release_id=OuterRef("pk"), language_id=self.language)))
        if self.country is not None:
            rule &= Q(Exists(Release.countries.through.objects.filter(release_id=OuterRef("pk"),
                                                                       country_id=self.country)))
        if self.region is not None:
            rule &= Q(Exists(Release.regions.through.objects.filter(release_id=OuterRef("pk"),
                                                                     region_id=self.region)))
        if self.issuer is not None:
            rule &= Q(issuer__slug=self.issuer)
        if self.kind is not None:
            rule &= Q(kind=self.kind)
        if self.since is not None:
            rule &= Q(published_at__gte=self.since)
        if self.until is not None:
            rule &= Q(published_at__lt=self.until)
        if self.updated_since is not None:
            rule &= Q(updated_at__gte=self.updated_since)
        return rule


def _readable(actor: Membership | None, moment: dt.datetime) -> Q:
    own = _visibility(actor) if actor is not None else None
    return _public(moment) if own is None else _public(moment) | own


def releases_readable(*, actor: Membership | None, filters: ArchiveFilters | None = None,
                      now: dt.datetime | None = None) -> QuerySet[Release]:
    """The archive as a reader sees it, newest first: every public release (published or corrected, past its
    embargo), plus what the reader's membership sees in every state (its organization's releases; all of
    them for the wire's staff). None is an anonymous reader: the public archive only, as for the keys of
    outlets and partners, whose organizations issue nothing. Never for writes:
    `releases_visible_to` decides what a membership may act on."""
    rule = _readable(actor, now or timezone.now()) & (filters or ArchiveFilters()).q()
    return _with_relations(Release.objects.filter(rule).order_by("-created_at", "-id"))


def release_readable(*, actor: Membership | None, release_id: str | uuid.UUID,
                     now: dt.datetime | None = None) -> Release:
    """One release of the archive as `releases_readable` has it; anything else is missing, never forbidden."""
    try:
        key = uuid.UUID(str(release_id))
    except ValueError:
        raise NotFound("No such release.") from None
    release = releases_readable(actor=actor, now=now).filter(pk=key).first()
    if release is None:
        raise NotFound("No such release.")
    return release


def archive_changed_at(*, actor: Membership | None, filters: ArchiveFilters | None = None,
                       now: dt.datetime | None = None) -> dt.datetime | None:
    """When the list `releases_readable` gives last changed: a release readable now was edited, published or
    came out of its embargo, or one matching the filters was withdrawn (and so left the list)."""
    moment = now or timezone.now()
    matching = Release.objects.filter((filters or ArchiveFilters()).q())
    readable = matching.filter(_readable(actor, moment)).aggregate(
        updated=Max("updated_at"), published=Max("published_at"),
        embargo=Max("embargo_at", filter=Q(embargo_at__lte=moment)))
    gone = matching.filter(state=State.WITHDRAWN).aggregate(withdrawn=Max("withdrawn_at"), updated=Max("updated_at"))
    times = [value for value in (*readable.values(), *gone.values()) if value is not None]
    return max(times, default=None)


def release_versions(*, actor: Membership | None, release_id: str | uuid.UUID) -> tuple[Release, list[ReleaseVersion]]:
    """A readable release and its distributed versions, oldest first. A withdrawn release, and so each of its
    versions, is readable only by its issuer and the wire's staff."""
    release = release_readable(actor=actor, release_id=release_id)
    return release, list(release.versions.order_by("number"))


def release_version(*, actor: Membership | None, release_id: str | uuid.UUID,
                    number: int) -> tuple[Release, ReleaseVersion]:
    release = release_readable(actor=actor, release_id=release_id)
    version = release.versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"This release has no version {number}.")
    return release, version


@dataclass(frozen=True)
class EventFilters:
    """What a reader of the event log wants: each field is a set of accepted values (any of them); an empty one
    accepts everything. `language` is a language the release has a text in; `issuer` an organization's slug."""

    sector: frozenset[str] = frozenset()
    language: frozenset[str] = frozenset()
    country: frozenset[str] = frozenset()
    region: frozenset[str] = frozenset()
    issuer: frozenset[str] = frozenset()
    kind: frozenset[str] = frozenset()

    def query(self) -> Q:
        rule = Q()
        for field, lookup in (("sector", "release__sectors__slug__in"),
                              ("language", "release__localizations__language_id__in"),
                              ("country", "release__countries__code__in"),
                              ("region", "release__regions__slug__in"),
                              ("issuer", "release__issuer__slug__in"),
                              ("kind", "release__kind__in")):
            values = getattr(self, field)
            if values:
                rule &= Q(**{lookup: sorted(values)})
        return rule

    def matches(self, release: Release) -> bool:
        """The same rule as `query`, on a release loaded with its relations (the stream's live events)."""
        facts = {
            "sector": {sector.slug for sector in release.sectors.all()},
            "language": {loc.language_id for loc in release.localizations.all()},
            "country": {country.code for country in release.countries.all()},
            "region": {region.slug for region in release.regions.all()},
            "issuer": {release.issuer.slug},
            "kind": {release.kind},
        }
        return all(not getattr(self, field) or getattr(self, field) & values for field, values in facts.items())


@dataclass(frozen=True)
class EventPage:
    """Events after a cursor, oldest first. `stale`: the cursor is older than the retained log, events after it
    were pruned, and the reader must resync (through the API) rather than trust the log to be complete."""

    events: list[WireEvent]
    stale: bool
    oldest_retained: int | None


def events_after(*, cursor: int, filters: EventFilters | None = None, limit: int = 500,
                 prepositioned: bool = False) -> EventPage:
    """What went out after `cursor` (a `seq`) that matches `filters`, at most `limit`, in `seq` order.

    Exact on both databases because events become visible in `seq` order (see `_append_event`). The publications
    and corrections of a release withdrawn since are left out: its content is no longer the public's, and its
    withdrawal event, which follows them, tells the reader. Every event comes with its release and the
    release's relations, loaded for the formats and for `EventFilters.matches`.

    Pre-positioning's events (`PREPOSITIONING_EVENTS`) only with `prepositioned`: for the stream's clients that
    opted in, and the hub that hands events to all clients. A release withdrawn since keeps its kill events.
    """
    queryset = WireEvent.objects.filter(seq__gt=cursor).exclude(
        Q(release__state=State.WITHDRAWN) & ~Q(action__in=(Action.WITHDRAW, EventAction.KILL)))
    if not prepositioned:
        queryset = queryset.exclude(action__in=PREPOSITIONING_EVENTS)
    if filters is not None and filters.query():
        # Several values of a many-to-many filter match one event through several rows.
        matching = WireEvent.objects.filter(filters.query(), seq__gt=cursor).values("seq")
        queryset = queryset.filter(seq__in=matching)
    events = list(queryset.order_by("seq").prefetch_related(
        Prefetch("release", queryset=_with_relations(Release.objects.all())))[:limit])
    pruned = PrunedEvents.objects.values_list("through_seq", flat=True).first() or 0
    oldest = WireEvent.objects.order_by("seq").values_list("seq", flat=True).first()
    return EventPage(events=events, stale=cursor < pruned, oldest_retained=oldest)


def events_head() -> int:
    """The `seq` of the newest event (pruned ones count), 0 for a log never written: where a reader without a cursor
    starts."""
    newest = WireEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    return max(newest, PrunedEvents.objects.values_list("through_seq", flat=True).first() or 0)
