"""The one renderer of the wire anatomy. Every channel and format builds on `render_item`.

Top to bottom: the credit line `(<wire>) –` opening the lede, the summary, the body, the
disclaimer naming the wire, the localized sectors line and the wire's boilerplate, in the
language asked for. The fixed strings live in the gettext catalogs under `wireroom/locale`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.lists import format_list
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wireroom.anatomy.figures import written_count
from wireroom.brand.selectors import Brand, brand
from wireroom.brand.templates import fill
from wireroom.lib.html import html_to_text
from wireroom.lib.text import FSI, PDI, isolate
from wireroom.mediadb.selectors import WireReach, wire_reach
from wireroom.releases.models import Acceptance, Kind, Localization, Origin, Release, TranslationUpdate
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
    lede_html: SafeString
    rest_html: SafeString
    disclaimer: str
    sectors_line: str
    boilerplate: str
    origin_note: str
    correction_note: str
    update_note: str
    contacts: tuple[dict[str, str], ...]
    contact_heading: str

    @property
    def django_language(self) -> str:
        return self.language.lower()

    def html(self) -> SafeString:
        """The item as an HTML fragment (an `<article>` with `lang` and `dir`)."""
        return mark_safe(render_to_string("anatomy/item.html", {"item": self}))

    @property
    def lede_text(self) -> str:
        """The first sentence after the credit line and the dateline, as plain text."""
        return html_to_text(self.lede_html)

    @property
    def lede_line(self) -> str:
        """The whole first paragraph as plain text: credit line, dateline, first sentence."""
        return " ".join(part for part in (self.credit, self.dateline, self.lede_text) if part)

    @property
    def contact_lines(self) -> list[str]:
        """One plain line per contact, each name isolated so that a bidi control in it stays inside it."""
        return [", ".join(isolate(contact[key]) for key in ("name", "organization") if contact.get(key))
                + (f" <{contact['email']}>" if contact.get("email") else "")
                + (f" {isolate(contact['phone'])}" if contact.get("phone") else "")
                for contact in self.contacts]

    def text(self) -> str:
        return render_to_string("anatomy/item.txt", {"item": self, "body_text": html_to_text(self.rest_html)})


def babel_locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


# CLDR's list patterns carry a conjunction ("A و B"); a sectors line wants a bare enumeration.
LIST_SEPARATORS = {"ar": "، ", "zh": "、", "ja": "、"}


# The body's opening paragraph (the sanitizer leaves balanced `<p>` with quoted attributes, never nested).
_FIRST_PARAGRAPH = re.compile(r"\A\s*<p(\s[^>]*)?>(.*?)</p>", re.S | re.I)
# Loose text before the first block: it, too, is the opening of the body.
_FIRST_BLOCK = re.compile(r"<(?:p|h[1-6]|ul|ol|li|table|blockquote|figure|hr|pre|div)[\s>/]", re.I)
_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_LEFT_TO_RIGHT = _CONTROLS | {"L"}
_RIGHT_TO_LEFT = _CONTROLS | {"R", "AL", "AN"}


def split_lede(*, summary: str, body_html: str) -> tuple[SafeString, SafeString]:
    """(the lede's first sentence as HTML, the rest of the body as HTML).

    The credit line always opens the first sentence of the text, as in the reference item: the summary when
    there is one, else the body's opening paragraph, which then moves into the lede.
    """
    if summary:
        return format_html("{}", summary), mark_safe(body_html)  # sanitized on the way in
    found = _FIRST_PARAGRAPH.match(body_html)
    if found:
        attributes, inner = found.group(1), found.group(2)
        lede = f"<span{attributes}>{inner}</span>" if attributes else inner
        return mark_safe(lede), mark_safe(body_html[found.end():])
    block = _FIRST_BLOCK.search(body_html)
    cut = block.start() if block else len(body_html)
    return mark_safe(body_html[:cut].strip()), mark_safe(body_html[cut:])


def isolated(text: str, direction: str) -> str:
    """User text set inside a fixed sentence of `direction`, in FSI…PDI when it holds letters of the other
    direction (neutral characters at its edges would take the sentence's side) or bidi controls."""
    other = _LEFT_TO_RIGHT if direction == "rtl" else _RIGHT_TO_LEFT
    if any(unicodedata.bidirectional(char) in other for char in text):
        return f"{FSI}{text}{PDI}"
    return text


def local_date(value: dt.datetime, tag: str) -> str:
    """The day as the language writes it in full (29 November 2026, 2026年11月29日, 29 نوفمبر 2026), in UTC."""
    return format_date(value.astimezone(dt.UTC).date(), "long", locale=babel_locale(tag))


def local_datetime(value: dt.datetime, tag: str) -> str:
    """Day and minute as the language writes them, in UTC, said so."""
    locale = babel_locale(tag)
    moment = value.astimezone(dt.UTC)
    day = format_date(moment.date(), "long", locale=locale)
    time = format_time(moment, "short", tzinfo=dt.UTC, locale=locale)
    return str(get_datetime_format("medium", locale=locale)).replace("{1}", day).replace("{0}", time) + " UTC"


def _dateline(place: str, when: dt.datetime | None, tag: str, direction: str) -> str:
    """The wire's dateline, place and day, ended by the separator the language uses before the first sentence."""
    if not place:
        return ""
    place = isolated(place, direction)
    if when is None:
        # Translators: a dateline without a day: the place, then the separator that leads into the text.
        return _("%(place)s –") % {"place": place}
    # Translators: the dateline: the place, the day, then the separator that leads into the first sentence.
    return _("%(place)s, %(date)s –") % {"place": place, "date": local_date(when, tag)}


def localized_list(items: list[str], tag: str) -> str:
    """Joins with the language's own separator (、 in Chinese, ، in Arabic), without a conjunction."""
    return LIST_SEPARATORS.get(tag.split("-")[0], ", ").join(items)


def boilerplate(tag: str, reach: WireReach, wording: Brand | None = None) -> str:
    """The wire's boilerplate in `tag` (the language must be active): the brand's template, else the catalog's,
    with the figures counted from the media database and written as a person would."""
    wording = wording or brand(language=tag)
    locale = babel_locale(tag)
    first_class = Language.objects.filter(first_class=True).order_by("position")
    names = [babel_locale(lang.code).get_display_name(locale) or lang.name for lang in first_class]
    values = {
        "wire": wording.wire_name,
        "wire_url": wording.wire_url,
        "outlets": written_count(reach.outlets, locale),
        "journalists": written_count(reach.contacts, locale),
        "desktops": written_count(reach.desktops, locale),
        "countries": written_count(reach.countries, locale),
        "languages": format_list(names, locale=locale),
    }
    if wording.boilerplate:
        return fill(wording.boilerplate, values)
    return _(
        "%(wire)s distributes press releases in real time for companies and institutions, reaching "
        "%(outlets)s media outlets, %(journalists)s editors and journalists and %(desktops)s professional "
        "desktops in %(countries)s countries. %(wire)s distributes in %(languages)s, and more."
    ) % values


def _disclaimer(release: Release, direction: str, wording: Brand) -> str:
    params = {"wire": wording.wire_name, "wire_url": wording.wire_url,
              "issuer": isolated(release.issuer.name, direction)}
    if template := wording.disclaimers.get(release.kind):
        return fill(template, params)
    if release.kind == Kind.THIRD_PARTY_ARTICLE:
        return _("This article comes from an independent content provider. %(wire)s gives no warranty and makes "
                 "no representation about it.") % params
    if release.kind == Kind.MEDIA_ADVISORY:
        return _("This media advisory was issued by %(issuer)s, which alone is responsible for its content. "
                 "%(wire)s distributes it as received.") % params
    return _("This press release was issued by %(issuer)s, which alone is responsible for its content. "
             "%(wire)s distributes it as received.") % params


def _sectors_line(release: Release, tag: str, wording: Brand) -> str:
    labels = [wording.sector_labels.get(sector.slug) or sector.label(tag) for sector in release.sectors.all()]
    if not labels:
        return ""
    listed = localized_list(labels, tag)
    if wording.sectors_line:
        return fill(wording.sectors_line, {"sectors": listed})
    return _("Sectors: %(sectors)s") % {"sectors": listed}


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


def _update_note(localization: Localization) -> str:
    """Whether this translation follows its original after a correction changed the original."""
    if localization.translation_update == TranslationUpdate.PENDING:
        return _("Translation pending update: the original was corrected, and this translation will follow it.")
    if localization.translation_update == TranslationUpdate.UPDATED:
        return _("Translation updated to follow the corrected original.")
    return ""


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
    lede_html, rest_html = split_lede(summary=localization.summary, body_html=localization.body_html)
    wording = brand(language=tag)
    with translation.override(lang.django_code):
        return Anatomy(
            language=tag,
            direction=lang.direction,
            headline=localization.headline,
            summary=localization.summary,
            credit=_("(%(wire)s) –") % {"wire": wording.wire_name},
            dateline=_dateline(release.dateline, release.published_at or release.embargo_at, tag, lang.direction),
            body_html=localization.body_html,
            lede_html=lede_html,
            rest_html=rest_html,
            disclaimer=_disclaimer(release, lang.direction, wording),
            sectors_line=_sectors_line(release, tag, wording),
            boilerplate=boilerplate(tag, wire_reach(), wording),
            origin_note=_origin_note(localization, tag),
            correction_note=_("Correction: %(note)s") % {"note": correction_note} if correction_note else "",
            update_note=_update_note(localization),
            contacts=tuple(release.contacts),
            contact_heading=_("Media contact"),
        )
