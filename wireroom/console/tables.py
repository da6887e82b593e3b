"""The console's tables (django-tables2): which columns, which sort, how a cell is written.

Every cell that holds text someone typed (names, addresses) is isolated (`<bdi dir="auto">`), so a name in Arabic
does not reorder the row around it. Related values (languages, beats, countries) are read for the rows of the page
only, through the prefetches of the views' querysets."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from wireroom.mediadb.models import Contact, Outlet
from wireroom.subscriptions.models import Subscription

ATTRS = {"class": "listing console-table"}
TEMPLATE = "console/table.html"


def _isolated(value: Any) -> SafeString:
    return format_html('<bdi dir="auto">{}</bdi>', value)


def _codes(values: Any) -> str:
    return ", ".join(str(item.pk) for item in values)


class ContactTable(tables.Table):
    name = tables.Column(linkify=lambda record: reverse("console:contact", args=[record.pk]))
    email = tables.Column(verbose_name="Address")
    outlet = tables.Column(order_by=("outlet__name",))
    role = tables.Column()
    languages = tables.Column(empty_values=(), orderable=False)
    beats = tables.Column(empty_values=(), orderable=False)
    countries = tables.Column(empty_values=(), orderable=False)
    consent = tables.BooleanColumn(yesno="yes,no")
    status = tables.Column()

    class Meta:
        model = Contact
        fields = ("name", "email", "outlet", "role", "languages", "beats", "countries", "consent", "status")
        attrs = ATTRS
        template_name = TEMPLATE
        empty_text = "No contact matches."

    def render_name(self, value: str) -> SafeString:
        return _isolated(value or "—")

    def render_email(self, value: str) -> SafeString:
        return _isolated(value)

    def render_outlet(self, value: Outlet) -> SafeString:
        return _isolated(value.name)

    def render_languages(self, record: Contact) -> str:
        return ", ".join(link.language_id for link in record.contactlanguage_set.all()) or "any"

    def render_beats(self, record: Contact) -> str:
        return _codes(record.beats.all()) or "every beat"

    def render_countries(self, record: Contact) -> str:
        return _codes(record.countries.all()) or "every country"


class OutletTable(tables.Table):
    name = tables.Column(linkify=lambda record: reverse("console:outlet", args=[record.pk]))
    id = tables.Column(verbose_name="Id")
    type = tables.Column()
    country = tables.Column(order_by=("country_id",), verbose_name="Country")
    languages = tables.Column(empty_values=(), orderable=False)
    sectors = tables.Column(empty_values=(), orderable=False)
    website = tables.Column()
    desktops = tables.Column()
    active = tables.BooleanColumn(yesno="yes,no")

    class Meta:
        model = Outlet
        fields = ("name", "id", "type", "country", "languages", "sectors", "website", "desktops", "active")
        attrs = ATTRS
        template_name = TEMPLATE
        empty_text = "No outlet matches."

    def render_name(self, value: str) -> SafeString:
        return _isolated(value)

    def render_country(self, record: Outlet) -> str:
        return record.country_id

    def render_website(self, value: str) -> SafeString:
        return _isolated(value)

    def render_languages(self, record: Outlet) -> str:
        return _codes(record.languages.all())

    def render_sectors(self, record: Outlet) -> str:
        return _codes(record.sectors.all()) or "every sector"


class SubscriptionTable(tables.Table):
    subscriber = tables.Column(empty_values=(), orderable=False)
    channel = tables.Column()
    cadence = tables.Column()
    filters = tables.Column(empty_values=(), orderable=False, verbose_name="Sectors · languages · countries")
    active = tables.BooleanColumn(yesno="yes,no")
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="Since (UTC)")

    class Meta:
        model = Subscription
        fields = ("subscriber", "channel", "cadence", "filters", "active", "created_at")
        attrs = ATTRS
        template_name = TEMPLATE
        empty_text = "No subscription matches."

    def render_subscriber(self, record: Subscription) -> SafeString:
        if record.contact is not None:
            url = reverse("console:contact", args=[record.contact.pk])
            return format_html('<a href="{}"><bdi dir="auto">{}</bdi></a> <bdi dir="auto">&lt;{}&gt;</bdi>', url,
                               record.contact.name or "—", record.contact.email)
        assert record.outlet is not None
        return format_html('<a href="{}"><bdi dir="auto">{}</bdi></a>',
                           reverse("console:outlet", args=[record.outlet.pk]), record.outlet.name)

    def render_filters(self, record: Subscription) -> SafeString:
        parts = [_codes(record.sectors.all()) or "all", _codes(record.languages.all()) or "all",
                 _codes(record.countries.all()) or "all"]
        return format_html_join(" · ", "<span>{}</span>", ((part,) for part in parts))
