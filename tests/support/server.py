"""`wireroom serve` as a child process on a free loopback port, for tests of the real ASGI server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
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


def get(url: str, *, timeout: float = 60) -> tuple[int, str]:
    # A bound for a server that hangs, not a speed check: a cold first page on a busy machine takes seconds.
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
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
        # Read as it comes, so a test can wait for what the children say before it stops them.
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 90
        while True:
            try:
                # The liveness probe: answered over plain HTTP also by a wire that redirects the rest to HTTPS.
                get(self.base + "/healthz")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.wait(timeout=30)
                    self._reader.join(timeout=30)
                    raise AssertionError(f"the server did not come up:\n{self.output}") from None
                time.sleep(0.2)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, count: int = 1, seconds: float = 90) -> None:
        """Until `text` has appeared `count` times in the output (worker processes start after the web server)."""
        deadline = time.monotonic() + seconds
        while self.output.count(text) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"waited for {count} × {text!r}:\n{self.output}")
            time.sleep(0.1)

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        return self.process.returncode, self.output
