"""`wireroom serve` as a child process on a free loopback port, for tests of the real ASGI server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.email import free_port

WIREROOM = [sys.executable, "-m", "wireroom"]


def wire_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a wire on the embedded database in `data_dir`, whatever the surrounding run uses."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    return env | {"WIREROOM_DATA_DIR": str(data_dir), **settings}


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class ServedWire:
    """Starts `wireroom serve` and waits until it answers; `stop()` sends Ctrl-C and returns its output."""

    def __init__(self, data_dir: Path, *args: str, **settings: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = wire_env(data_dir, WIREROOM_PORT=str(self.port), **settings)
        self.process = subprocess.Popen([*WIREROOM, "serve", *args], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                get(self.base + "/static/newsroom/newsroom.css")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    output, _ = self.process.communicate(timeout=30)
                    raise AssertionError(f"the server did not come up:\n{output}") from None
                time.sleep(0.2)

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=30)
        return self.process.returncode, output
