"""The console's forms: each checks its input whole before a service is called, and says what is wrong beside
the field."""

from __future__ import annotations

from typing import Any

from django import forms

from wireroom.mediadb.models import Contact, ContactRole, Outlet, OutletType
from wireroom.mediadb.services import ContactChanges, OutletChanges
from wireroom.mediadb.suppression import REASON_MAX
from wireroom.mediadb.tables import FORMATS
from wireroom.taxonomy.models import Country, Language, Region, Sector

KINDS = (("contacts", "Contacts (journalists and editors)"), ("outlets", "Outlets and terminal partners"))


class _Codes(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # any taxonomy model
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pk} · {obj}"


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=ContactRole.choices)
    outlet = forms.IntegerField(required=False, min_value=1, label="Outlet id",
                                help_text="Empty: no outlet. The outlets table shows each outlet's id.")
    languages = forms.CharField(required=False, max_length=200,
                                help_text="BCP 47 tags of the wire's languages, preferred first, separated by ;")
    beats = _Codes(queryset=Sector.objects.order_by("slug"), required=False,
                   help_text="None chosen: every beat.")
    countries = _Codes(queryset=Country.objects.order_by("code"), required=False,
                       help_text="None chosen, and no region: every country.")
    regions = _Codes(queryset=Region.objects.order_by("slug"), required=False,
                     help_text="A region stands for all of its countries.")

    @classmethod
    def of(cls, contact: Contact) -> ContactForm:
        return cls(initial={
            "name": contact.name, "role": contact.role, "outlet": contact.outlet_id,
            "languages": ";".join(link.language_id for link in contact.contactlanguage_set.order_by("rank", "pk")),
            "beats": list(contact.beats.all()), "countries": list(contact.countries.all()),
            "regions": list(contact.regions.all()),
        })

    def clean_outlet(self) -> int | None:
        outlet: int | None = self.cleaned_data.get("outlet")
        if outlet is not None and not Outlet.objects.filter(pk=outlet).exists():
            raise forms.ValidationError("No outlet has this id.")
        return outlet

    def clean_languages(self) -> tuple[str, ...]:
        known = {code.lower(): code for code in Language.objects.values_list("code", flat=True)}
        tags: list[str] = []
        for part in str(self.cleaned_data.get("languages", "")).split(";"):
            part = part.strip()
            if not part:
                continue
            tag = known.get(part.replace("_", "-").lower())
            if tag is None:
                raise forms.ValidationError(f"{part!r} is not one of the wire's languages: "
                                            + ", ".join(sorted(known.values())))
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def changes(self) -> ContactChanges:
        data = self.cleaned_data
        return ContactChanges(name=data["name"].strip(), role=data["role"], outlet_id=data["outlet"],
                              languages=data["languages"], beats=frozenset(s.pk for s in data["beats"]),
                              countries=frozenset(c.pk for c in data["countries"]),
                              regions=frozenset(r.pk for r in data["regions"]))


class OutletForm(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(choices=OutletType.choices)
    country = forms.ModelChoiceField(queryset=Country.objects.order_by("code"))
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    desktops = forms.IntegerField(min_value=0, max_value=2_000_000_000, initial=0,
                                  help_text="Professional desktops a terminal partner declares")
    languages = _Codes(queryset=Language.objects.order_by("code"), required=False)
    sectors = _Codes(queryset=Sector.objects.order_by("slug"), required=False, help_text="None chosen: every sector.")

    @classmethod
    def of(cls, outlet: Outlet) -> OutletForm:
        return cls(initial={
            "name": outlet.name, "type": outlet.type, "country": outlet.country_id, "website": outlet.website,
            "desktops": outlet.desktops, "languages": list(outlet.languages.all()),
            "sectors": list(outlet.sectors.all()),
        })

    def changes(self) -> OutletChanges:
        data = self.cleaned_data
        return OutletChanges(name=data["name"].strip(), type=data["type"], country_id=data["country"].pk,
                             website=data["website"], desktops=data["desktops"],
                             languages=frozenset(x.pk for x in data["languages"]),
                             sectors=frozenset(x.pk for x in data["sectors"]))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, initial="contacts")
    file = forms.FileField(help_text="A .csv (UTF-8) or .xlsx file with a header row; nothing is written until "
                                     "you confirm.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError("Give a .csv or .xlsx file.")
        return upload


class SuppressionForm(forms.Form):
    email = forms.CharField(max_length=254, label="Address")
    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Kept in the audit log.")
