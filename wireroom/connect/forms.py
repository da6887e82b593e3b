"""The connections page's forms: what an outlet's member picks for an endpoint (its format from the formats
registry; sectors, languages and countries, named in the page's language) and the names of API keys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wireroom.formats.registry import format_names
from wireroom.subscriptions.services import MAX_ROTATION_GRACE
from wireroom.taxonomy.labels import language_labels, territory_labels
from wireroom.taxonomy.models import Country, Language, Sector, tag_for_django_code

GRACE_HOURS = [1, 24, 72, int(MAX_ROTATION_GRACE.total_seconds() // 3600)]


class FiltersForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"))
    sectors = forms.MultipleChoiceField(label=_("Sectors"), required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    countries = forms.MultipleChoiceField(label=_("Countries"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag = tag_for_django_code(get_language() or "en")
        fields: dict[str, Any] = self.fields
        fields["format"].choices = [(name, name) for name in format_names()]
        fields["sectors"].choices = [(sector.slug, sector.label(tag)) for sector in Sector.objects.all()]
        fields["languages"].choices = [
            (language.code, language_labels(language.code, language.name).get(tag, language.name))
            for language in Language.objects.filter(first_class=True).order_by("position")]
        fields["countries"].choices = sorted(
            ((country.code, territory_labels(country.code, country.name).get(tag, country.name))
             for country in Country.objects.all()), key=lambda pair: pair[1])
        for name in ("sectors", "languages", "countries"):
            fields[name].help_text = _("None chosen: all.")


class EndpointForm(FiltersForm):
    url = forms.CharField(label=_("Address (https:// URL)"), max_length=500)
    field_order = ["url", "format", "sectors", "languages", "countries"]


class RotateForm(forms.Form):
    grace = forms.TypedChoiceField(label=_("Hours the old secret stays valid"), coerce=int, initial=24,
                                   choices=[(hours, str(hours)) for hours in GRACE_HOURS])
