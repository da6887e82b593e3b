"""Brand and wording in the console: the wire's name, address, sender, sectors line, sector labels, disclaimers
and boilerplate of each of the wire's languages, saved whole through `brand.services` (which checks every
template and audits the change). An empty field keeps the default, which the form shows beneath it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from wireroom.accounts.models import Membership
from wireroom.brand.models import Wording
from wireroom.brand.selectors import wording_of
from wireroom.brand.services import LABEL_MAX, TEXT_FIELDS, wording_problems, wording_save
from wireroom.brand.templates import PLACEHOLDERS, TemplateProblem
from wireroom.console.access import staff_only
from wireroom.lib.text import PDI
from wireroom.taxonomy.models import Language

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE: placeholders are Latin names in braces, read left to right
_TEMPLATE = forms.Textarea(attrs={"rows": 3, "dir": "auto"})


def _listed(placeholders: frozenset[str]) -> str:
    """The placeholders in braces, isolated left to right so that a right-to-left page keeps their order."""
    return LRI + " ".join(f"{{{name}}}" for name in sorted(placeholders)) + PDI


class WordingForm(forms.Form):
    wire_name = forms.CharField(required=False, max_length=100, label=gettext_lazy("Wire name"))
    wire_url = forms.URLField(required=False, max_length=200, label=gettext_lazy("Wire address (URL)"),
                              assume_scheme="https")
    sender = forms.EmailField(required=False, max_length=254, label=gettext_lazy("Sender address"))
    sectors_line = forms.CharField(required=False, max_length=200, label=gettext_lazy("Sectors line"))
    sector_labels = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                                    label=gettext_lazy("Sector labels"),
                                    help_text=gettext_lazy("One sector a line: slug = label."))
    disclaimer_press_release = forms.CharField(required=False, widget=_TEMPLATE,
                                               label=gettext_lazy("Disclaimer of press releases"))
    disclaimer_media_advisory = forms.CharField(required=False, widget=_TEMPLATE,
                                                label=gettext_lazy("Disclaimer of media advisories"))
    disclaimer_third_party_article = forms.CharField(required=False, widget=_TEMPLATE,
                                                     label=gettext_lazy("Disclaimer of third-party articles"))
    boilerplate = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
                                  label=gettext_lazy("Boilerplate"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, allowed in PLACEHOLDERS.items():
            self.fields[name].help_text = _("Placeholders: %(placeholders)s") % {"placeholders": _listed(allowed)}

    @classmethod
    def of(cls, row: Wording | None) -> WordingForm:
        if row is None:
            return cls()
        initial: dict[str, Any] = {name: getattr(row, name) for name in TEXT_FIELDS}
        initial["sector_labels"] = "\n".join(f"{slug} = {label}" for slug, label in sorted(row.sector_labels.items()))
        return cls(initial=initial)

    def clean_sector_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for number, line in enumerate(str(self.cleaned_data.get("sector_labels", "")).splitlines(), start=1):
            if not line.strip():
                continue
            slug, equals, label = line.partition("=")
            if not equals or not slug.strip() or not label.strip():
                raise forms.ValidationError(_("Line %(number)s: write slug = label.") % {"number": number})
            labels[slug.strip()] = label.strip()
        return labels


def problem_message(problem: TemplateProblem) -> str:
    """What is wrong, in the reader's language."""
    if problem.code == "unknown":
        return _("Unknown placeholder {%(name)s}. This text may use %(placeholders)s.") % {
            "name": problem.name, "placeholders": _listed(problem.allowed)}
    if problem.code == "braces":
        return _("A brace is not closed. Write {{ and }} for a brace itself.")
    if problem.code == "format":
        return _("{%(name)s} is not a placeholder: write a name in braces, such as {wire}.") % {"name": problem.name}
    if problem.code == "sender_domain":
        return _("The sender must be an address at %(domain)s, the domain the wire's DKIM signature is for.") % {
            "domain": problem.name}
    if problem.code == "unknown_sector":
        return _("No such sector: %(slugs)s.") % {"slugs": problem.name}
    return _("Each label needs 1 to %(count)s characters.") % {"count": LABEL_MAX}


def _language(tag: str) -> Language:
    found = Language.objects.filter(code=tag, first_class=True).first()
    if found is None:
        raise Http404("No such language of the wire.")
    return found


@require_safe
@staff_only
def wording_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    stored = {row.language_id: row for row in Wording.objects.all()}
    languages = Language.objects.filter(first_class=True).order_by("position")
    return render(request, "console/brand.html", {
        "rows": [(language, stored.get(language.code)) for language in languages]})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def wording_edit(request: HttpRequest, membership: Membership, tag: str) -> HttpResponse:
    language = _language(tag)
    if request.method != "POST":
        return _edit_page(request, language, WordingForm.of(wording_of(language=language.code)))
    form = WordingForm(request.POST)
    if form.is_valid():
        # The service checks again and refuses; asking first lets each field say what is wrong with it.
        problems = wording_problems(values=form.cleaned_data)
        for name, problem in problems.items():
            form.add_error(name, problem_message(problem))
        if not problems:
            wording_save(language=language.code, values=form.cleaned_data, by=membership.user)
            messages.success(request, _("The wording in %(language)s was saved.") % {"language": language.native_name})
            return redirect("console:brand")
    return _edit_page(request, language, form, status=422)


def _edit_page(request: HttpRequest, language: Language, form: WordingForm, *, status: int = 200) -> HttpResponse:
    return render(request, "console/brand_edit.html", {
        "language": language, "form": form,
        "defaults": {"wire_name": settings.WIRE_NAME, "wire_url": settings.BASE_URL, "sender": settings.MAIL_FROM},
    }, status=status)
