"""`wireroom serve` as `make run` starts it: a real uvicorn and worker on a fresh embedded database."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support.server import WIREROOM, ServedWire, get, wire_env

pytestmark = pytest.mark.slow


def test_served_wire_shows_an_arabic_release_with_its_anatomy_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = wire_env(tmp_path)
    subprocess.run([*WIREROOM, "migrate", "-v0"], env=env, check=True, timeout=180)
    demo = subprocess.run([*WIREROOM, "demo", "--scale", "0.01", "--if-empty"], env=env, check=True, timeout=180,
                          capture_output=True, text=True)
    assert "demo login: editor" in demo.stdout
    server = ServedWire(tmp_path)
    try:
        status, home = get(server.base + "/")
        assert status == 200
        arabic = re.findall(r'href="(/releases/[0-9a-f-]+/ar/)"[^>]* lang="ar" dir="rtl"', home)
        assert arabic, "the demo newsroom lists an Arabic release"
        status, page = get(server.base + arabic[0])
        assert status == 200
        assert '<html lang="ar" dir="rtl">' in page
        assert "(Wireroom) –" in page
        assert "القطاعات" in page
        for part in ("disclaimer", "sectors", "boilerplate"):
            assert f'class="{part}"' in page
        # The pages can answer before the worker, a process of its own, has started its clock on a busy machine.
        server.wait_for("worker: embargo clock running")
    finally:
        returncode, output = server.stop()
    assert returncode == 0, output
    assert "worker: embargo clock running" in output


def test_serve_with_three_workers_starts_on_an_empty_data_folder_quietly(tmp_path: Path) -> None:
    data = tmp_path / "fresh"  # does not exist yet: no database, no secret key, no outbox
    server = ServedWire(data, WIREROOM_WORKERS="3")
    try:
        # Three processes answer their first request cold (templates, catalogs, ICU) while the rest of the suite
        # runs beside them: give that first page longer than the others.
        assert get(server.base + "/")[0] == 200
        status, docs = get(server.base + "/api/v1/docs")
        assert status == 200 and re.search(r"/static/ninja/swagger-ui-bundle\.[0-9a-f]{12}\.js", docs)
        assert get(server.base + "/favicon.ico")[0] == 200
        assert get(server.base + "/static/ninja/swagger-ui.css")[0] == 200
        assert get(server.base + "/no-such-page/")[0] == 404
        server.wait_for(": delivering on email, sftp, webhook", count=3)
        server.wait_for("worker: embargo clock running")
    finally:
        returncode, output = server.stop()
    assert returncode == 0, output
    assert output.count(": delivering on email, sftp, webhook") == 3, output
    assert output.count("worker: embargo clock running") == 1, output
    assert (data / "secret_key").read_text().strip()
    # What a newcomer used to meet at the first start and page.
    for noise in ("Traceback", "ERROR", "lifespan", "StreamingHttpResponse", "Not Found", "no such table"):
        assert noise not in output, output
