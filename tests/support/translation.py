"""Translation services on loopback for the tests: the real apertium-apy (Debian's package), and stand-ins for
the services that cannot run here, speaking their documented wire formats.

Each stand-in "translates" English to Spanish word by word from a small table and leaves anything else (tags,
tokens, unknown words) as it is, so tests see what went over the wire and what came back.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from aiohttp import web

from tests.support.email import free_port

if TYPE_CHECKING:
    from wireroom.accounts.models import Membership, Organization
    from wireroom.releases.models import Release

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


# `apertium-apy` itself listens on every interface; this starts the same server on loopback only. It runs under
# Debian's Python, which has the package and its Tornado.
_APY_ON_LOOPBACK = """
import sys, tornado.httpserver, tornado.ioloop
from apertium_apy import apy
args = apy.parse_args(sys.argv[1:])
server = tornado.httpserver.HTTPServer(apy.setup_application(args))
server.bind(args.port, address="127.0.0.1")
server.start(1)
print("serving", flush=True)
tornado.ioloop.IOLoop.current().start()
"""
APY_PYTHON = "/usr/bin/python3"
APY_LANGUAGE_NAMES = "/usr/share/apertium-apy/langNames.db"
APERTIUM_MODES = "/usr/share/apertium/modes"


@contextmanager
def apertium_apy_server() -> Iterator[str]:
    """The real apertium-apy serving the installed Apertium pairs on a free loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [APY_PYTHON, "-c", _APY_ON_LOOPBACK, "-p", str(port), "-l", APY_LANGUAGE_NAMES, APERTIUM_MODES],
        env={**os.environ, "LC_ALL": "C.UTF-8"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/listPairs", timeout=5) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.communicate(timeout=30)[0]
                    raise AssertionError(f"apertium-apy did not come up:\n{output}") from None
                time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate(timeout=30)


def make_translator(org: Organization, username: str, *languages: str) -> Membership:
    """One of the wire's translators, working into `languages`."""
    from tests.support.factories import member
    from wireroom.accounts.models import Role
    from wireroom.translation.models import TranslatorLanguage

    membership = member(org, username, Role.TRANSLATOR)
    membership.user.first_name, membership.user.last_name = "Lucía", username.title()
    membership.user.save()
    TranslatorLanguage.objects.bulk_create(TranslatorLanguage(membership=membership, language_id=code)
                                           for code in languages)
    return membership



def corrected_after_a_human_translation(*, release: Release, translator: Membership,
                                        actors: dict[str, Membership]) -> None:
    """`release` (English, Spanish asked for) translated by `translator`, accepted, approved and published; then its
    English original corrected (1,250 → 1,400), which gives the translator an update task."""
    from wireroom.releases import services as releases
    from wireroom.translation import services
    from wireroom.translation.worker import work_due

    services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    work_due(worker="tests")
    releases.release_submit(release=release, by=actors["issuer_admin"])
    claim = services.translation_claim(release=release, language="es", by=translator)
    services.translation_save(release=release, language="es", by=translator, submit=True, headline=claim.headline,
                              summary=claim.summary, body_html=claim.body_html)
    services.localization_accept(release=release, language="es", by=actors["issuer_admin"])
    releases.release_approve(release=release, by=actors["wire_editor"])
    releases.release_publish(release=release, by=actors["issuer_admin"])
    original = release.localizations.get(language_id="en")
    releases.release_correct(release=release, by=actors["wire_editor"], note="The plant makes 1,400 m³ an hour.",
                             localizations=[releases.LocalizationInput(
                                 language="en", headline=original.headline, summary=original.summary,
                                 body_html=original.body_html.replace("1,250", "1,400"))])

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
