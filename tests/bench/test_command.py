"""`wireroom bench`: the command in front of every benchmark."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.translation import apertium_apy_server
from wireroom.bench import registry


def _bench(*args: str, path: Path, data_dir: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"PATH": str(path), "WIREROOM_DATA_DIR": str(data_dir), **settings}
    return subprocess.run([sys.executable, "-m", "wireroom", "bench", *args], env=env, capture_output=True,
                          text=True, timeout=300)  # a guard against a hung run, not a measure of speed


def test_fanout_without_postfix_tools_says_how_to_install_them_instead_of_a_traceback(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    result = _bench("fanout", "--workers", "2", "--json", str(tmp_path / "figures.json"), path=bare,
                    data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "`smtp-sink` and `smtp-source`" in result.stderr
    assert "apt-get install postfix" in result.stderr
    assert not (tmp_path / "figures.json").exists()


def test_fanout_asks_only_for_the_tool_that_is_missing(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    stand_in = tools / "smtp-sink"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    message = _bench("fanout", path=tools, data_dir=tmp_path / "data").stderr
    assert "`smtp-source`, which is not on PATH" in message
    assert "`smtp-sink`" not in message


def test_an_unknown_benchmark_is_refused_with_the_names_there_are(tmp_path: Path) -> None:
    result = _bench("nope", path=tmp_path, data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "invalid choice: 'nope'" in result.stderr
    assert "'fanout'" in result.stderr


def test_an_option_is_passed_on_to_the_benchmark_process_as_it_was_given() -> None:
    fanout = registry.get("fanout")
    options = {option.dest: option for option in fanout.options}
    assert options["workers"].argv(2) == ["--workers", "2"]
    assert options["lead"].argv(0.5) == ["--lead", "0.5"]
    assert options["dkim"].argv(True) == ["--dkim"]
    assert options["dkim"].argv(False) == []


@pytest.mark.slow
def test_the_formats_benchmark_writes_a_rate_beside_its_limit_for_every_format_and_for_feeds(
        tmp_path: Path) -> None:
    figures_file = tmp_path / "formats.json"
    result = _bench("formats", "--seconds", "0.1", "--feed-entries", "2", "--clients", "2", "--json",
                    str(figures_file), path=tmp_path, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads(figures_file.read_text())
    assert figures["languages"] == 15
    for name in ("ninjs", "ninjs_22", "newsml_g2", "nitf"):
        assert figures[f"{name}_items_per_s"] > 0
        assert figures[f"{name}_limit_items_per_s"] > 0
        assert figures[f"{name}_bytes_per_item"] > 0
    # Asked of a real server: full feeds, conditional hits, and the static file beside them.
    assert figures["feed_entries"] == 2 and figures["feed_bytes"] > 0
    assert figures["feed_rps"] > 0 and figures["feed_304_rps"] > 0 and figures["static_rps"] > 0
    assert "ratio" in result.stdout


@pytest.mark.slow
def test_the_pages_benchmark_asks_the_real_server_for_each_page_in_full_and_conditionally(tmp_path: Path) -> None:
    figures_file = tmp_path / "pages.json"
    result = _bench("pages", "--releases", "1", "--seconds", "0.1", "--clients", "2", "--json", str(figures_file),
                    path=tmp_path, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads(figures_file.read_text())
    assert figures["releases"] == 1 and figures["static_rps"] > 0
    for page in ("home", "release", "search"):
        # A page under 1 kB would be an error page, not the page asked for.
        assert figures[f"{page}_bytes"] > 1_000, page
        assert figures[f"{page}_rps"] > 0 and figures[f"{page}_304_rps"] > 0, page
    assert "limit" in next(line for line in result.stdout.splitlines() if line.startswith("search_rps"))


@pytest.mark.slow
def test_import_runs_on_a_small_file_and_writes_each_figure_beside_its_limit(tmp_path: Path) -> None:
    result = _bench("import", "--rows", "200", "--json", str(tmp_path / "figures.json"),
                    path=Path(sys.executable).parent, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["rows"] == 200
    assert figures["bad_rows"] == 2  # every hundredth row
    assert figures["rows_per_s"] > 0
    assert figures["limit_rows_per_s"] > 0
    assert "limit" in next(line for line in result.stdout.splitlines() if line.startswith("rows_per_s"))


@pytest.mark.slow
def test_with_runs_each_figure_is_the_median_of_fresh_runs_beside_its_minimum_maximum_and_median_ratio(
        tmp_path: Path) -> None:
    result = _bench("import", "--rows", "100", "--runs", "3", "--json", str(tmp_path / "figures.json"),
                    path=Path(sys.executable).parent, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["runs"] == 3 and len(figures["each"]) == 3
    assert [run["rows"] for run in figures["each"]] == [100, 100, 100] and figures["rows"] == 100
    rates = sorted(run["rows_per_s"] for run in figures["each"])
    assert (figures["min"]["rows_per_s"], figures["rows_per_s"], figures["max"]["rows_per_s"]) == tuple(rates)
    ratios = sorted(run["rows_per_s"] / run["limit_rows_per_s"] for run in figures["each"])
    assert figures["ratios"]["rows_per_s"] == ratios[1]
    line = next(line for line in result.stdout.splitlines() if line.startswith("rows_per_s"))
    assert f"ratio {ratios[1]:.2f}" in line and f"min {rates[0]}" in line and f"max {rates[2]}" in line


def test_runs_must_be_one_or_more(tmp_path: Path) -> None:
    result = _bench("import", "--runs", "0", path=Path(sys.executable).parent, data_dir=tmp_path / "data")
    assert result.returncode != 0
    assert "--runs: must be 1 or more" in result.stderr


@pytest.mark.slow
def test_translate_runs_on_a_tiny_document_and_writes_each_rate_beside_its_limit(tmp_path: Path) -> None:
    result = _bench("translate", "--paragraphs", "1", "--seconds", "0.01", "--json", str(tmp_path / "figures.json"),
                    path=Path(os.environ["PATH"]), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert [(pair["source"], pair["target"], pair["engine"]) for pair in figures["engines"]] == [
        ("en", "es", "apertium en→es"), ("en", "pt", "apertium en→es + apertium es→pt"),
        ("zh-Hans", "zh-Hant", "opencc zh-Hans→zh-Hant")]
    for key in ("en_es", "en_pt", "zh_hans_zh_hant"):
        assert figures[f"{key}_words_per_s"] > 0 and figures[f"{key}_limit_words_per_s"] > 0
    assert figures["segments"] == 3
    assert figures["fanout_languages"] == 2
    assert figures["fanout_s"] > 0 and figures["fanout_limit_s"] > 0
    assert "limit" in next(line for line in result.stdout.splitlines() if line.startswith("fanout_s"))


@pytest.mark.slow
def test_translate_measures_apertium_apy_on_its_own_when_it_is_configured_beside_apertium(tmp_path: Path) -> None:
    with apertium_apy_server() as url:
        result = _bench("translate", "--paragraphs", "1", "--seconds", "0.01", "--json",
                        str(tmp_path / "figures.json"), path=Path(os.environ["PATH"]), data_dir=tmp_path / "data",
                        WIREROOM_TRANSLATION_ENGINES="apertium,apertium-apy,opencc",
                        WIREROOM_TRANSLATION_APERTIUM_APY_URL=url)
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert [pair["engine"] for pair in figures["engines"]] == [
        "apertium en→es", "apertium en→es + apertium es→pt", "opencc zh-Hans→zh-Hant",
        "apertium-apy en→es", "apertium-apy en→es + apertium-apy es→pt"]
    for key in ("apertium_apy_en_es", "apertium_apy_en_pt"):
        assert figures[f"{key}_words_per_s"] > 0 and figures[f"{key}_limit_words_per_s"] > 0
    assert "limit" in next(line for line in result.stdout.splitlines()
                           if line.startswith("apertium_apy_en_es_words_per_s"))


@pytest.mark.slow
def test_report_runs_on_a_small_release_and_writes_each_figure_beside_its_limit(tmp_path: Path) -> None:
    result = _bench("report", "--contacts", "60", "--outlets", "6", "--repeat", "1", "--json",
                    str(tmp_path / "figures.json"), path=Path(sys.executable).parent, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["deliveries"] == 66
    for name in ("report_page_ms", "report_page_drawing_ms", "trivial_page_ms", "csv_ms", "csv_limit_ms"):
        assert figures[name] > 0, name
    assert "limit" in next(line for line in result.stdout.splitlines() if line.startswith("report_page_ms"))


@pytest.mark.slow
@pytest.mark.parametrize("via", ["embedded", "pushpin"])
def test_stream_runs_a_few_clients_and_counts_every_event_each_received(tmp_path: Path, via: str) -> None:
    pushpin = shutil.which("pushpin")
    assert pushpin is not None, "scripts/test.sh installs pushpin"
    result = _bench("stream", "--clients", "20", "--events", "2", "--via", via, "--json",
                    str(tmp_path / "figures.json"), path=Path(f"{Path(sys.executable).parent}:{Path(pushpin).parent}"),
                    data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert {key: figures[key] for key in ("clients", "events", "via", "lost", "duplicated", "received")} == {
        "clients": 20, "events": 2, "via": via, "lost": 0, "duplicated": 0, "received": 40}
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    # The load generator's limit, measured in the same run against a bare server writing the same bytes.
    assert 0 < figures["p50_limit_ms"] <= figures["p99_limit_ms"] <= figures["max_limit_ms"]
    assert figures["limit_lost"] == 0
    assert "limit" in next(line for line in result.stdout.splitlines() if line.startswith("p99_ms"))
