"""Which control characters plain text may hold, and when text is isolated."""

from __future__ import annotations

import pytest

from wireroom.lib.errors import InvalidInput
from wireroom.lib.text import control_character, isolate, refuse_control_characters


@pytest.mark.parametrize(("text", "multiline", "found"), [
    ("Muscat", False, None),
    ("line\nbreak", False, "U+000A"),
    ("line\nbreak\r\nand\ttab", True, None),
    ("nul\x00", True, "U+0000"),
    ("form\x0cfeed", True, "U+000C"),
    ("next\x85line", True, "U+0085"),
    ("para\u2029graph", False, "U+2029"),
    ("delete\x7f", False, "U+007F"),
    ("عربي \u202bمضمّن\u202c", False, None),
])
def test_control_characters_are_found_by_kind_of_field(text: str, multiline: bool, found: str | None) -> None:
    assert control_character(text, multiline=multiline) == found


def test_refusing_names_every_field_that_holds_one() -> None:
    with pytest.raises(InvalidInput) as refused:
        refuse_control_characters([("a", "fine", False), ("b", "x\x00", True), ("c", "y\nz", False)])
    assert refused.value.message == "The field b holds the control character U+0000; remove it."
    assert refused.value.details == [{"where": "b", "problem": "holds the control character U+0000"},
                                     {"where": "c", "problem": "holds the control character U+000A"}]


@pytest.mark.parametrize(("text", "isolated"), [
    ("Nahr Energy opens a plant", False),
    ("نهر للطاقة", True),
    ("Nahr \u202eEnergy", True),
    ("Nahr \u2066Energy", True),
    ("Capacity \u0661\u0662 MW", True),
])
def test_text_that_could_reorder_its_surroundings_is_isolated(text: str, isolated: bool) -> None:
    assert isolate(text) == (f"\u2068{text}\u2069" if isolated else text)
