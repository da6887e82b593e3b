"""Static files as `wireroom serve` answers them: the pages link fingerprinted names, cached for years; the
plain name is answered too, but cached briefly, since what it holds changes with the next version."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from tests.support.server import ServedWire, get

pytestmark = pytest.mark.slow


def _cache_lifetime(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        control = response.headers["Cache-Control"]
    age = re.search(r"max-age=(\d+)", control)
    assert age is not None, control
    return int(age.group(1)), control


def test_served_pages_link_fingerprinted_static_files_cached_for_years(tmp_path: Path) -> None:
    server = ServedWire(tmp_path / "data", "--no-worker")
    try:
        status, home = get(server.base + "/en/")
        assert status == 200
        found = re.search(r'<link rel="stylesheet" href="(/static/newsroom/newsroom\.[0-9a-f]{12}\.css)">', home)
        assert found is not None, "the style sheet's name carries its content's hash"
        age, control = _cache_lifetime(server.base + found.group(1))
        assert age >= 365 * 24 * 3600 and "immutable" in control, control
        plain, _control = _cache_lifetime(server.base + "/static/newsroom/newsroom.css")
        assert plain <= 3600
    finally:
        returncode, output = server.stop()
    assert returncode == 0, output
