"""The filters and searches of the console's tables (django-filter), read from the query string.

Filters on a many-to-many link (beats, languages, countries, sectors) are `EXISTS` subqueries rather than joins,
so a page never needs `DISTINCT` over the whole table and the count stays one cheap query at 100,000 rows."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from wireroom.mediadb.models import Contact, ContactLanguage, ContactRole, ContactStatus, Outlet, OutletType
from wireroom.subscriptions.models import Cadence, Channel, Subscription
from wireroom.taxonomy.models import Country, Language, Sector

YES_NO = (("yes", "Yes"), ("no", "No"))


def _linked(through: Any, owner: str, column: str, value: Any) -> Exists:
    return Exists(through.objects.filter(**{owner: OuterRef("pk"), column: value}))


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or address", method="search")
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.order_by("code"), method="covers",
                                               label="Country")
    language = django_filters.ModelChoiceFilter(queryset=Language.objects.order_by("code"), method="reads",
                                                label="Language")
    beat = django_filters.ModelChoiceFilter(queryset=Sector.objects.order_by("slug"), method="follows",
                                            label="Beat")
    outlet = django_filters.NumberFilter(field_name="outlet_id", label="Outlet id")
    role = django_filters.ChoiceFilter(choices=ContactRole.choices)
    status = django_filters.ChoiceFilter(choices=ContactStatus.choices, label="Status (bounces, unsubscribes)")
    consent = django_filters.ChoiceFilter(choices=YES_NO, method="consented", label="Consent")

    class Meta:
        model = Contact
        fields: list[str] = []

    def search(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value)) if value else queryset

    def covers(self, queryset: QuerySet[Contact], name: str, value: Country) -> QuerySet[Contact]:
        return queryset.filter(_linked(Contact.countries.through, "contact_id", "country_id", value.pk))

    def reads(self, queryset: QuerySet[Contact], name: str, value: Language) -> QuerySet[Contact]:
        return queryset.filter(_linked(ContactLanguage, "contact_id", "language_id", value.pk))

    def follows(self, queryset: QuerySet[Contact], name: str, value: Sector) -> QuerySet[Contact]:
        return queryset.filter(_linked(Contact.beats.through, "contact_id", "sector_id", value.pk))

    def consented(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return queryset.filter(consent=value == "yes")


class OutletFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or website", method="search")
    type = django_filters.ChoiceFilter(choices=OutletType.choices)
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.order_by("code"), label="Country")
    language = django_filters.ModelChoiceFilter(queryset=Language.objects.order_by("code"), method="publishes_in",
                                                label="Language")
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.order_by("slug"), method="covers",
                                              label="Sector")
    active = django_filters.ChoiceFilter(choices=YES_NO, method="is_active", label="Active")

    class Meta:
        model = Outlet
        fields: list[str] = []

    def search(self, queryset: QuerySet[Outlet], name: str, value: str) -> QuerySet[Outlet]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(website__icontains=value)) if value else queryset

    def publishes_in(self, queryset: QuerySet[Outlet], name: str, value: Language) -> QuerySet[Outlet]:
        return queryset.filter(_linked(Outlet.languages.through, "outlet_id", "language_id", value.pk))

    def covers(self, queryset: QuerySet[Outlet], name: str, value: Sector) -> QuerySet[Outlet]:
        return queryset.filter(_linked(Outlet.sectors.through, "outlet_id", "sector_id", value.pk))

    def is_active(self, queryset: QuerySet[Outlet], name: str, value: str) -> QuerySet[Outlet]:
        return queryset.filter(active=value == "yes")


class SubscriptionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Subscriber's name or address", method="search")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    cadence = django_filters.ChoiceFilter(choices=Cadence.choices)
    active = django_filters.ChoiceFilter(choices=YES_NO, method="is_active", label="Active")

    class Meta:
        model = Subscription
        fields: list[str] = []

    def search(self, queryset: QuerySet[Subscription], name: str, value: str) -> QuerySet[Subscription]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(contact__name__icontains=value) | Q(contact__email__icontains=value)
                               | Q(outlet__name__icontains=value))

    def is_active(self, queryset: QuerySet[Subscription], name: str, value: str) -> QuerySet[Subscription]:
        return queryset.filter(active=value == "yes")
