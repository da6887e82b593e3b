"""What the benchmarks share: free loopback ports, the real server and a load generator against it, percentiles,
a work folder."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def temporary_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="wireroom-bench-"))


# What the web benchmarks' limit asks for: a file the server answers without a view or a query.
STATIC_FILE = "/static/newsroom/newsroom.css"


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """`wireroom serve --no-worker` (uvicorn, the web server only) on a free loopback port, against this process's
    database and data folder; yields its base URL, and stops it on leaving."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WIREROOM_PORT": str(port), "WIREROOM_BASE_URL": base, "WIREROOM_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "wireroom", "serve", "--no-worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=60)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


async def _request_rate(url: str, headers: dict[str, str], expected: int, clients: int, seconds: float) -> float:
    import aiohttp

    done = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:
        async def one_client(deadline: float) -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                async with session.get(url, headers=headers) as response:
                    await response.read()
                    if response.status != expected:
                        raise RuntimeError(f"{url} answered {response.status}, not {expected}")
                done += 1

        # A first round opens the connections, so the measurement is of answers, not of handshakes.
        await asyncio.gather(*(one_client(time.perf_counter() + 0.2) for _ in range(clients)))
        done = 0
        started = time.perf_counter()
        await asyncio.gather(*(one_client(started + seconds) for _ in range(clients)))
        return done / (time.perf_counter() - started)


def request_rate(url: str, headers: dict[str, str], expected: int, clients: int, seconds: float) -> float:
    """Answers per second over `seconds`, `clients` clients each sending its next request as soon as the last is
    answered; any answer but `expected` stops the run."""
    return asyncio.run(_request_rate(url, headers, expected, clients, seconds))
