"""`wireroom bench formats`: how many items each format renders per second, for one release in 15 languages,
and how many feed requests the real server answers per second.

An item is one rendering by the formats registry (`render(release=…, version=…, language=…, action=…)`) of the
published version in one language, as staging makes them. Beside each format's rate is its limit, measured in
the same run: the same bytes made again by the serializer alone (lxml for the XML formats, the json module for
ninjs) from the already-built document, which no rendering can beat.

The feeds are asked of `wireroom serve` (uvicorn, the web server only) on a loopback port, by `--clients`
clients at once: `feed_rps` is full Atom feeds of the whole wire (`--feed-entries` releases, each in 15
languages), `feed_304_rps` the same requests sent with the feed's `ETag`, answered 304. Their limit,
`static_rps`, is measured by the same clients against the same server in the same run: a static file (the
newsroom's stylesheet), which the server answers without Django's views or the database.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.measure import STATIC_FILE, request_rate, serving
from wireroom.bench.registry import Bench, Figures, Option, register

# The wire's own sample text: a cold-storage hub opens at a port, in the fifteen first-class languages.
HEADLINES = {
    "en": "Harbor Lights Logistics opens a cold-storage hub at Jebel Ali",
    "ko": "하버 라이츠 로지스틱스, 제벨 알리에 냉장 물류 허브 개장",
    "ja": "ハーバー・ライツ・ロジスティクス、ジュベル・アリに冷蔵物流拠点を開設",
    "ar": "هاربر لايتس للخدمات اللوجستية تفتتح مركزاً للتخزين المبرد في جبل علي",
    "zh-Hans": "港灯物流在杰贝阿里启用冷链仓储中心",
    "zh-Hant": "港燈物流在傑貝阿里啟用冷鏈倉儲中心",
    "vi": "Harbor Lights Logistics khai trương trung tâm kho lạnh tại Jebel Ali",
    "th": "ฮาร์เบอร์ ไลท์ส โลจิสติกส์ เปิดศูนย์ห้องเย็นที่เจเบล อาลี",
    "id": "Harbor Lights Logistics membuka pusat penyimpanan dingin di Jebel Ali",
    "ms": "Harbor Lights Logistics membuka hab simpanan sejuk di Jebel Ali",
    "de": "Harbor Lights Logistics eröffnet Kühllager-Drehkreuz in Jebel Ali",
    "ru": "Harbor Lights Logistics открывает холодильный хаб в Джебель-Али",
    "fr": "Harbor Lights Logistics ouvre une plateforme frigorifique à Jebel Ali",
    "es": "Harbor Lights Logistics abre un centro de almacenamiento en frío en Jebel Ali",
    "pt": "Harbor Lights Logistics inaugura centro de armazenagem refrigerada em Jebel Ali",
}
BODY = ("<p>{headline}.</p><p><strong>42,000</strong> pallet places, <em>-25 °C</em> to <em>+8 °C</em>, "
        "<a href=\"https://harbor-lights.example/hub\">harbor-lights.example</a>.</p>"
        "<h2>2027</h2><ul><li>18 loading bays</li><li>6 MW solar roof</li></ul>"
        "<table><tr><th>Zone</th><th>°C</th></tr><tr><td>A</td><td>-25</td></tr></table>") * 4


def published_release(log: Callable[[str], object], quiet: bool = False) -> Any:
    from wireroom.demo.accounts import seed_accounts
    from wireroom.releases import services

    members = seed_accounts()
    issuer, editor = members["nahr-energy"], members["editor"]
    localizations = [services.LocalizationInput(
        language=tag, headline=headline, summary=headline + ".", body_html=BODY.format(headline=headline),
        origin="author" if tag == "en" else "human", translated_from=None if tag == "en" else "en",
        translator="" if tag == "en" else "Wire desk")
        for tag, headline in HEADLINES.items()]
    release = services.release_create(by=issuer, data=services.ReleaseInput(
        kind="press_release", original_language="en", sectors=["energy", "business-economy"],
        countries=["AE"], regions=["gcc"], languages=list(HEADLINES), dateline="Dubai",
        localizations=localizations)).release
    services.release_submit(release=release, by=issuer)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=issuer)
    if not quiet:
        log(f"release {release.id} published in {len(HEADLINES)} languages")
    return release


def _rate(work: Callable[[], object], items: int, seconds: float) -> float:
    """Items per second over at least `seconds` of repeated `work`, each call making `items` items."""
    done, started = 0, time.perf_counter()
    while True:
        work()
        done += items
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def _render_all(fmt: Any, release: Any) -> list[bytes]:
    return [fmt.render(release=release, version=release.version, language=tag, action="publish")
            for tag in HEADLINES]


def _parsed(is_json: bool, rendered: list[bytes]) -> list[Any]:
    from lxml import etree

    return [json.loads(body) if is_json else etree.fromstring(body) for body in rendered]


def _serialize(is_json: bool, documents: list[Any]) -> list[bytes]:
    from lxml import etree

    if is_json:
        return [json.dumps(document, ensure_ascii=False).encode() for document in documents]
    return [etree.tostring(tree, xml_declaration=True, encoding="UTF-8") for tree in documents]


def _feed_figures(*, options: Mapping[str, Any], log: Callable[[str], object]) -> Figures:
    import urllib.request

    with serving() as base:
        feed, static = f"{base}/feeds/all.atom", f"{base}{STATIC_FILE}"
        with urllib.request.urlopen(feed, timeout=30) as response:
            etag = response.headers["ETag"]
            size = len(response.read())
        clients, seconds = options["clients"], options["seconds"]
        log(f"feeds: {clients} clients against {base}")
        figures: Figures = {"feed_clients": clients, "feed_bytes": size}
        figures["feed_rps"] = round(request_rate(feed, {}, 200, clients, seconds), 1)
        figures["feed_304_rps"] = round(request_rate(feed, {"If-None-Match": etag}, 304, clients, seconds), 1)
        figures["static_rps"] = round(request_rate(static, {}, 200, clients, seconds), 1)
        return figures


def run_formats(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command

    from wireroom.formats.registry import format_names, get_format
    from wireroom.releases.selectors import release_by_pk

    seconds = options["seconds"]
    call_command("migrate", verbosity=0)
    release = release_by_pk(pk=published_release(log).pk)
    figures: Figures = {"languages": len(HEADLINES), "seconds_per_figure": seconds}
    for name in format_names():
        fmt = get_format(name)
        key = name.replace("-", "_").replace(".", "")
        render_all = functools.partial(_render_all, fmt, release)
        rendered = render_all()
        log(f"{name}: rendering")
        figures[f"{key}_items_per_s"] = round(_rate(render_all, len(HEADLINES), seconds), 1)
        log(f"{name}: serializing alone")
        serialize = functools.partial(_serialize, fmt.is_json, _parsed(fmt.is_json, rendered))
        figures[f"{key}_limit_items_per_s"] = round(_rate(serialize, len(HEADLINES), seconds), 1)
        figures[f"{key}_bytes_per_item"] = round(sum(map(len, rendered)) / len(rendered))
    for _ in range(options["feed_entries"] - 1):
        published_release(log, quiet=True)
    figures["feed_entries"] = options["feed_entries"]
    return figures | _feed_figures(options=options, log=log)


def _limits() -> dict[str, str]:
    names = ("ninjs", "ninjs_22", "newsml_g2", "nitf")
    limits = {f"{name}_items_per_s": f"{name}_limit_items_per_s" for name in names}
    return limits | {"feed_rps": "static_rps", "feed_304_rps": "static_rps"}


register(Bench(
    name="formats",
    summary=("items rendered per second in each format, one release in 15 languages, beside the rate of the "
             "serializer alone; feed requests per second, plain and conditional, beside a static file's"),
    run=run_formats,
    options=(Option("--seconds", float, 5.0, "How long each figure is measured."),
             Option("--feed-entries", int, 50, "Releases (each in 15 languages) in the feed asked for."),
             Option("--clients", int, 8, "Feed clients asking at once.")),
    limits=_limits(),
))
