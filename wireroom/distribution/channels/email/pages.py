"""What the e-mail audience's own pages share (unsubscribe, preference centre, sign-up): the page's language,
its texts in that language, the options of the choice forms, and the rendering."""

from __future__ import annotations

from typing import Any

from babel.dates import get_timezone_location
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus
from wireroom.subscriptions.models import Cadence
from wireroom.subscriptions.preferences import time_zones
from wireroom.taxonomy.labels import region_labels, territory_labels
from wireroom.taxonomy.models import Country, Language, Region, Sector, tag_for_django_code


def contact_languages(contact: Contact) -> list[Language]:
    links = ContactLanguage.objects.filter(contact=contact).select_related("language").order_by("rank")
    return [link.language for link in links]


def page_language(request: HttpRequest, languages: list[Language]) -> tuple[str, str, str]:
    """(Django code, BCP 47 tag, direction) of the page: the contact's first language the interface speaks."""
    spoken = {code for code, _name in settings.LANGUAGES}
    for language in languages:
        if language.django_code in spoken:
            return language.django_code, language.code, language.direction
    code = translation.get_language_from_request(request) if not languages else "en"
    return code, tag_for_django_code(code), "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


def page_texts(contact: Contact | None) -> dict[str, str]:
    params = {"wire": settings.WIRE_NAME, "email": contact.email if contact else ""}
    return {
        "unsubscribe": _("Unsubscribe"),
        "preferences": _("Manage your preferences"),
        "subscribe_again": _("Subscribe again"),
        "languages": _("Languages"),
        "sectors": _("Sectors"),
        "confirm": _("Stop receiving releases from %(wire)s at %(email)s?") % params,
        "unsubscribed": _("You are unsubscribed: %(email)s will receive no more releases from %(wire)s.") % params,
        "subscribed": _("You are subscribed: %(email)s receives releases from %(wire)s.") % params,
        "bad_link": _("This link is not valid. Use the link in a recent message from %(wire)s.") % params,
        "countries": _("Countries"),
        "regions": _("Regions"),
        "cadence": _("How often"),
        "time_zone": _("Time zone"),
        "time_zone_auto": _("Automatic: from your country"),
        "time_zone_hint": _("Daily and weekly digests arrive in the morning in this time zone."),
        "save": _("Save my choices"),
        "saved": _("Your choices are saved."),
        "none_means_all": _("Choose none to receive releases of every sector or country."),
        "regions_hint": _("A region stands for all of its countries. Choose no country and no region to receive "
                          "releases of every country."),
        "invalid": _("Some of your choices were not recognised, or no language was chosen: nothing was changed."),
    }


def cadences() -> list[tuple[str, str]]:
    return [(Cadence.INSTANT, _("Each release as it is published")), (Cadence.DAILY, _("A daily digest")),
            (Cadence.WEEKLY, _("A weekly digest")), (Cadence.PAUSED, _("Nothing for now (paused)"))]


def form_choices(tag: str) -> dict[str, Any]:
    """Every option of the form, named in the page's language."""
    return {
        "all_sectors": [(sector.slug, sector.label(tag)) for sector in Sector.objects.all()],
        "all_languages": list(Language.objects.order_by("-first_class", "name")),
        "all_countries": sorted(((country.code, territory_labels(country.code, country.name).get(tag, country.name))
                                 for country in Country.objects.all()), key=lambda pair: pair[1]),
        "all_regions": sorted(((region.slug, region_labels(region.slug, region.name).get(tag, region.name))
                               for region in Region.objects.all()), key=lambda pair: pair[1]),
        "cadences": cadences(),
        "time_zones": _time_zone_choices(tag),
    }


def _time_zone_choices(tag: str) -> list[tuple[str, str]]:
    """Every zone a contact may pick, named where it is in the page's language, sorted by that name."""
    locale = tag.replace("-", "_")
    named = []
    for zone in time_zones():
        try:
            place = get_timezone_location(zone, locale=locale)
        except (LookupError, ValueError):
            place = zone
        named.append((zone, f"{place} · {zone}"))
    return sorted(named, key=lambda pair: pair[1])


def render_page(request: HttpRequest, template: str, contact: Contact | None, *, status: int = 200,
                shown_in: Language | None = None, **context: Any) -> HttpResponse:
    """Renders in the contact's language; a page for nobody yet (sign-up) in `shown_in`, else the browser's."""
    languages = contact_languages(contact) if contact is not None else [shown_in] if shown_in else []
    django_code, tag, direction = page_language(request, languages)
    active = contact is not None and contact.status == ContactStatus.ACTIVE
    with translation.override(django_code):
        beats = [sector.label(tag) for sector in contact.beats.all()] if contact is not None else []
        if context.pop("form", False):
            context.update(form_choices(tag))
        body = render_to_string(template, {
            "contact": contact, "t": page_texts(contact), "page_lang": tag, "page_dir": direction,
            "languages": languages, "beats": beats, "active": active,
            **context,
        }, request)
    return HttpResponse(body, status=status)


def bad_link(request: HttpRequest) -> HttpResponse:
    return render_page(request, "email/bad_link.html", None, status=400)
