from __future__ import annotations

from wireroom.translation.checks import language_findings, quality_findings
from wireroom.translation.protect import GlossaryEntry

FRENCH = ("La société Nahr a ouvert aujourd’hui sa nouvelle usine de dessalement, qui fonctionne entièrement "
          "à l’énergie solaire.")
GERMAN = "Die Firma Nahr hat heute ihre neue Entsalzungsanlage eröffnet, die vollständig mit Solarstrom läuft."


def test_a_localization_declared_german_but_written_in_french_is_flagged() -> None:
    [finding] = language_findings(language="de", text=FRENCH)
    assert finding["check"] == "language" and finding["detected"] == "fr"
    assert finding["message"] == "Declared as de, but the text reads as fr."


def test_a_localization_in_its_declared_language_is_not_flagged() -> None:
    assert language_findings(language="de", text=GERMAN) == []
    assert language_findings(language="fr", text=FRENCH) == []


def test_traditional_characters_declared_as_simplified_chinese_are_flagged_and_the_reverse_too() -> None:
    simplified, traditional = "这家软件公司发布了新的网络服务器。", "這家軟件公司發佈了新的網絡服務器。"
    assert [f["check"] for f in language_findings(language="zh-Hans", text=traditional)] == ["script"]
    assert [f["detected"] for f in language_findings(language="zh-Hant", text=simplified)] == ["zh-Hans"]
    assert language_findings(language="zh-Hans", text=simplified) == []
    assert language_findings(language="zh-Hant", text=traditional) == []


def test_chinese_declared_as_japanese_is_flagged() -> None:
    findings = language_findings(language="ja", text="这家软件公司今天发布了新的网络服务器和云平台。")
    assert [f["detected"] for f in findings] == ["zh"]


def test_a_faithful_translation_has_no_quality_findings() -> None:
    assert quality_findings(
        source_language="en", source_text="Nahr sold 1,250 units at https://nahr.example in 2025.",
        target_language="es", target_text="Nahr vendió 1,250 unidades en https://nahr.example en 2025.",
        glossary=[GlossaryEntry("Nahr")],
    ) == []


def test_lost_numbers_and_urls_untranslated_passages_odd_length_and_missing_glossary_terms_are_found() -> None:
    source = ("Sun Cloud sold 1,250 units in 2025.\n\nSee https://nahr.example/plant for the full report on the "
              "plant today.")
    target = "Nube vendió 1.250 unidades.\n\nSee https://nahr.example/plant for the full report on the plant today."
    findings = quality_findings(source_language="en", source_text=source, target_language="es",
                                target_text=target, glossary=[GlossaryEntry("Sun Cloud", "Nube Solar")])
    checks = {(f["check"], f.get("value") or f.get("term") or f.get("text", "")[:8]) for f in findings}
    assert checks == {("untranslated", "See http"), ("number_lost", "1,250"), ("number_lost", "2025"),
                      ("glossary", "Sun Cloud")}
    short = quality_findings(source_language="en", source_text=source, target_language="es", target_text="Nube.",
                             glossary=[])
    assert "length_ratio" in {f["check"] for f in short}
