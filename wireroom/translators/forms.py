from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wireroom.releases.services import MAX_BODY, MAX_HEADLINE, MAX_SUMMARY


class TranslationForm(forms.Form):
    """The translator's text, beside the original; the translation services check it again."""

    headline = forms.CharField(label=_("Headline"), max_length=MAX_HEADLINE, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=MAX_SUMMARY,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body_html = forms.CharField(label=_("Body"), max_length=MAX_BODY, required=False,
                                widget=forms.Textarea(attrs={"rows": 14, "class": "rich-text"}))
