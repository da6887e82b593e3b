"""The workspace's forms: they check what a person typed and say what is wrong beside the field, in the
person's language; the release services then check it again and write it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wireroom.accounts.models import Role
from wireroom.media.services import MAX_ALT
from wireroom.releases.models import Kind, State
from wireroom.releases.services import MAX_BODY, MAX_EMBARGO_AHEAD, MAX_HEADLINE, MAX_SUMMARY, REPLY_MAX
from wireroom.taxonomy.labels import language_labels, region_labels, territory_labels
from wireroom.taxonomy.models import Country, Language, Region, Sector, tag_for_django_code

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
CONTACT_ROWS = 3
KIND_LABELS: dict[str, Any] = {
    Kind.PRESS_RELEASE: _("Press release"),
    Kind.THIRD_PARTY_ARTICLE: _("Third-party article"),
    Kind.MEDIA_ADVISORY: _("Media advisory"),
}
ISSUER_ROLE_CHOICES = [(Role.ISSUER_MEMBER.value, Role.ISSUER_MEMBER.label),
                       (Role.ISSUER_ADMIN.value, Role.ISSUER_ADMIN.label)]
# The translation app's job states, as the workspace names them.
JOB_LABELS = {"pending": _("Waiting"), "leased": _("Being translated"), "retrying": _("Waiting to try again"),
              "done": _("Draft ready"), "failed": _("Failed")}
STATE_LABELS = {state: pgettext_lazy("release state", state.label) for state in State}


def _ui_tag() -> str:
    return tag_for_django_code(get_language() or "en")


def language_choices() -> list[tuple[str, str]]:
    """The wire's first-class languages, named in the reader's language."""
    tag = _ui_tag()
    return [(language.code, language_labels(language.code, language.name)[tag])
            for language in Language.objects.filter(first_class=True).order_by("position")]


def sector_choices() -> list[tuple[str, str]]:
    tag = _ui_tag()
    return [(sector.slug, sector.label(tag)) for sector in Sector.objects.order_by("position", "slug")]


def country_choices() -> list[tuple[str, str]]:
    tag = _ui_tag()
    named = [(country.code, territory_labels(country.code, country.name)[tag]) for country in Country.objects.all()]
    return sorted(named, key=lambda pair: pair[1])


def region_choices() -> list[tuple[str, str]]:
    tag = _ui_tag()
    named = [(region.slug, region_labels(region.slug, region.name)[tag]) for region in Region.objects.all()]
    return sorted(named, key=lambda pair: pair[1])


class ChoicesForm(forms.Form):
    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ReleaseFilterForm(ChoicesForm):
    q = forms.CharField(required=False, max_length=200, label=_("Headline contains"))
    state = forms.ChoiceField(required=False, label=_("State"))
    language = forms.ChoiceField(required=False, label=_("Language"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self._choices("state", everything + [(state.value, STATE_LABELS[state]) for state in State])
        self._choices("language", everything + language_choices())


class ReleaseForm(ChoicesForm):
    """A release and its original-language text, as the compose page edits them."""

    kind = forms.ChoiceField(label=_("Kind"), choices=list(KIND_LABELS.items()), initial=Kind.PRESS_RELEASE)
    original_language = forms.ChoiceField(label=_("Original language"))
    headline = forms.CharField(label=_("Headline"), max_length=MAX_HEADLINE)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=MAX_SUMMARY,
                              widget=forms.Textarea(attrs={"rows": 3}))
    dateline = forms.CharField(label=_("Dateline"), required=False, max_length=120,
                               help_text=_("The place the release comes from, e.g. Dubai."))
    body_html = forms.CharField(label=_("Body"), max_length=MAX_BODY,
                                widget=forms.Textarea(attrs={"rows": 14, "class": "rich-text"}))
    sectors = forms.MultipleChoiceField(label=_("Sectors"), widget=forms.CheckboxSelectMultiple)
    countries = forms.MultipleChoiceField(label=_("Countries"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 8}))
    regions = forms.MultipleChoiceField(label=_("Regions"), required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Distribute in"), required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("None chosen: every language."))
    timing = forms.ChoiceField(label=_("When"), widget=forms.RadioSelect, initial="approval", choices=[
        ("approval", _("As soon as it is approved")), ("embargo", _("At a set second (embargo)"))])
    embargo_local = forms.DateTimeField(
        label=_("Embargo"), required=False, input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(name, name) for name in TIME_ZONES])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = language_choices()
        self._choices("original_language", languages)
        self._choices("languages", languages)
        self._choices("sectors", sector_choices())
        self._choices("countries", country_choices())
        self._choices("regions", region_choices())
        for index in range(CONTACT_ROWS):
            for key, label in (("name", _("Name")), ("organization", _("Organization")),
                               ("email", _("E-mail address")), ("phone", _("Telephone"))):
                field: forms.Field = (forms.EmailField if key == "email" else forms.CharField)(
                    label=label, required=False, max_length=200)
                self.fields[f"contact_{index}_{key}"] = field

    def contact_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"contact_{index}_{key}"] for key in ("name", "organization", "email", "phone")]
                for index in range(CONTACT_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(CONTACT_ROWS):
            row = {key: data.get(f"contact_{index}_{key}") for key in ("name", "organization", "phone")}
            if any(row.values()) and not data.get(f"contact_{index}_name") and not data.get(f"contact_{index}_email"):
                self.add_error(f"contact_{index}_name", _("A media contact needs a name or an e-mail address."))
        if data.get("timing") == "embargo":
            local = data.get("embargo_local")
            zone_name = data.get("time_zone")
            if local is None:
                if "embargo_local" not in self.errors:
                    self.add_error("embargo_local", _("Give the second the release may go out."))
            elif zone_name:
                data["embargo_at"] = self._embargo(local, zone_name)
        return data

    def _embargo(self, local: dt.datetime, zone_name: str) -> dt.datetime | None:
        zone = zoneinfo.ZoneInfo(zone_name)
        naive = timezone.make_naive(local, dt.UTC) if timezone.is_aware(local) else local
        moment = naive.replace(tzinfo=zone)
        # A wall-clock time that the clocks skip (spring forward) does not survive the round trip through UTC.
        if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
            self.add_error("embargo_local", _("This time does not exist in %(zone)s: the clocks change then.")
                           % {"zone": zone_name})
            return None
        now = timezone.now()
        if moment <= now:
            self.add_error("embargo_local", _("This time has passed. Choose a second in the future."))
            return None
        if moment > now + MAX_EMBARGO_AHEAD:
            self.add_error("embargo_local", _("This is more than a year away. Choose a nearer second."))
            return None
        return moment


class LocalizationForm(forms.Form):
    """A translation written by a person, beside the original."""

    headline = forms.CharField(label=_("Headline"), max_length=MAX_HEADLINE)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=MAX_SUMMARY,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body_html = forms.CharField(label=_("Body"), max_length=MAX_BODY,
                                widget=forms.Textarea(attrs={"rows": 14, "class": "rich-text"}))
    translator = forms.CharField(label=_("Translator"), required=False, max_length=120)

    def __init__(self, *args: Any, images: Sequence[Any] = (), **kwargs: Any) -> None:
        """`images`: the release's images, each given a field for its alternative text in this language."""
        super().__init__(*args, **kwargs)
        self.images = list(images)
        for image in self.images:
            self.fields[f"alt_{image.pk}"] = forms.CharField(
                label=_("Alternative text"), required=False, max_length=MAX_ALT,
                help_text=_("Left empty, the original's alternative text is shown."))

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("headline", "summary", "body_html", "translator")]

    def image_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(image, self[f"alt_{image.pk}"]) for image in self.images]

    def alts(self) -> dict[int, str]:
        return {image.pk: self.cleaned_data[f"alt_{image.pk}"] for image in self.images}


class ReplyForm(forms.Form):
    """Submitting again after a change request, with an optional answer to the editor's note."""

    reply = forms.CharField(label=_("Your answer to the editor"), max_length=REPLY_MAX, required=False,
                            help_text=_("Optional. The editor reads it beside what you changed."),
                            widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=ISSUER_ROLE_CHOICES)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image (JPEG, PNG or WebP)"))
    alt = forms.CharField(label=_("Alternative text"), max_length=MAX_ALT,
                          error_messages={"required": _("Describe the image for people who cannot see it: the "
                                                        "alternative text is required.")},
                          help_text=_("What the image shows, for people who cannot see it."))
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)


class LogoForm(forms.Form):
    image = forms.FileField(label=_("Logo (JPEG, PNG or WebP)"))


class SigningKeyForm(forms.Form):
    label = forms.CharField(label=_("Name of the key"), max_length=120, required=False)
    public_key = forms.CharField(
        label=_("Public key"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"}),
        help_text=_("An Ed25519 public key: a PEM block (BEGIN PUBLIC KEY) or a public JWK. Never paste the private "
                    "key."))


class SigningPolicyForm(forms.Form):
    require_signatures = forms.BooleanField(
        label=_("Require signatures: refuse every release of ours that is not signed with one of these keys"),
        required=False)
