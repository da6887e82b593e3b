"""Unsubscribe (RFC 8058 one-click included) and the preference centre, both reached by the signed contact token
in every message: no login, the token in the URL is the credential. One-click unsubscribe comes from mail clients
and so carries no CSRF token; the preference centre's form does."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wireroom.distribution.channels.email.pages import bad_link, render_page
from wireroom.distribution.channels.email.suppression import contact_resubscribe, contact_unsubscribe
from wireroom.distribution.channels.email.tokens import contact_id_from_token, preferences_url, unsubscribe_url
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.models import Contact, ContactLanguage
from wireroom.subscriptions.preferences import contact_preferences, contact_preferences_update


def _contact(token: str) -> Contact | None:
    contact_id = contact_id_from_token(token)
    return Contact.objects.filter(pk=contact_id).first() if contact_id is not None else None


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
        return bad_link(request)
    if request.method == "POST":
        contact = contact_unsubscribe(contact.pk, via="one-click" if _one_click(request) else "unsubscribe page")
        if contact is None:
            return bad_link(request)
    return render_page(request, "email/unsubscribe.html", contact, action_url=unsubscribe_url(token),
                 preferences_url=preferences_url(token))


def _ordered_languages(contact: Contact, chosen: list[str]) -> list[str]:
    """The chosen languages, those the contact read before first in their old order, new ones after."""
    before = list(ContactLanguage.objects.filter(contact=contact).order_by("rank").values_list("language_id",
                                                                                               flat=True))
    return [code for code in before if code in chosen] + [code for code in chosen if code not in before]


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's beats, languages, countries, regions and cadence, editable; unsubscribe and subscribe again."""
    contact = _contact(token)
    if contact is None:
        return bad_link(request)
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
                    countries=request.POST.getlist("countries"), regions=request.POST.getlist("regions"),
                    cadence=request.POST.get("cadence", ""),
                    time_zone=request.POST.get("time_zone"), via="preference centre")
                saved = True
                contact.refresh_from_db()
            except InvalidInput:
                # The service's reason names the bad value in English; the page says it in the contact's language.
                status, error = 422, "invalid"
        else:
            return HttpResponse("Say action=save, action=unsubscribe or action=resubscribe.", status=400,
                                content_type="text/plain; charset=utf-8")
        if contact is None:
            return bad_link(request)
    # The form posts back to where it was shown, so the CSRF origin check holds behind any host name.
    return render_page(request, "email/preferences.html", contact, status=status, action_url=request.path,
                 chosen=contact_preferences(contact=contact), error=error, saved=saved, form=True)
