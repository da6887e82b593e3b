"""The production-style stack from deploy/: nginx on loopback, configured by deploy/nginx/wireroom.conf (only its
names, ports and paths changed), in front of a real `wireroom serve` with a worker; a release is published and
read through it, and the stream's events come through unbuffered."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.email import free_port
from tests.support.paths import ROOT
from tests.support.server import WIREROOM, ServedWire, wire_env
from tests.support.sse import Reader

pytestmark = pytest.mark.slow
RELEASE: dict[str, Any] = {
    "kind": "press_release", "original_language": "en", "sectors": ["energy"], "countries": ["AE"],
    "languages": ["en"], "dateline": "Abu Dhabi",
    "localizations": [{"language": "en", "headline": "Nahr Energy switches on its second solar field",
                       "body_html": "<p>The field doubles the company's output.</p>"}],
}


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def site(*, http_port: int, tls_port: int, wire_port: int, cert: Path, key: Path, static: Path) -> str:
    """deploy/nginx/wireroom.conf with this machine's names, ports and paths in place of the examples."""
    text = (ROOT / "deploy/nginx/wireroom.conf").read_text()
    replacements = {
        "    listen [::]:80;\n": "", "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{tls_port} ssl http2;",
        "/etc/letsencrypt/live/news.wire.example/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/news.wire.example/privkey.pem": str(key),
        "/var/lib/wireroom/static/": f"{static}/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{wire_port};",
        "news.wire.example": "127.0.0.1",
    }
    for example, here in replacements.items():
        assert example in text, f"deploy/nginx/wireroom.conf no longer has {example!r}"
        text = text.replace(example, here)
    return text


def start_nginx(folder: Path, site_text: str) -> subprocess.Popen[bytes]:
    (folder / "site.conf").write_text(site_text)
    temp = {kind: folder / kind for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (folder / "nginx.conf").write_text(
        # Run by root, workers would drop to `nobody`, who cannot read the test's private folders.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\nhttp {{\n"
        "    include /etc/nginx/mime.types;\n    access_log off;\n"
        + "".join(f"    {kind}_temp_path {path};\n" for kind, path in temp.items())
        + f"    include {folder}/site.conf;\n}}\n")
    test = subprocess.run(["nginx", "-t", "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
                          capture_output=True, text=True, timeout=30)
    assert test.returncode == 0, test.stderr
    return subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log"),
                             "-g", "daemon off;"])


class Through:
    """HTTP through nginx, trusting the test's own certificate."""

    def __init__(self, base: str, cert: Path) -> None:
        self.base = base
        self.tls = ssl.create_default_context(cafile=str(cert))

    def call(self, method: str, path: str, *, key: str | None = None, body: Any = None,
             raw: bytes | None = None) -> tuple[int, Message, bytes]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {key}"} if key else {})
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=self.tls), NoRedirect)
        try:
            with opener.open(request, timeout=30) as answer:
                # The headers as received, looked up case-insensitively: uvicorn on httptools sends Django's
                # lowercase names as they are, nginx its own capitalized.
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_a_release_is_published_and_read_through_nginx_configured_by_the_deploy_site_file(
        tmp_path: Path) -> None:
    folder = tmp_path / "nginx"
    folder.mkdir()
    http_port, tls_port = free_port(), free_port()
    data = tmp_path / "data"
    base = f"https://127.0.0.1:{tls_port}"
    settings = {"WIREROOM_BASE_URL": base, "WIREROOM_ALLOWED_HOSTS": "127.0.0.1", "WIREROOM_BEHIND_PROXY": "1",
                "WIREROOM_HSTS_PRELOAD": "1", "WIREROOM_WORKER_HEARTBEAT_SECONDS": "0.5"}
    env = wire_env(data, **settings)
    subprocess.run([*WIREROOM, "migrate", "--noinput"], env=env, check=True, timeout=300, capture_output=True)
    subprocess.run([*WIREROOM, "demo", "--scale", "0.01", "--if-empty"], env=env, check=True, timeout=300,
                   capture_output=True)
    keys = {user: subprocess.run([*WIREROOM, "apikey", "issue", "--user", user, "--name", "deploy test"], env=env,
                                 check=True, timeout=60, capture_output=True, text=True).stdout.strip()
            for user in ("issuer-admin", "editor")}
    cert, key = self_signed(folder)
    wire = ServedWire(data, **settings)
    proxy = None
    try:
        proxy = start_nginx(folder, site(http_port=http_port, tls_port=tls_port, wire_port=wire.port, cert=cert,
                                         key=key, static=data / "static"))
        web = Through(base, cert)
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _headers, _body = web.call("GET", "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.2)
        assert status == 200
        plain = Through(f"http://127.0.0.1:{http_port}", cert)
        status, headers, _body = plain.call("GET", "/releases/")
        # To the same name on the standard HTTPS port, as in production (the test's TLS port is another).
        assert (status, headers["Location"]) == (301, "https://127.0.0.1/releases/")
        deadline = time.monotonic() + 60
        while (probe := plain.call("GET", "/readyz"))[0] != 200:  # the probe is answered over plain HTTP
            assert time.monotonic() < deadline, f"the wire did not become ready behind nginx: {probe}"
            time.sleep(0.5)

        # Static files come from the folder `serve` collected them into.
        status, headers, body = web.call("GET", "/static/newsroom/newsroom.css")
        assert status == 200
        assert body == (data / "static/newsroom/newsroom.css").read_bytes()
        # Bodies above the limit are refused by nginx before they reach the wire.
        assert web.call("POST", "/api/v1/releases", key=keys["issuer-admin"], raw=b"x" * (3 * 1024 * 1024))[0] == 413

        stream = Reader(f"{base}/api/v1/stream", keys["editor"], want=1, tls=web.tls)
        stream.start()
        assert stream.connected.wait(30), stream.error

        status, _headers, body = web.call("POST", "/api/v1/releases", key=keys["issuer-admin"], body=RELEASE)
        assert status == 201, body
        release_id = json.loads(body)["id"]
        steps = [("issuer-admin", "submit"), ("editor", "review"), ("editor", "approve"), ("issuer-admin", "publish")]
        for user, step in steps:
            status, _headers, body = web.call("POST", f"/api/v1/releases/{release_id}/{step}", key=keys[user])
            assert status == 200, (step, body)
        assert json.loads(body)["state"] == "published"

        status, headers, body = web.call("GET", f"/api/v1/releases/{release_id}", key=keys["editor"])
        assert status == 200
        assert release_id in json.loads(body)["uri"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        status, _headers, body = web.call("GET", f"/releases/{release_id}/en/")
        assert status == 200
        assert "Nahr Energy switches on its second solar field" in body.decode()
        # The publication's event reached the stream's client through nginx, not held in a buffer.
        stream.join(60)
        assert stream.error is None, stream.error
        assert release_id in stream.events[0].data
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(30)
        wire.stop()
