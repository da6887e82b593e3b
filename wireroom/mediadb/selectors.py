from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet, Sum

from wireroom.mediadb.models import Contact, ContactStatus, Outlet, OutletType

REACH_CACHE_SECONDS = 300


@dataclass(frozen=True)
class WireReach:
    outlets: int
    contacts: int
    desktops: int
    countries: int


def wire_reach() -> WireReach:
    """What the boilerplate claims, counted from the media database rather than written by hand."""
    cached = cache.get("wire-reach")
    if isinstance(cached, WireReach):
        return cached
    outlets = Outlet.objects.filter(active=True)
    reach = WireReach(
        outlets=outlets.exclude(type=OutletType.TERMINAL_PARTNER).count(),
        contacts=Contact.objects.filter(status=ContactStatus.ACTIVE, consent=True).count(),
        desktops=outlets.filter(type=OutletType.TERMINAL_PARTNER).aggregate(total=Sum("desktops"))["total"] or 0,
        countries=outlets.values("country").distinct().count(),
    )
    cache.set("wire-reach", reach, REACH_CACHE_SECONDS)
    return reach


def outlets_filtered(*, country: str | None = None, type: str | None = None, active: bool | None = None,
                     name: str = "", after: int | None = None) -> QuerySet[Outlet]:
    """Outlets and partners in id order (so a page can continue `after` the last id it showed)."""
    outlets = Outlet.objects.order_by("pk")
    if country:
        outlets = outlets.filter(country_id=country.upper())
    if type:
        outlets = outlets.filter(type=type)
    if active is not None:
        outlets = outlets.filter(active=active)
    if name:
        outlets = outlets.filter(name__icontains=name)
    if after is not None:
        outlets = outlets.filter(pk__gt=after)
    return outlets
