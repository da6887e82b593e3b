"""The one renderer of the wire anatomy. Every channel and format builds on `render_item`.

Top to bottom: the credit line `(<wire>) –` opening the lede, the summary, the body, the
disclaimer naming the wire, the localized sectors line and the wire's boilerplate, in the
language asked for. The fixed strings live in the gettext catalogs under `wireroom/locale`.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wireroom.lib.html import html_to_text
from wireroom.mediadb.selectors import WireReach, wire_reach
from wireroom.releases.models import Acceptance, Kind, Localization, Origin, Release
from wireroom.taxonomy.models import Language


@dataclass(frozen=True)
class Anatomy:
    language: str
    direction: str
    headline: str
    summary: str
    credit: str
    dateline: str
    body_html: str
    disclaimer: str
    sectors_line: str
    boilerplate: str
    origin_note: str
    correction_note: str
    contacts: tuple[dict[str, str], ...]
    contact_heading: str

    @property
    def django_language(self) -> str:
        return self.language.lower()

    def html(self) -> SafeString:
        """The item as an HTML fragment (an `<article>` with `lang` and `dir`)."""
        return mark_safe(render_to_string("anatomy/item.html", {"item": self}))

    def text(self) -> str:
        return render_to_string("anatomy/item.txt", {"item": self, "body_text": html_to_text(self.body_html)})


def babel_locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


# CLDR's list patterns carry a conjunction ("A و B"); a sectors line wants a bare enumeration.
LIST_SEPARATORS = {"ar": "، ", "zh": "、", "ja": "、"}


def localized_list(items: list[str], tag: str) -> str:
    """Joins with the language's own separator (、 in Chinese, ، in Arabic), without a conjunction."""
    return LIST_SEPARATORS.get(tag.split("-")[0], ", ").join(items)


def boilerplate(tag: str, reach: WireReach) -> str:
    locale = babel_locale(tag)
    first_class = Language.objects.filter(first_class=True).order_by("position")
    names = [babel_locale(lang.code).get_display_name(locale) or lang.name for lang in first_class]
    return _(
        "%(wire)s distributes press releases in real time for companies and institutions, reaching more than "
        "%(outlets)s media outlets, %(journalists)s editors and journalists and %(desktops)s professional "
        "desktops in %(countries)s countries. %(wire)s distributes in %(languages)s, and more."
    ) % {
        "wire": settings.WIRE_NAME,
        "outlets": format_decimal(reach.outlets, locale=locale),
        "journalists": format_decimal(reach.contacts, locale=locale),
        "desktops": format_decimal(reach.desktops, locale=locale),
        "countries": format_decimal(reach.countries, locale=locale),
        "languages": format_list(names, locale=locale),
    }


def _disclaimer(release: Release) -> str:
    params = {"wire": settings.WIRE_NAME, "issuer": release.issuer.name}
    if release.kind == Kind.THIRD_PARTY_ARTICLE:
        return _("This article comes from an independent content provider. %(wire)s gives no warranty and makes "
                 "no representation about it.") % params
    if release.kind == Kind.MEDIA_ADVISORY:
        return _("This media advisory was issued by %(issuer)s, which alone is responsible for its content. "
                 "%(wire)s distributes it as received.") % params
    return _("This press release was issued by %(issuer)s, which alone is responsible for its content. "
             "%(wire)s distributes it as received.") % params


def _origin_note(localization: Localization, tag: str) -> str:
    if localization.origin == Origin.AUTHOR or localization.translated_from_id is None:
        return ""
    source = babel_locale(localization.translated_from_id).get_display_name(babel_locale(tag)) or ""
    if localization.origin == Origin.MACHINE and localization.issuer_acceptance == Acceptance.UNREVIEWED:
        return _("Machine translation, unreviewed (%(engine)s) from %(language)s") % {
            "engine": localization.engine, "language": source}
    if localization.origin == Origin.MACHINE:
        return _("Machine translation (%(engine)s) from %(language)s") % {
            "engine": localization.engine, "language": source}
    return _("Human translation from %(language)s") % {"language": source}


def pick_localization(release: Release, language: str | None) -> Localization:
    """The localization in `language`, else the original."""
    localizations = {loc.language_id: loc for loc in release.localizations.all()}
    if language and language in localizations:
        return localizations[language]
    return localizations.get(release.original_language_id) or next(iter(localizations.values()))


def render_item(release: Release, language: str | None = None, *, correction_note: str = "") -> Anatomy:
    localization = pick_localization(release, language)
    tag = localization.language_id
    lang = localization.language
    with translation.override(lang.django_code):
        sector_labels = [sector.label(tag) for sector in release.sectors.all()]
        return Anatomy(
            language=tag,
            direction=lang.direction,
            headline=localization.headline,
            summary=localization.summary,
            credit=_("(%(wire)s) –") % {"wire": settings.WIRE_NAME},
            dateline=release.dateline,
            body_html=localization.body_html,
            disclaimer=_disclaimer(release),
            sectors_line=_("Sectors: %(sectors)s") % {"sectors": localized_list(sector_labels, tag)}
            if sector_labels else "",
            boilerplate=boilerplate(tag, wire_reach()),
            origin_note=_origin_note(localization, tag),
            correction_note=_("Correction: %(note)s") % {"note": correction_note} if correction_note else "",
            contacts=tuple(release.contacts),
            contact_heading=_("Media contact"),
        )
