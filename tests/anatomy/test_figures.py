"""The boilerplate's figures as a person writes them, in each language's own words: rounded down to two
significant digits, "more than" only when the figure is below the count."""

from __future__ import annotations

import pytest
from django.utils import translation

from wireroom.anatomy.figures import rounded_down, written_count
from wireroom.anatomy.render import babel_locale


def _written(count: int, tag: str) -> str:
    with translation.override(tag.lower()):
        return written_count(count, babel_locale(tag))


def test_counts_keep_two_significant_digits_rounded_down_and_small_counts_stay_exact() -> None:
    assert [rounded_down(count) for count in (0, 7, 99, 100, 6_512, 6_500, 86_234, 3_512_345, 999_999)] == [
        0, 7, 99, 100, 6_500, 6_500, 86_000, 3_500_000, 990_000]


@pytest.mark.parametrize(("tag", "count", "written"), [
    ("en", 6_512, "more than 6,500"),
    ("en", 6_500, "6,500"),
    ("en", 86_234, "more than 86,000"),
    ("en", 3_512_345, "more than 3.5 million"),
    ("en", 3_500_000, "3.5 million"),
    ("en", 42, "42"),
    ("de", 6_512, "mehr als 6.500"),
    ("de", 3_512_345, "mehr als 3,5 Millionen"),
    ("de", 12_000_000, "12 Millionen"),
    ("ja", 6_512, "6,500余"),
    ("ja", 86_234, "8.6万余"),
    ("ja", 3_500_000, "350万"),
    ("ar", 6_512, "أكثر من 6,500"),
    ("ar", 3_500_000, "3.5 مليون"),
    ("ar", 3_512_345, "أكثر من 3.5 مليون"),
    ("th", 6_512, "กว่า 6,500"),
    ("th", 3_512_345, "กว่า 3.5 ล้าน"),
    ("th", 40, "40"),
])
def test_each_language_writes_the_figure_in_its_own_words(tag: str, count: int, written: str) -> None:
    assert _written(count, tag) == written


@pytest.mark.parametrize("tag", ["en", "de", "ja", "ar", "th", "zh-Hans", "ru"])
def test_an_exact_count_is_never_more_than_itself(tag: str) -> None:
    for count in (100, 6_500, 86_000, 1_000_000, 3_500_000):
        assert _written(count, tag) != _written(count + 1, tag)  # the next count is rounded down, and says so
        assert _written(count, tag) in _written(count + 1, tag)
