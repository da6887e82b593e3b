"""Unsubscribe (RFC 8058 one-click included) and the minimal preference centre, both reached by the signed
contact token in every message: no login, no CSRF token (the token in the URL is the credential)."""

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
from wireroom.mediadb.models import Contact, ContactLanguage, ContactStatus
from wireroom.taxonomy.models import Language


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
    }


def _page(request: HttpRequest, template: str, contact: Contact | None, *, status: int = 200,
          **context: Any) -> HttpResponse:
    languages = _languages(contact) if contact is not None else []
    django_code, tag, direction = _page_language(request, languages)
    active = contact is not None and contact.status == ContactStatus.ACTIVE
    with translation.override(django_code):
        beats = [sector.label(tag) for sector in contact.beats.all()] if contact is not None else []
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


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's beats and languages, and a switch between subscribed and unsubscribed."""
    contact = _contact(token)
    if contact is None:
        return _bad_link(request)
    if request.method == "POST":
        choice = request.POST.get("action")
        if choice == "unsubscribe":
            contact = contact_unsubscribe(contact.pk, via="preference centre")
        elif choice == "resubscribe":
            contact = contact_resubscribe(contact.pk, via="preference centre")
        else:
            return HttpResponse("Say action=unsubscribe or action=resubscribe.", status=400,
                                content_type="text/plain; charset=utf-8")
        if contact is None:
            return _bad_link(request)
    return _page(request, "email/preferences.html", contact, action_url=preferences_url(token))
