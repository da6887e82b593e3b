"""The desk's forms. Each checks what it can alone; the services check the rest and their refusals are shown
beside the form, with nothing changed."""

from __future__ import annotations

from typing import Any

from django import forms

from wireroom.releases.models import Release
from wireroom.releases.services import MAX_HEADLINE, MAX_SUMMARY, LocalizationInput, ReleaseInput


class NoteForm(forms.Form):
    """Request changes (a note to the issuer)."""

    note = forms.CharField(label="What needs to change", max_length=5000, strip=True,
                           widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why it is withdrawn (sent with the kill notice)", max_length=5000, strip=True,
                             widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))


class TextsForm(forms.Form):
    """Each localization's headline, summary and body, for an edit before approval or a correction."""

    def __init__(self, *args: Any, release: Release, correction: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.release = release
        if correction:
            self.fields["note"] = forms.CharField(
                label="Correction note (shown with the corrected release)", max_length=5000, strip=True,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
        self.languages = []
        for localization in sorted(release.localizations.all(), key=lambda loc: loc.language.position):
            tag = localization.language_id
            self.languages.append(localization)
            attrs = {"dir": "auto", "lang": tag}
            self.fields[f"{tag}-headline"] = forms.CharField(
                label=f"Headline ({tag})", max_length=MAX_HEADLINE, initial=localization.headline,
                widget=forms.TextInput(attrs={**attrs, "size": 80}))
            self.fields[f"{tag}-summary"] = forms.CharField(
                label=f"Summary ({tag})", max_length=MAX_SUMMARY, required=False, initial=localization.summary,
                widget=forms.Textarea(attrs={**attrs, "rows": 2}))
            self.fields[f"{tag}-body_html"] = forms.CharField(
                label=f"Body, HTML ({tag})", initial=localization.body_html,
                widget=forms.Textarea(attrs={**attrs, "rows": 8}))

    def localizations(self) -> list[LocalizationInput]:
        """The texts as the services take them, each keeping its origin."""
        data = self.cleaned_data
        return [LocalizationInput(
            language=loc.language_id, headline=data[f"{loc.language_id}-headline"],
            summary=data[f"{loc.language_id}-summary"], body_html=data[f"{loc.language_id}-body_html"],
            translated_from=loc.translated_from_id, origin=loc.origin, engine=loc.engine, translator=loc.translator)
            for loc in self.languages]

    def release_input(self) -> ReleaseInput:
        return ReleaseInput(localizations=self.localizations())

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(loc.language_id, [self[f"{loc.language_id}-{name}"] for name in ("headline", "summary", "body_html")])
                for loc in self.languages]
