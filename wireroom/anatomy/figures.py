"""The boilerplate's figures as a person writes them: counted from the database, kept to two significant digits
(rounded down, so the claim stays true), in the language's own words ("3.5 million", "3,5 Millionen", "350万"),
with "more than" only when the figure is below the count it stands for."""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal
from django.utils.translation import gettext as _

EXACT_BELOW = 100
SIGNIFICANT_DIGITS = 2
# Millions are written in words everywhere; languages that count in myriads (万, 만) write them from 10,000.
WORDS_FROM = 1_000_000
MYRIAD_LANGUAGES = frozenset({"ja", "zh", "ko"})
MYRIAD = 10_000


def rounded_down(count: int) -> int:
    """`count` kept to two significant digits, rounded down (6,512 → 6,500; 86,234 → 86,000); below 100, exact."""
    if count < EXACT_BELOW:
        return count
    step: int = 10 ** (len(str(count)) - SIGNIFICANT_DIGITS)
    return count // step * step


def figure(count: int, locale: Locale) -> str:
    """The number as the language writes it: in words from a million (or a myriad), else with its separators."""
    words_from = MYRIAD if locale.language in MYRIAD_LANGUAGES else WORDS_FROM
    if count >= words_from:
        return format_compact_decimal(count, format_type="long", locale=locale, fraction_digits=1)
    return format_decimal(count, locale=locale)


def written_count(count: int, locale: Locale) -> str:
    """What the boilerplate says for `count`: "more than 6,500" for 6,512, "6,500" for exactly 6,500. Called with
    the language of the text active."""
    shown = rounded_down(count)
    words = figure(shown, locale)
    if shown < count:
        # Translators: a count rounded down in the wire's boilerplate, e.g. "more than 6,500" (media outlets).
        return _("more than %(figure)s") % {"figure": words}
    return words
