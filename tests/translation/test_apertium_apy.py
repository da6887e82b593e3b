"""The apertium-apy engine against the real server (Debian's `apertium-apy`), started on loopback by the tests,
serving the same installed pairs as the local Apertium process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.email import free_port
from tests.support.translation import apertium_apy_server, configure, english_release
from wireroom.accounts.models import Membership
from wireroom.releases.models import Localization, Release
from wireroom.translation import services
from wireroom.translation.engines.apertium import Apertium
from wireroom.translation.engines.base import EngineError
from wireroom.translation.engines.registry import configured_engines
from wireroom.translation.machine import Hop, Segment, route, translate
from wireroom.translation.protect import GlossaryEntry
from wireroom.translation.worker import work_due

BODY = ('<p>The company sold <strong>1,250 units</strong> in 2025 and opened a new plant in Valencia.</p>'
        '<p>Read more at <a href="https://nahr.example/news?id=7">our newsroom</a>, https://nahr.example/plant '
        'or write to press@nahr.example.</p>')


@pytest.fixture(scope="module")
def apy_url() -> Iterator[str]:
    with apertium_apy_server() as url:
        yield url


@pytest.fixture
def apy(monkeypatch: pytest.MonkeyPatch, apy_url: str) -> str:
    configure(monkeypatch, engines=["apertium-apy"], apertium_apy_url=apy_url)
    return apy_url


def test_apertium_apy_offers_the_servers_pairs_under_the_wires_language_tags(apy: str) -> None:
    pairs = configured_engines()[0].pairs()
    assert {("en", "es"), ("es", "en"), ("es", "pt"), ("pt", "es")} <= pairs
    assert not [pair for pair in pairs if "_" in pair[0] + pair[1]]  # regional variants (por_BR) are left out


def test_apertium_apy_translates_a_release_body_as_the_local_process_does(apy: str) -> None:
    done = translate([Segment(BODY, "html")], source="en", target="es", glossary=[])
    body = done.texts[0]
    assert body.startswith("<p>La empresa vendió <strong>1,250 unidades</strong> en 2025")
    assert '<a href="https://nahr.example/news?id=7">' in body
    assert "https://nahr.example/plant" in body and "press@nahr.example" in body
    assert done.lost == [[]]
    local = translate([Segment(BODY, "html")], source="en", target="es", glossary=[],
                      hops=[Hop(Apertium(), "en", "es")])
    assert body == local.texts[0]
    assert done.chain == [{"engine": "apertium-apy", "version": "apertium-apy, eng-spa", "source": "en",
                           "target": "es"}]


def test_apertium_apy_translates_a_batch_of_text_returning_one_text_per_segment_in_order(apy: str) -> None:
    out = configured_engines()[0].translate(["The plant opens today.", "Two units & one house <b>", "The company"],
                                            source="en", target="es", markup="text")
    assert out == ["La planta abre hoy.", "Dos unidades & una casa <b>", "La empresa"]


def test_apertium_apy_pivots_through_spanish_keeping_the_glossary(apy: str) -> None:
    hops = route("en", "pt")
    assert [(hop.engine.name, hop.source, hop.target) for hop in hops] == [
        ("apertium-apy", "en", "es"), ("apertium-apy", "es", "pt")]
    done = translate([Segment(BODY, "html")], source="en", target="pt", glossary=[GlossaryEntry("Valencia")],
                     hops=hops)
    assert done.texts[0].startswith("<p>A empresa vendeu <strong>1,250 unidades</strong> em 2025")
    assert "Valencia" in done.texts[0]
    assert [hop["version"] for hop in done.chain] == ["apertium-apy, eng-spa", "apertium-apy, spa-por"]


def test_a_pair_the_server_lacks_is_an_engine_error(apy: str) -> None:
    engine = configured_engines()[0]
    with pytest.raises(EngineError, match="no en-fr pair"):
        engine.translate(["The plant"], source="en", target="fr", markup="text")


def test_a_server_that_does_not_answer_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, engines=["apertium-apy"], apertium_apy_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(EngineError, match="unreachable"):
        configured_engines()[0].translate(["The plant"], source="en", target="es", markup="text")


def test_without_a_server_url_the_engine_offers_no_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, engines=["apertium-apy"], apertium_apy_url="")
    assert configured_engines()[0].pairs() == set()


@pytest.mark.django_db
def test_the_worker_drafts_through_apertium_apy_when_it_is_the_engine_in_use(
        apy: str, make_release: object, actors: dict[str, Membership]) -> None:
    assert callable(make_release)
    release: Release = make_release("draft", **english_release())
    services.translation_request(release=release, languages=["es"], by=actors["issuer_admin"])
    assert work_due(worker="w1") == 1
    spanish = Localization.objects.get(release=release, language="es")
    assert spanish.engine == "apertium-apy"
    assert [hop["version"] for hop in spanish.engine_chain] == ["apertium-apy, eng-spa"]
    assert "planta" in spanish.headline
    assert "<strong>1,250" in spanish.body_html and "press@nahr.example" in spanish.body_html
