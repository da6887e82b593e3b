"""The search page (`/search/?q=`, `/<tag>/search/?q=`): a query and the archive's filters, read by a form,
answered by `search_releases` in the page's language, with highlighted headlines and extracts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from wireroom.lib.errors import InvalidInput
from wireroom.lib.text import control_character
from wireroom.newsroom import validators
from wireroom.newsroom.listing import chosen_language, conditional_page, first_class_languages
from wireroom.newsroom.metadata import listing_metadata
from wireroom.newsroom.selectors import countries_with_releases, issuers_with_releases
from wireroom.releases.models import Kind
from wireroom.releases.selectors import ArchiveFilters
from wireroom.search.selectors import MAX_QUERY, SearchResults, search_releases
from wireroom.taxonomy.labels import region_labels, territory_labels
from wireroom.taxonomy.models import Language, Region, Sector

PER_PAGE = 20
MAX_PAGE = 500
ANY = [("", gettext_lazy("Any"))]


class SearchForm(forms.Form):
    """What a visitor may ask; every choice is one the wire has, named in the page's language."""

    q = forms.CharField(label=gettext_lazy("Search releases"), max_length=MAX_QUERY, required=False, strip=True,
                        widget=forms.TextInput(attrs={"type": "search", "dir": "auto", "autocomplete": "off"}))
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    issuer = forms.ChoiceField(label=gettext_lazy("Issuer"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=gettext_lazy("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, tag: str, languages: list[Language]) -> None:
        # The labels stand above their fields: no colon, which not every language writes the same.
        super().__init__(data, label_suffix="")
        choice = self.fields
        choice["sector"].choices = ANY + [(s.slug, s.label(tag)) for s in Sector.objects.order_by("position")]  # type: ignore[attr-defined]
        choice["language"].choices = ANY + [(lang.code, lang.native_name) for lang in languages]  # type: ignore[attr-defined]
        choice["country"].choices = ANY + sorted(  # type: ignore[attr-defined]
            ((c.code, territory_labels(c.code, c.name).get(tag, c.name)) for c in countries_with_releases()),
            key=lambda pair: pair[1])
        choice["region"].choices = ANY + [  # type: ignore[attr-defined]
            (r.slug, region_labels(r.slug, r.name).get(tag, r.name)) for r in Region.objects.order_by("slug")]
        choice["issuer"].choices = ANY + [(o.slug, o.name) for o in issuers_with_releases()]  # type: ignore[attr-defined]
        choice["kind"].choices = ANY + [(kind.value, _(kind.label)) for kind in Kind]  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        query: str = self.cleaned_data["q"]
        if control_character(query) is not None:
            raise forms.ValidationError(_("Remove the control characters from your search."))
        return query

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> ArchiveFilters:
        """The filters chosen; `until` is the whole of its day."""
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        return ArchiveFilters(
            sector=data.get("sector") or None, language=data.get("language") or None,
            country=data.get("country") or None, region=data.get("region") or None,
            issuer=data.get("issuer") or None, kind=data.get("kind") or None,
            since=dt.datetime.combine(since, dt.time(), dt.UTC) if since else None,
            until=dt.datetime.combine(until, dt.time(), dt.UTC) + dt.timedelta(days=1) if until else None)


@require_safe
@conditional_page(validators.search)
def search(request: HttpRequest, language: str | None = None) -> HttpResponse:
    """Results for the query in the language of the URL (or the visitor's); 400 with the form's messages
    when a field cannot be read, never a half-run search."""
    languages = first_class_languages()
    current = chosen_language(request, languages, language)
    status = 200
    results: SearchResults | None = None
    with translation.override(current.django_code):
        form = SearchForm(request.GET, tag=current.code, languages=languages)
        if not form.is_valid():
            status = 400
        elif form.cleaned_data["q"]:
            try:
                results = search_releases(query=form.cleaned_data["q"], filters=form.filters(),
                                          prefer_language=current.code, page=form.cleaned_data["page"] or 1,
                                          per_page=PER_PAGE, relations=False)
            except InvalidInput:
                form.add_error("q", _("This search cannot be run. Shorten it or remove unusual characters."))
                status = 400
        title = _("Search")
        metadata = dataclasses.replace(listing_metadata(
            view="search-in", kwargs={}, language=current.code, languages=[lang.code for lang in languages],
            title=title, description=title, page=1), noindex=results is not None or status != 200)
        response = render(request, "newsroom/search.html", {
            "form": form,
            "results": results,
            "filtered": form.is_bound and any(form.data.get(name) for name in form.fields if name not in {"q", "page"}),
            "languages": languages,
            "switcher": [(lang, reverse("newsroom:search-in", kwargs={"language": lang.code})
                          + (f"?{request.GET.urlencode()}" if request.GET else "")) for lang in languages],
            "current": current,
            "page_lang": current.code,
            "page_dir": current.direction,
            "page_title": title,
            "metadata": metadata,
        }, status=status)
    response["Content-Language"] = current.code
    if language is None:
        patch_vary_headers(response, ["Accept-Language"])
    return response
