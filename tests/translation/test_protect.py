from __future__ import annotations

import pytest

from wireroom.translation.protect import GlossaryEntry, Token, protect, restore


@pytest.mark.parametrize(("text", "kind", "kept"), [
    ("Visit https://nahr.example/a?b=1&c=2 today.", "url", "https://nahr.example/a?b=1&c=2"),
    ("Visit www.nahr.example.", "url", "www.nahr.example"),
    ("Write to press.desk@nahr.example.", "email", "press.desk@nahr.example"),
    ("Sales rose 12.5% to 1,250,000 units.", "number", "12.5%"),
    ("On 29/11/2026 at 09:30.", "number", "29/11/2026"),
    ("Sun Cloud ships.", "glossary", "Sun Cloud"),
])
def test_each_kind_of_protected_text_becomes_a_token_and_comes_back(text: str, kind: str, kept: str) -> None:
    protected = protect(text, markup="text", glossary=[GlossaryEntry("Sun Cloud")])
    assert kept not in protected.text
    assert Token(kind, kept, kept) in protected.tokens.values()  # type: ignore[arg-type]
    assert restore(protected.text, protected).text == text


def test_a_glossary_term_comes_back_as_its_fixed_translation() -> None:
    protected = protect("Sun Cloud and Sun Clouds", markup="text", glossary=[GlossaryEntry("Sun Cloud", "Nube Solar")])
    assert protected.text == "⟦1⟧ and Sun Clouds"  # whole words only
    assert restore(protected.text, protected).text == "Nube Solar and Sun Clouds"


def test_the_longest_glossary_term_wins_where_terms_overlap() -> None:
    glossary = [GlossaryEntry("Nahr"), GlossaryEntry("Nahr Energy", "Nahr Energía")]
    protected = protect("Nahr Energy and Nahr", markup="text", glossary=glossary)
    assert restore(protected.text, protected).text == "Nahr Energía and Nahr"


def test_markup_is_left_to_the_engine_and_attributes_are_never_tokenized() -> None:
    html = '<p><a href="https://nahr.example/2026">Report 2026</a> at https://nahr.example/r</p>'
    protected = protect(html, markup="html", glossary=[])
    assert protected.text == '<p><a href="https://nahr.example/2026">Report ⟦1⟧</a> at ⟦2⟧</p>'


def test_tokens_an_engine_spaced_out_are_still_restored() -> None:
    protected = protect("In 2026.", markup="text", glossary=[])
    assert restore("En ⟦ 1 ⟧.", protected).text == "En 2026."


def test_a_token_the_engine_dropped_is_reported_as_lost() -> None:
    protected = protect("Call 555 or mail a@nahr.example", markup="text", glossary=[])
    restored = restore("Llame ⟦1⟧", protected)
    assert restored.text == "Llame 555"
    assert restored.lost == [Token("email", "a@nahr.example", "a@nahr.example")]
