"""A Pushpin on loopback in a folder of its own (configuration, ports, sockets), for `wireroom bench stream --via
pushpin` and the tests of the stream behind Pushpin."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from wireroom.bench.measure import free_port

SIG_KEY = "loopback-grip-signing-key-of-32-bytes-or-more"


class Pushpin:
    """Proxies `http://127.0.0.1:<port>/` to the origin port; takes publishes at `control_url`."""

    def __init__(self, folder: Path, *, origin_port: int, control_port: int, max_connections: int = 1000) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.port, control = free_port(), control_port
        self.base = f"http://127.0.0.1:{self.port}"
        self.control_url = f"http://127.0.0.1:{control}"
        (folder / "routes").write_text(f"* 127.0.0.1:{origin_port}\n")
        sockets = f"ipc://{folder}/pushpin"
        (folder / "pushpin.conf").write_text("\n".join([
            "[global]", "include={libdir}/internal.conf", f"rundir={folder}", "ipc_prefix=test-", "port_offset=0",
            "[runner]", "services=condure,zurl,pushpin-proxy,pushpin-handler", f"http_port=127.0.0.1:{self.port}",
            f"logdir={folder}", "log_level=2", f"client_maxconn={max_connections}", "client_buffer_size=65536",
            "[proxy]", "routesfile=routes",
            # Its own zurl (the outgoing side), started by Pushpin's runner, rather than a system-wide one.
            f"zurl_out_specs=ipc://{folder}/test-zurl-in", f"zurl_out_stream_specs=ipc://{folder}/test-zurl-in-stream",
            f"zurl_in_specs=ipc://{folder}/test-zurl-out", "sig_iss=pushpin", f"sig_key={SIG_KEY}", "updates_check=off",
            "[handler]", f"push_in_spec={sockets}-in", f"push_in_sub_specs={sockets}-sub",
            "push_in_http_addr=127.0.0.1", f"push_in_http_port={control}", f"command_spec={sockets}-command",
            "message_rate=100000", "",
        ]))
        self.log = open(folder / "pushpin.out", "wb")  # noqa: SIM115 -- lives as long as the child
        self.process = subprocess.Popen(["pushpin", "--config", str(folder / "pushpin.conf"), "--merge-output"],
                                        stdout=self.log, stderr=subprocess.STDOUT, cwd=folder)
        deadline = time.monotonic() + 30
        for port in (self.port, control):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"Pushpin did not start:\n{self.output}") from None
                    time.sleep(0.1)
        # Open ports are not enough: until Pushpin's parts have found each other over their sockets, a request
        # gets 503 "Accept service unavailable". Ready is the origin's own answer coming back through the proxy.
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"Pushpin did not pass requests to the origin:\n{self.output}")
            time.sleep(0.1)

    @property
    def output(self) -> str:
        paths = [*sorted(self.folder.glob("*.log")), self.folder / "pushpin.out"]
        return "\n".join(path.read_text(errors="replace") for path in paths if path.exists())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)
        self.log.close()
