from __future__ import annotations

import re

import pytest

from tests.support.translation import configure, deepl_server, libretranslate_server
from wireroom.translation.engines.apertium import Apertium
from wireroom.translation.engines.base import EngineError
from wireroom.translation.engines.registry import configured_engines, engine_names, get
from wireroom.translation.machine import NoRoute, Segment, route, translate
from wireroom.translation.protect import GlossaryEntry

BODY = ('<p>The company sold <strong>1,250 units</strong> in 2025 and opened a new plant in Valencia.</p>'
        '<p>Read more at <a href="https://nahr.example/news?id=7">our newsroom</a>, https://nahr.example/plant '
        'or write to press@nahr.example.</p>')


def test_every_engine_is_registered_under_its_name() -> None:
    assert engine_names() == ["apertium", "apertium-apy", "argos", "deepl", "libretranslate", "opencc"]


def test_the_setting_picks_the_engines_in_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, engines=["opencc", "apertium"])
    assert [engine.name for engine in configured_engines()] == ["opencc", "apertium"]


def test_an_unknown_engine_name_is_refused_with_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, engines=["babelfish"])
    with pytest.raises(LookupError, match="known: apertium, apertium-apy, argos, deepl"):
        configured_engines()


def test_apertium_offers_the_installed_pairs_under_the_wires_language_tags() -> None:
    pairs = get("apertium").factory().pairs()
    assert {("en", "es"), ("es", "en"), ("es", "pt"), ("pt", "es")} <= pairs


def test_apertium_translates_english_html_to_spanish_keeping_the_markup() -> None:
    engine = get("apertium").factory()
    [out] = engine.translate(['<p>The new <strong>plant</strong> opens today.</p><ul><li>Two units</li></ul>'],
                             source="en", target="es", markup="html")
    assert re.findall(r"<[^>]+>", out) == ["<p>", "<strong>", "</strong>", "</p>", "<ul>", "<li>", "</li>", "</ul>"]
    assert re.sub(r"<[^>]+>", "", out) == "La planta nueva abre hoy.Dos unidades"


def test_apertium_translates_a_batch_returning_one_text_per_segment_in_order() -> None:
    engine = get("apertium").factory()
    out = engine.translate(["The plant opens today.", "Two units & one house", "The company"],
                           source="en", target="es", markup="text")
    assert out == ["La planta abre hoy.", "Dos unidades & una casa", "La empresa"]


def test_apertium_names_its_version_and_the_pair_data_it_used() -> None:
    version = get("apertium").factory().version(source="en", target="es")
    assert version.startswith("apertium 3.")
    assert "eng-spa" in version and "apertium-eng-spa" in version


def test_apertium_fails_as_an_engine_error_when_its_program_goes_missing() -> None:
    engine = Apertium()
    engine.command = "/nonexistent/apertium"
    with pytest.raises(EngineError, match="did not run"):
        engine.translate(["The plant"], source="en", target="es", markup="text")


def test_an_english_release_body_keeps_markup_links_numbers_urls_and_addresses_in_spanish() -> None:
    done = translate([Segment(BODY, "html")], source="en", target="es", glossary=[])
    body = done.texts[0]
    assert body.startswith("<p>La empresa vendió <strong>1,250 unidades</strong> en 2025")
    assert '<a href="https://nahr.example/news?id=7">' in body
    assert "https://nahr.example/plant" in body and "press@nahr.example" in body
    assert done.lost == [[]]
    assert [hop["engine"] for hop in done.chain] == ["apertium"]


def test_glossary_terms_keep_their_fixed_translation_or_stay_as_written() -> None:
    glossary = [GlossaryEntry("Nahr Energy"), GlossaryEntry("Sun Cloud", "Nube Solar"),
                GlossaryEntry("Jane Smith")]
    text = "Nahr Energy and Jane Smith present Sun Cloud, the new plant."
    done = translate([Segment(text, "text")], source="en", target="es", glossary=glossary)
    assert done.texts[0].startswith("Nahr Energy y Jane Smith ")
    assert done.texts[0].endswith(" Nube Solar, la planta nueva.")


def test_without_a_direct_pair_apertium_pivots_through_spanish_and_records_both_hops() -> None:
    hops = route("en", "pt")
    assert [(hop.engine.name, hop.source, hop.target) for hop in hops] == [
        ("apertium", "en", "es"), ("apertium", "es", "pt")]
    done = translate([Segment(BODY, "html")], source="en", target="pt", glossary=[GlossaryEntry("Valencia")])
    assert done.texts[0].startswith("<p>A empresa vendeu <strong>1,250 unidades</strong> em 2025")
    assert "Valencia" in done.texts[0] and "press@nahr.example" in done.texts[0]
    assert [(hop["source"], hop["target"]) for hop in done.chain] == [("en", "es"), ("es", "pt")]
    assert all(hop["version"].startswith("apertium") for hop in done.chain)


def test_a_language_no_engine_reaches_has_no_route() -> None:
    with pytest.raises(NoRoute, match="reaches th from en"):
        route("en", "th")


@pytest.mark.parametrize(("variant", "expected"), [
    ("standard", "這個軟件公司發佈了新的鼠標，價格爲1250元。"),
    ("taiwan", "這個軟件公司發佈了新的鼠標，價格為1250元。"),
    ("taiwan-phrases", "這個軟體公司釋出了新的滑鼠，價格為1250元。"),
    ("hong-kong", "這個軟件公司發佈了新的鼠標，價格為1250元。"),
])
def test_opencc_writes_the_traditional_variant_the_setting_names(monkeypatch: pytest.MonkeyPatch, variant: str,
                                                                 expected: str) -> None:
    configure(monkeypatch, opencc_variant=variant)
    engine = get("opencc").factory()
    assert engine.translate(["这个软件公司发布了新的鼠标，价格为1250元。"], source="zh-Hans", target="zh-Hant",
                            markup="text") == [expected]


def test_opencc_converts_traditional_back_to_simplified_keeping_markup_and_tokens() -> None:
    engine = get("opencc").factory()
    out = engine.translate(['<p lang="zh-Hant">軟件⟦1⟧<a href="https://x.example/發">網絡</a></p>'],
                           source="zh-Hant", target="zh-Hans", markup="html")
    assert out == ['<p lang="zh-Hant">软件⟦1⟧<a href="https://x.example/發">网络</a></p>']
    assert engine.version(source="zh-Hant", target="zh-Hans").startswith("opencc 1.")


def test_libretranslate_translates_a_batch_over_its_http_api(monkeypatch: pytest.MonkeyPatch) -> None:
    with libretranslate_server() as server:
        configure(monkeypatch, engines=["libretranslate"], libretranslate_url=server.url(),
                  libretranslate_api_key="k-123")
        engine = configured_engines()[0]
        assert ("en", "es") in engine.pairs()
        done = translate([Segment("The company opens a new plant in 2026.", "text"),
                          Segment('<p>The <a href="https://nahr.example/the">plant</a></p>', "html")],
                         source="en", target="es", glossary=[])
    assert done.texts == ["La empresa abre una nueva planta en 2026.",
                          '<p>La <a href="https://nahr.example/the">planta</a></p>']
    assert [request["format"] for request in server.requests] == ["html", "text"]
    assert server.requests[1] == {"q": ["The company opens a new plant in ⟦1⟧."], "source": "en", "target": "es",
                                  "format": "text", "api_key": "k-123"}
    assert done.chain[0]["engine"] == "libretranslate"


def test_libretranslate_refusing_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with libretranslate_server() as server:
        server.fail_with = 429
        configure(monkeypatch, engines=["libretranslate"], libretranslate_url=server.url())
        with pytest.raises(EngineError, match="answered 429"):
            configured_engines()[0].translate(["The plant"], source="en", target="es", markup="text")


def test_deepl_translates_html_through_the_official_package(monkeypatch: pytest.MonkeyPatch) -> None:
    with deepl_server() as server:
        configure(monkeypatch, engines=["deepl"], deepl_auth_key="secret:fx", deepl_server_url=server.url())
        engine = configured_engines()[0]
        assert engine.pairs() == {("en", "es"), ("es", "en")}
        done = translate([Segment("<p>The company opens a new plant.</p>", "html")], source="en", target="es",
                         glossary=[GlossaryEntry("Nahr")])
    assert done.texts == ["<p>La empresa abre una nueva planta.</p>"]
    assert server.requests[0]["tag_handling"] == "html"
    assert server.requests[0]["source_lang"] == "EN" and server.requests[0]["target_lang"] == "ES"
    assert done.chain[0]["version"].startswith("deepl api v2")


def test_deepl_without_a_key_offers_no_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, engines=["deepl"], deepl_auth_key="")
    assert configured_engines()[0].pairs() == set()
