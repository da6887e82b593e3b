"""`wireroom bench translate`: words per second of each installed engine pair on a release-sized document,
and the time from requesting every language the engines reach to all drafts ready.

Each pair's rate goes through `machine.translate`, as the worker does: the placeholders for links, numbers,
addresses and glossary terms, the markup handed to the engine, one batch per hop. Its limit, measured in the
same run, is the same engines translating the document's plain text (no markup, no placeholders, same hops):
what the wire adds can only slow that down. Apertium starts its pipeline once per batch, so that start cost
is in both figures.

Each other engine in use (`WIREROOM_TRANSLATION_ENGINES`) that reaches a pair on its own, and is not the one
the wire prefers for it, is measured the same way, under keys named after it: with `apertium,apertium-apy`, the
apertium-apy server's rate is `apertium_apy_en_es_words_per_s` beside the local process's `en_es_words_per_s`.

`fanout_s` requests every target language the engines reach from English through `translation_request` and
runs the worker's code (`work_due`: lease, draft, checks, write) until every job is done. Its limit is the
same drafts made by `machine.translate` alone, one after the other, without the job table, the checks or the
database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.registry import Bench, Figures, Option, Tool, register

# The wire's own sample: a water utility opens a desalination plant; every paragraph has markup, a number,
# a link and an address, as a release does.
EN_PARAGRAPH = (
    "<p>Nahr Energy opened its second solar desalination plant near Valencia on Monday. The plant turns "
    "<strong>1,250</strong> cubic metres of sea water into drinking water every hour and runs on the sun alone "
    "during the day. The company says the plant will serve about fifty thousand homes and cut the region's "
    "water costs by a fifth. Details are on <a href=\"https://nahr.example/plant-2026\">the project page</a>; "
    "journalists can write to press@nahr.example.</p>"
)
ZH_PARAGRAPH = (
    "<p>纳赫尔能源周一在瓦伦西亚附近启用了第二座太阳能海水淡化厂。该厂每小时把<strong>1,250</strong>立方米海水"
    "变成饮用水，白天只靠太阳能运行。公司表示，该厂将为大约五万户家庭供水，并把地区的用水成本降低五分之一。"
    "详情见<a href=\"https://nahr.example/plant-2026\">项目页面</a>；记者可以写信到 press@nahr.example。</p>"
)
HEADLINE = {"en": "Nahr Energy opens a solar desalination plant near Valencia",
            "zh-Hans": "纳赫尔能源在瓦伦西亚附近启用太阳能海水淡化厂"}
PAIRS = (("en", "es"), ("en", "pt"), ("zh-Hans", "zh-Hant"))


def _document(language: str, paragraphs: int) -> tuple[str, str, str]:
    body = (EN_PARAGRAPH if language == "en" else ZH_PARAGRAPH) * paragraphs
    return HEADLINE[language], HEADLINE[language] + ".", body


def _words(text: str) -> int:
    # Chinese has no spaces between words: its characters are counted, two to a word, a usual estimate.
    if any("\u4e00" <= char <= "\u9fff" for char in text):
        return max(1, sum("\u4e00" <= char <= "\u9fff" for char in text) // 2)
    return len(text.split())


def _rate(work: Callable[[], object], seconds: float) -> float:
    """Runs of `work` per second over at least `seconds` (at least one run)."""
    done, started = 0, time.perf_counter()
    while True:
        work()
        done += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def _pair_figures(source: str, target: str, paragraphs: int, seconds: float, log: Callable[[str], object],
                  engines: list[Any] | None = None) -> dict[str, Any] | None:
    """The pair's rates through the engines the wire would use, or through `engines` only."""
    from wireroom.lib.html import html_to_text
    from wireroom.translation import machine

    try:
        hops = machine.route(source, target, engines=engines)
    except machine.NoRoute:
        log(f"{source}→{target}: no installed engine reaches it; skipped")
        return None
    headline, summary, body = _document(source, paragraphs)
    segments = [machine.Segment(headline, "text"), machine.Segment(summary, "text"), machine.Segment(body, "html")]
    words = _words(headline) + _words(summary) + _words(html_to_text(body))
    plain = [headline, summary, html_to_text(body)]

    def wire() -> object:
        return machine.translate(segments, source=source, target=target, glossary=[], hops=hops)

    def raw() -> object:
        texts = plain
        for hop in hops:
            texts = hop.engine.translate(texts, source=hop.source, target=hop.target, markup="text")
        return texts

    log(f"{source}→{target}: through the wire's placeholders and markup")
    runs = _rate(wire, seconds)
    log(f"{source}→{target}: the engines alone on plain text")
    raw_runs = _rate(raw, seconds)
    chain = " + ".join(f"{hop.engine.name} {hop.source}→{hop.target}" for hop in hops)
    return {"engine": chain, "source": source, "target": target, "words": words, "segments": len(segments),
            "words_per_s": round(runs * words, 1), "limit_words_per_s": round(raw_runs * words, 1)}


def _fanout(paragraphs: int, log: Callable[[str], object]) -> tuple[int, float, float]:
    from wireroom.demo.accounts import seed_accounts
    from wireroom.releases import services as releases
    from wireroom.taxonomy.models import Language
    from wireroom.translation import machine, services
    from wireroom.translation.models import JobState, TranslationJob
    from wireroom.translation.worker import work_due

    members = seed_accounts()
    issuer = members["nahr-energy"]
    headline, summary, body = _document("en", paragraphs)
    release = releases.release_create(by=issuer, data=releases.ReleaseInput(
        kind="press_release", original_language="en", sectors=["energy"], countries=["ES"], languages=["en"],
        dateline="Valencia", localizations=[releases.LocalizationInput(
            language="en", headline=headline, summary=summary, body_html=body, origin="author")])).release
    targets = [code for code, ok in machine.reachable(
        "en", list(Language.objects.exclude(code="en").values_list("code", flat=True))).items() if ok]
    log(f"fan-out: {len(targets)} languages reached from en: {', '.join(targets)}")
    started = time.perf_counter()
    services.translation_request(release=release, languages=targets, by=issuer)
    while TranslationJob.objects.filter(release=release).exclude(state__in=(JobState.DONE, JobState.FAILED)).exists():
        work_due(worker="bench", limit=len(targets))
    fanout = time.perf_counter() - started
    failed = TranslationJob.objects.filter(release=release, state=JobState.FAILED).count()
    if failed:
        raise RuntimeError(f"{failed} translation jobs failed")
    segments = [machine.Segment(headline, "text"), machine.Segment(summary, "text"), machine.Segment(body, "html")]
    started = time.perf_counter()
    for target in targets:
        machine.translate(segments, source="en", target=target, glossary=[])
    return len(targets), fanout, time.perf_counter() - started


def _key(pair: Mapping[str, Any]) -> str:
    return f"{pair['source']}_{pair['target']}".replace("-", "_").lower()


def _other_engines(preferred: list[dict[str, Any]], paragraphs: int, seconds: float,
                   log: Callable[[str], object]) -> list[dict[str, Any]]:
    """Each engine in use that the preferred routes leave out, on each pair it reaches by itself."""
    from wireroom.translation import machine
    from wireroom.translation.engines.registry import configured_engines

    used = {hop.split(" ")[0] for pair in preferred for hop in pair["engine"].split(" + ")}
    found = []
    for engine in configured_engines():
        if engine.name in used:
            continue
        for source, target in PAIRS:
            try:
                machine.route(source, target, engines=[engine])
            except machine.NoRoute:
                continue
            log(f"{engine.name}: measured on its own")
            figures = _pair_figures(source, target, paragraphs, seconds, log, engines=[engine])
            if figures is not None:
                found.append(figures | {"engine_name": engine.name})
    return found


def run_translate(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    paragraphs, seconds = options["paragraphs"], options["seconds"]
    engines = [found for source, target in PAIRS
               if (found := _pair_figures(source, target, paragraphs, seconds, log)) is not None]
    figures: Figures = {"paragraphs": paragraphs, "seconds_per_figure": seconds, "engines": engines}
    for pair in engines:
        key = _key(pair)
        figures[f"{key}_words_per_s"] = pair["words_per_s"]
        figures[f"{key}_limit_words_per_s"] = pair["limit_words_per_s"]
    for pair in _other_engines(engines, paragraphs, seconds, log):
        key = f"{pair['engine_name'].replace('-', '_')}_{_key(pair)}"
        figures[f"{key}_words_per_s"] = pair["words_per_s"]
        figures[f"{key}_limit_words_per_s"] = pair["limit_words_per_s"]
        engines.append(pair)
    figures["segments"] = engines[0]["segments"] if engines else 0
    figures["engine"] = ", ".join(pair["engine"] for pair in engines)
    figures["words_per_s"] = min((pair["words_per_s"] for pair in engines), default=0.0)
    languages, fanout, limit = _fanout(paragraphs, log)
    figures.update(fanout_languages=languages, fanout_s=round(fanout, 3), fanout_limit_s=round(limit, 3))
    return figures


# The engines other than the preferred ones whose own figures the bench may write (see `_other_engines`).
OTHER_ENGINE_KEYS = ("apertium", "apertium_apy", "opencc", "argos", "libretranslate", "deepl")


def _limits() -> dict[str, str]:
    pairs = ("en_es", "en_pt", "zh_hans_zh_hant")
    keys = pairs + tuple(f"{engine}_{key}" for engine in OTHER_ENGINE_KEYS for key in pairs)
    return {f"{key}_words_per_s": f"{key}_limit_words_per_s" for key in keys} | {"fanout_s": "fanout_limit_s"}


register(Bench(
    name="translate",
    summary=("words per second of each installed engine pair through the wire's placeholders and markup, beside "
             "the engines alone on plain text; the time from requesting every reachable language to all drafts"),
    run=run_translate,
    options=(Option("--paragraphs", int, 8, "Paragraphs of about 70 words in the document."),
             Option("--seconds", float, 5.0, "How long each rate is measured.")),
    tools=(Tool("apertium", "Run `scripts/ensure-system-packages.sh apertium apertium-eng-spa apertium-es-pt`."),),
    limits=_limits(),
))
