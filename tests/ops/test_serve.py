"""`wireroom serve` as `make run` starts it: a real uvicorn and worker on a fresh embedded database."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_served_wire_shows_an_arabic_release_with_its_anatomy_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    # Always the embedded default, whatever database the surrounding test run uses.
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_PORT": str(port)}
    wireroom = [sys.executable, "-m", "wireroom"]
    subprocess.run([*wireroom, "migrate", "-v0"], env=env, check=True, timeout=180)
    demo = subprocess.run([*wireroom, "demo", "--scale", "0.01", "--if-empty"], env=env, check=True, timeout=180,
                          capture_output=True, text=True)
    assert "demo login: editor" in demo.stdout
    server = subprocess.Popen([*wireroom, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, home = _get(base + "/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the server did not come up") from None
                time.sleep(0.2)
        assert status == 200
        arabic = re.findall(r'href="(/releases/[0-9a-f-]+/ar/)" lang="ar" dir="rtl"', home)
        assert arabic, "the demo newsroom lists an Arabic release"
        status, page = _get(base + arabic[0])
        assert status == 200
        assert '<html lang="ar" dir="rtl">' in page
        assert "(Wireroom) –" in page
        assert "القطاعات" in page
        for part in ("disclaimer", "sectors", "boilerplate"):
            assert f'class="{part}"' in page
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "worker: embargo clock running" in output
