"""The wire's translators' pages: their queue (their languages only), claiming a translation, and the editor
beside the original. Open to the wire's translators only (403 for anyone else); a release or language outside
the translator's queue is 404, whatever it is."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership
from wireroom.accounts.navigation import translates
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound, WireroomError
from wireroom.taxonomy.labels import language_labels
from wireroom.taxonomy.models import Language, tag_for_django_code
from wireroom.translation import selectors, services
from wireroom.translators.forms import TranslationForm

translators_only = member_required(translates)
STATUS = {InvalidInput: 400, NotAllowed: 403, NotFound: 404, IllegalTransition: 409}


def _status(error: WireroomError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def _item(membership: Membership, release_id: uuid.UUID, language: str) -> selectors.QueueItem:
    try:
        return selectors.translator_item(membership=membership, release_id=release_id, language=language)
    except NotFound:
        raise Http404("No such translation for you.") from None


def _names() -> dict[str, str]:
    """Each language's name in the page's language."""
    tag = tag_for_django_code(get_language() or "en")
    return {language.code: language_labels(language.code, language.name)[tag] for language in Language.objects.all()}


@require_safe
@translators_only
def queue(request: HttpRequest, membership: Membership) -> HttpResponse:
    names = _names()
    return render(request, "translators/queue.html", {
        "rows": [(item, names.get(item.language, item.language), names.get(item.original.language_id, ""))
                 for item in selectors.translator_queue(membership=membership)],
        "languages": [names.get(code, code) for code in selectors.translator_languages(membership=membership)],
        "membership": membership,
    })


@require_POST
@translators_only
def claim(request: HttpRequest, membership: Membership, release_id: uuid.UUID, language: str) -> HttpResponse:
    item = _item(membership, release_id, language)
    try:
        services.translation_claim(release=item.release, language=language, by=membership)
    except (InvalidInput, IllegalTransition, NotAllowed) as error:
        messages.error(request, str(error))
        return redirect("translators:queue")
    return redirect("translators:editor", release_id=release_id, language=language)


@require_http_methods(["GET", "HEAD", "POST"])
@translators_only
def editor(request: HttpRequest, membership: Membership, release_id: uuid.UUID, language: str) -> HttpResponse:
    item = _item(membership, release_id, language)
    mine = item.claim is not None and item.claim.translator_id == membership.user_id
    status = 200
    if request.method == "POST":
        form = TranslationForm(request.POST)
        if not mine:
            messages.error(request, _("Claim this translation before you write it."))
            return redirect("translators:queue")
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.translation_save(release=item.release, language=language, by=membership, submit=submit,
                                          **form.cleaned_data)
            except WireroomError as error:
                messages.error(request, str(error))
                status = _status(error)
            else:
                if submit:
                    messages.success(request, _("The translation is submitted; the issuer reviews it."))
                    return redirect("translators:queue")
                messages.success(request, _("Your draft is saved."))
                return redirect("translators:editor", release_id=release_id, language=language)
        else:
            status = 400
    else:
        form = TranslationForm(initial={"headline": item.claim.headline, "summary": item.claim.summary,
                                        "body_html": item.claim.body_html} if item.claim else None)
    names = _names()
    labels = {"headline": _("Headline"), "summary": _("Summary"), "body_html": _("Body")}
    changes = [{**change, "label": labels[change["field"]]} for change in selectors.update_changes(item=item)]
    return render(request, "translators/editor.html", {
        "item": item, "form": form, "mine": mine, "language": Language.objects.get(code=language), "changes": changes,
        "language_name": names.get(language, language), "original_name": names.get(item.original.language_id, ""),
        "membership": membership,
    }, status=status)
