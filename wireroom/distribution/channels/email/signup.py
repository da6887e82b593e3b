"""The public sign-up page for journalists (`/subscribe/`) and its confirmation link (double opt-in).

The confirmation is a button on the linked page, not the GET itself: mail scanners fetch every link they see,
and a fetch must not subscribe anyone.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wireroom.distribution.channels.email.pages import page_language, render_page
from wireroom.distribution.channels.email.tokens import (
    contact_token,
    preferences_url,
    signup_confirm_url,
    signup_id_from_token,
    signup_token,
)
from wireroom.lib.errors import InvalidInput
from wireroom.subscriptions.models import Signup
from wireroom.subscriptions.signup import CONFIRM_WITHIN, SignupChoices, signup_confirm, signup_request
from wireroom.taxonomy.models import Language

log = logging.getLogger(__name__)


def _texts() -> dict[str, str]:
    params = {"wire": settings.WIRE_NAME}
    return {
        "title": _("Receive releases from %(wire)s") % params,
        "intro": _("Choose what you want to receive. We send a message to your address to confirm it is yours; "
                   "nothing else is sent until you confirm.") % params,
        "name": _("Your name"),
        "email": _("Your e-mail address"),
        "subscribe": _("Subscribe"),
        "agree": _("I agree that %(wire)s sends me press releases by e-mail on the subjects I choose. I can change "
                   "my choices or unsubscribe at any time with the link in every message.") % params,
        "must_agree": _("Tick the box to agree, or we cannot send you anything."),
        "sent": _("Check your inbox: if this address can receive our releases, a message with a confirmation link "
                  "is on its way. The link works for seven days."),
        "confirm_title": _("Confirm your subscription"),
        "confirm": _("Confirm that you want to receive releases from %(wire)s.") % params,
        "confirmed": _("Thank you: you are subscribed. The first releases that match your choices are on their "
                       "way."),
        "expired": _("This confirmation link is not valid any more. Sign up again to receive a new one."),
        "form_errors": _("Some fields need your attention; nothing was saved."),
        "err_name": _("Give your name (up to 200 characters)."),
        "err_email": _("Give a valid e-mail address."),
        "err_languages": _("Choose at least one language."),
        "err_cadence": _("Choose how often you want to hear from us."),
        "err_choices": _("Some of these choices are not known: choose from the list."),
        "send_failed": _("We could not send the confirmation message just now. Try again in a few minutes."),
    }


# The text each field shows when the service refuses it; sectors, regions and countries share one.
_FIELD_ERRORS = {"name": "err_name", "email": "err_email", "languages": "err_languages", "cadence": "err_cadence"}


def _language(tag: str | None) -> Language | None:
    return Language.objects.filter(code=tag, first_class=True).first() if tag else None


def _page_in(request: HttpRequest, tag: str | None) -> Language:
    """The URL's language (`/ar/subscribe/`), else the first the browser asks for that the wire speaks."""
    return _language(tag) or _language(page_language(request, [])[1]) or Language.objects.get(code="en")


def _choices(request: HttpRequest) -> SignupChoices:
    return SignupChoices(
        name=request.POST.get("name", ""), email=request.POST.get("email", ""),
        sectors=request.POST.getlist("sectors"), languages=request.POST.getlist("languages"),
        countries=request.POST.getlist("countries"), regions=request.POST.getlist("regions"),
        cadence=request.POST.get("cadence", ""))


def _send_confirmation(signup: Signup) -> None:
    """In the language the page was read in: the person reads the message in the words they signed up with."""
    link = signup_confirm_url(signup_token(signup.pk))
    language = Language.objects.filter(code=signup.language).first()
    with translation.override(language.django_code if language else "en"):
        params = {"wire": settings.WIRE_NAME, "link": link}
        subject = _("Confirm your subscription to %(wire)s") % params
        body = _("Someone, probably you, asked to receive press releases from %(wire)s at this address.\n\n"
                 "To confirm, open this link and press the button:\n%(link)s\n\n"
                 "If it was not you, ignore this message: nothing will be sent to you.") % params
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [signup.email])


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest, language: str | None = None) -> HttpResponse:
    shown_in = _page_in(request, language)
    chosen = SignupChoices(name="", email="", sectors=[], languages=[shown_in.code], countries=[], regions=[],
                           cadence="instant")
    # `s` is the function, not its result: the template calls it inside the page's language.
    context: dict[str, Any] = {"s": _texts, "form": True, "action_url": request.path, "errors": {}}
    if request.method != "POST":
        return render_page(request, "email/subscribe.html", None, shown_in=shown_in, chosen=chosen, **context)
    chosen = _choices(request)
    errors: dict[str, str] = {}
    if request.POST.get("agree") != "yes":
        errors["agree"] = "must_agree"
    signup = None
    if not errors:
        with translation.override(shown_in.django_code):
            wording = _texts()["agree"]
        try:
            signup = signup_request(choices=chosen, language=shown_in.code, wording=wording)
        except InvalidInput as exc:
            # The service names the field first ("email: ..."); the page says it in the reader's language.
            field = str(exc).partition(":")[0]
            errors[field] = _FIELD_ERRORS.get(field, "err_choices")
    if errors:
        return render_page(request, "email/subscribe.html", None, status=422, shown_in=shown_in, chosen=chosen,
                           **{**context, "errors": errors})
    if signup is not None:
        try:
            _send_confirmation(signup)
        except (smtplib.SMTPException, OSError):
            log.exception("the confirmation message of sign-up %s could not be sent", signup.pk)
            signup.delete()
            return render_page(request, "email/subscribe_done.html", None, status=503, shown_in=shown_in,
                               message="send_failed", **context)
    return render_page(request, "email/subscribe_done.html", None, shown_in=shown_in, message="sent",
                       **context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    signup_id = signup_id_from_token(token, max_age=CONFIRM_WITHIN)
    signup = Signup.objects.filter(pk=signup_id).first() if signup_id is not None else None
    if signup is None:
        return render_page(request, "email/subscribe_done.html", None, status=400, message="expired", s=_texts)
    shown_in = _language(signup.language)
    if request.method != "POST":
        return render_page(request, "email/subscribe_confirm.html", None, shown_in=shown_in, s=_texts,
                           action_url=request.path, done=signup.confirmed_at is not None)
    contact = signup_confirm(signup_id=signup.pk)
    if contact is None:
        return render_page(request, "email/subscribe_done.html", None, status=400, shown_in=shown_in,
                           message="expired", s=_texts)
    return render_page(request, "email/subscribe_confirm.html", contact, s=_texts, done=True,
                       preferences_url=preferences_url(contact_token(contact.pk)))
