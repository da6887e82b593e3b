from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wireroom.accounts.language import SUPPORTED


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    next = forms.CharField(required=False)

    def clean_language(self) -> str:
        language = str(self.cleaned_data["language"])
        if language not in SUPPORTED:
            raise forms.ValidationError(_("Choose one of the listed languages."))
        return language


class ResetForm(PasswordResetForm):
    """Django's password reset, with the message written in the language of the user it goes to."""

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        language = getattr(context.get("user"), "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name of the key"), max_length=100)
