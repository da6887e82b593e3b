"""Limits under the real ASGI server (uvicorn). Request bodies over the limit, sent as clients send them: with
a length, chunked without one, multipart, and asking first with "Expect: 100-continue"; each gets a 413 it
can read, the server stays up, and a body within the limit still arrives whole. And the sign-in lockout,
which django-axes answers on Django's asynchronous path here."""

from __future__ import annotations

import http.client
import json
import re
import socket
from collections.abc import Iterator

import pytest

from tests.support.server import ServedWire, get

pytestmark = pytest.mark.slow

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedWire]:
    server = ServedWire(tmp_path_factory.mktemp("limits"), "--no-worker")
    yield server
    returncode, output = server.stop()
    assert returncode == 0, output
    assert "Traceback" not in output and "ERROR" not in output, output


def _post(wire: ServedWire, path: str, body: bytes | Iterator[bytes], headers: dict[str, str]) -> tuple[
        int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", wire.port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers=headers,
                           encode_chunked=not isinstance(body, bytes))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    for _ in range(total // size):
        yield b"x" * size


def _assert_api_413(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "too_large"
    assert headers["x-content-type-options"] == "nosniff"  # answered by Django, with every security header


def test_a_ten_megabyte_body_with_its_length_gets_413_in_the_api_error_shape(wire: ServedWire) -> None:
    _assert_api_413(*_post(wire, "/api/v1/releases", b"x" * TEN_MB,
                           {"Content-Type": "application/json", "Authorization": "Bearer wr_x"}))


def test_a_ten_megabyte_body_sent_chunked_without_a_length_gets_413_too(wire: ServedWire) -> None:
    _assert_api_413(*_post(wire, "/api/v1/releases", _chunks(TEN_MB), {"Content-Type": "application/json"}))


def test_pages_answer_a_chunked_or_multipart_flood_with_a_plain_413(wire: ServedWire) -> None:
    status, headers, body = _post(wire, "/accounts/login/", _chunks(TEN_MB),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and headers["content-type"].startswith("text/plain")
    assert b"The request body is too large" in body
    multipart = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n"
                 + b"\0" * TEN_MB + b"\r\n--b--\r\n")
    status, _headers, _body = _post(wire, "/accounts/login/", multipart,
                                    {"Content-Type": "multipart/form-data; boundary=b"})
    assert status == 413


def test_a_client_that_asks_first_is_told_413_before_it_sends_the_body(wire: ServedWire) -> None:
    with socket.create_connection(("127.0.0.1", wire.port), timeout=30) as sock:
        sock.sendall(f"POST /api/v1/releases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {TEN_MB}\r\nExpect: 100-continue\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")


def _sign_in_form(connection: http.client.HTTPConnection) -> tuple[str, str]:
    """The CSRF cookie and token of a fresh sign-in page."""
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    return response.getheader("Set-Cookie", "").split(";")[0], token.group(1)


def test_a_chunked_body_within_the_limit_arrives_whole(wire: ServedWire) -> None:
    # The sign-in form, posted in chunks: Django must read every field of it to say the password was wrong.
    connection = http.client.HTTPConnection("127.0.0.1", wire.port, timeout=60)
    cookie, token = _sign_in_form(connection)
    form = f"csrfmiddlewaretoken={token}&username=nobody&password={'p' * 1_500_000}".encode()
    pieces = iter([form[i:i + 100_000] for i in range(0, len(form), 100_000)])
    connection.request("POST", "/accounts/login/", body=pieces, encode_chunked=True, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Origin": wire.base})
    response = connection.getresponse()
    assert response.status == 200
    assert "did not match" in response.read().decode()
    connection.close()


def test_repeated_failed_sign_ins_are_locked_out_with_the_message(wire: ServedWire) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", wire.port, timeout=60)
    statuses = []
    for _ in range(6):
        cookie, token = _sign_in_form(connection)
        connection.request("POST", "/accounts/login/", body=f"csrfmiddlewaretoken={token}&username=intruder"
                           "&password=guess", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                        "Cookie": cookie, "Origin": wire.base})
        response = connection.getresponse()
        statuses.append(response.status)
        page = response.read().decode()
    connection.close()
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert "Too many failed sign-ins for this user name from your address" in page


def test_the_server_keeps_answering_after_the_floods(wire: ServedWire) -> None:
    assert get(wire.base + "/")[0] == 200
