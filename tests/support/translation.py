"""Stand-ins for translation services that cannot run here, speaking their documented wire formats on loopback.

Each "translates" English to Spanish word by word from a small table and leaves anything else (tags, tokens,
unknown words) as it is, so tests see what went over the wire and what came back.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from aiohttp import web

WORDS = {"The": "La", "the": "la", "company": "empresa", "opens": "abre", "a": "una", "new": "nueva",
         "plant": "planta", "today": "hoy", "in": "en", "and": "y", "sells": "vende", "units": "unidades"}


def word_by_word(text: str) -> str:
    # Only text between tags is touched, as a real server does in HTML mode.
    return re.sub(r"(?<![<\w/])\b[A-Za-z]+\b(?![^<]*>)", lambda m: WORDS.get(m.group(), m.group()), text)


@dataclass
class FakeServer:
    port: int = 0
    requests: list[dict[str, object]] = field(default_factory=list)
    fail_with: int | None = None  # answer every translation with this status instead

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _libretranslate_app(server: FakeServer) -> web.Application:
    async def languages(request: web.Request) -> web.Response:
        return web.json_response([
            {"code": "en", "name": "English", "targets": ["es", "fr"]},
            {"code": "es", "name": "Spanish", "targets": ["en"]},
        ])

    async def translate(request: web.Request) -> web.Response:
        body = await request.json()
        server.requests.append(body)
        if server.fail_with:
            return web.json_response({"error": "busy"}, status=server.fail_with)
        texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
        out = [word_by_word(text) for text in texts]
        return web.json_response({"translatedText": out if isinstance(body["q"], list) else out[0]})

    app = web.Application()
    app.router.add_get("/languages", languages)
    app.router.add_post("/translate", translate)
    return app


def _deepl_app(server: FakeServer) -> web.Application:
    async def languages(request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("DeepL-Auth-Key "):
            return web.json_response({"message": "Authorization failure"}, status=403)
        form = parse_qs((await request.read()).decode())
        kind = request.query.get("type") or form.get("type", ["source"])[0]
        if kind == "target":
            return web.json_response([{"language": "ES", "name": "Spanish", "supports_formality": True},
                                      {"language": "EN-US", "name": "English (American)"}])
        return web.json_response([{"language": "EN", "name": "English"}, {"language": "ES", "name": "Spanish"}])

    async def translate(request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("DeepL-Auth-Key "):
            return web.json_response({"message": "Authorization failure"}, status=403)
        body = json.loads(await request.read())
        server.requests.append(body)
        if server.fail_with:
            return web.json_response({"message": "busy"}, status=server.fail_with)
        return web.json_response({"translations": [
            {"detected_source_language": body.get("source_lang", "EN"), "text": word_by_word(text),
             "billed_characters": len(text)} for text in body["text"]
        ]})

    app = web.Application()
    app.router.add_route("*", "/v2/languages", languages)
    app.router.add_post("/v2/translate", translate)
    return app


@contextmanager
def _serve(server: FakeServer, app: web.Application) -> Iterator[FakeServer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1)

    async def start() -> int:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port: int = runner.addresses[0][1]
        return port

    server.port = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@contextmanager
def libretranslate_server() -> Iterator[FakeServer]:
    server = FakeServer()
    with _serve(server, _libretranslate_app(server)) as running:
        yield running


@contextmanager
def deepl_server() -> Iterator[FakeServer]:
    server = FakeServer()
    with _serve(server, _deepl_app(server)) as running:
        yield running


def configure(monkeypatch: object, **values: object) -> None:
    """Set WIREROOM_TRANSLATION_<NAME> settings for one test: configure(monkeypatch, engines=["opencc"])."""
    from django.conf import settings

    for name, value in values.items():
        monkeypatch.setitem(settings.ENV, f"WIREROOM_TRANSLATION_{name.upper()}", value)  # type: ignore[attr-defined]


ENGLISH_BODY = (
    "<p>Nahr Energy today opened its new desalination plant in Valencia. The plant produces "
    "<strong>1,250 cubic metres</strong> of drinking water every hour, enough for 50,000 homes.</p>"
    "<p>The Sun Cloud control system was built by the company's engineers in 2025.</p>"
    '<p>Read the <a href="https://nahr.example/plant-2026">full report</a> at https://nahr.example/press '
    "or write to press@nahr.example.</p>"
)
CHINESE_BODY = ("<p>纳尔能源公司今天在深圳启用了新的海水淡化厂。该厂每小时生产<strong>1,250立方米</strong>饮用水，"
                "可供50,000户家庭使用。</p>"
                "<p>详情请访问 https://nahr.example/press 或发送电子邮件至 press@nahr.example。</p>")


def english_release(**overrides: object) -> dict[str, object]:
    """Arguments for `make_release`: a release written in English."""
    from wireroom.releases.services import LocalizationInput

    values: dict[str, object] = {
        "original_language": "en", "languages": ["en", "es", "pt"], "dateline": "Valencia",
        "localizations": [LocalizationInput(
            language="en", headline="Nahr Energy opens a solar desalination plant in Valencia",
            summary="The new plant makes drinking water for 50,000 homes.", body_html=ENGLISH_BODY)],
    }
    values.update(overrides)
    return values


def chinese_release(**overrides: object) -> dict[str, object]:
    """Arguments for `make_release`: a release written in Simplified Chinese."""
    from wireroom.releases.services import LocalizationInput

    values: dict[str, object] = {
        "original_language": "zh-Hans", "languages": ["zh-Hans", "zh-Hant"], "dateline": "深圳",
        "localizations": [LocalizationInput(
            language="zh-Hans", headline="纳尔能源在深圳启用太阳能海水淡化厂",
            summary="新厂为五万户家庭提供饮用水。", body_html=CHINESE_BODY)],
    }
    values.update(overrides)
    return values
