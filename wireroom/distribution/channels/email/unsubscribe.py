"""Unsubscribe (RFC 8058 one-click included) and the preference centre, both reached by the signed contact token
in every message: no login, the token in the URL is the credential. One-click unsubscribe comes from mail clients
and so carries no CSRF token; the preference centre's form does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wireroom.distribution.channels.email.suppression import contact_resubscribe, contact_unsubscribe
from wireroom.distribution.channels.email.tokens import contact_id_from_token, preferences_url, unsubscribe_url
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus
from wireroom.subscriptions.models import Cadence
from wireroom.subscriptions.preferences import contact_preferences, contact_preferences_update
from wireroom.taxonomy.labels import territory_labels
from wireroom.taxonomy.models import Country, Language, Sector


def _contact(token: str) -> Contact | None:
    contact_id = contact_id_from_token(token)
    return Contact.objects.filter(pk=contact_id).first() if contact_id is not None else None


def _languages(contact: Contact) -> list[Language]:
    links = ContactLanguage.objects.filter(contact=contact).select_related("language").order_by("rank")
    return [link.language for link in links]


def _page_language(request: HttpRequest, languages: list[Language]) -> tuple[str, str, str]:
    """(Django code, BCP 47 tag, direction) of the page: the contact's first language the interface speaks."""
    spoken = {code for code, _name in settings.LANGUAGES}
    for language in languages:
        if language.django_code in spoken:
            return language.django_code, language.code, language.direction
    code = translation.get_language_from_request(request) if not languages else "en"
    return code, code, "rtl" if translation.get_language_info(code)["bidi"] else "ltr"


def _texts(contact: Contact | None) -> dict[str, str]:
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
        "cadence": _("How often"),
        "save": _("Save my choices"),
        "saved": _("Your choices are saved."),
        "none_means_all": _("Choose none to receive releases of every sector or country."),
        "invalid": _("Some of your choices were not recognised, or no language was chosen: nothing was changed."),
    }


def _cadences() -> list[tuple[str, str]]:
    return [(Cadence.INSTANT, _("Each release as it is published")), (Cadence.DAILY, _("A daily digest")),
            (Cadence.WEEKLY, _("A weekly digest")), (Cadence.PAUSED, _("Nothing for now (paused)"))]


def _choices(tag: str) -> dict[str, Any]:
    """Every option of the form, named in the page's language."""
    return {
        "all_sectors": [(sector.slug, sector.label(tag)) for sector in Sector.objects.all()],
        "all_languages": list(Language.objects.order_by("-first_class", "name")),
        "all_countries": sorted(((country.code, territory_labels(country.code, country.name).get(tag, country.name))
                                 for country in Country.objects.all()), key=lambda pair: pair[1]),
        "cadences": _cadences(),
    }


def _page(request: HttpRequest, template: str, contact: Contact | None, *, status: int = 200,
          **context: Any) -> HttpResponse:
    languages = _languages(contact) if contact is not None else []
    django_code, tag, direction = _page_language(request, languages)
    active = contact is not None and contact.status == ContactStatus.ACTIVE
    with translation.override(django_code):
        beats = [sector.label(tag) for sector in contact.beats.all()] if contact is not None else []
        if context.pop("form", False):
            context.update(_choices(tag))
        body = render_to_string(template, {
            "contact": contact, "t": _texts(contact), "page_lang": tag, "page_dir": direction,
            "languages": languages, "beats": beats, "active": active,
            **context,
        }, request)
    return HttpResponse(body, status=status)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return _page(request, "email/bad_link.html", None, status=400)


def _one_click(request: HttpRequest) -> bool:
    try:
        return request.POST.get("List-Unsubscribe") == "One-Click"
    except MultiPartParserError:
        return False


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST unsubscribes at once (RFC 8058 one-click, or the page's button)."""
    contact = _contact(token)
    if contact is None:
        return _bad_link(request)
    if request.method == "POST":
        contact = contact_unsubscribe(contact.pk, via="one-click" if _one_click(request) else "unsubscribe page")
        if contact is None:
            return _bad_link(request)
    return _page(request, "email/unsubscribe.html", contact, action_url=unsubscribe_url(token),
                 preferences_url=preferences_url(token))


def _ordered_languages(contact: Contact, chosen: list[str]) -> list[str]:
    """The chosen languages, those the contact read before first in their old order, new ones after."""
    before = list(ContactLanguage.objects.filter(contact=contact).order_by("rank").values_list("language_id",
                                                                                               flat=True))
    return [code for code in before if code in chosen] + [code for code in chosen if code not in before]


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's beats, languages, countries and cadence, editable; unsubscribe and subscribe again."""
    contact = _contact(token)
    if contact is None:
        return _bad_link(request)
    status, error, saved = 200, "", False
    if request.method == "POST":
        choice = request.POST.get("action")
        if choice == "unsubscribe":
            contact = contact_unsubscribe(contact.pk, via="preference centre")
        elif choice == "resubscribe":
            contact = contact_resubscribe(contact.pk, via="preference centre")
        elif choice == "save":
            try:
                contact_preferences_update(
                    contact=contact, sectors=request.POST.getlist("sectors"),
                    languages=_ordered_languages(contact, request.POST.getlist("languages")),
                    countries=request.POST.getlist("countries"), cadence=request.POST.get("cadence", ""),
                    via="preference centre")
                saved = True
            except InvalidInput:
                # The service's reason names the bad value in English; the page says it in the contact's language.
                status, error = 422, "invalid"
        else:
            return HttpResponse("Say action=save, action=unsubscribe or action=resubscribe.", status=400,
                                content_type="text/plain; charset=utf-8")
        if contact is None:
            return _bad_link(request)
    # The form posts back to where it was shown, so the CSRF origin check holds behind any host name.
    return _page(request, "email/preferences.html", contact, status=status, action_url=request.path,
                 chosen=contact_preferences(contact=contact), error=error, saved=saved, form=True)
