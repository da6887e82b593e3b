"""The outbound HTTP module: its SSRF guard, its user agent, and that it never follows a redirect.

No test here sends traffic beyond loopback: `connections` fails any attempt to connect elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from django.test import override_settings

from tests.support.http import Answer, Sink
from wireroom.lib import outbound
from wireroom.lib.outbound import OutboundRefused, address_refusal, check_url


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every address aiohttp is asked to connect to; anything but loopback fails the test before it connects."""
    attempted: list[str] = []
    original = aiohttp.TCPConnector._wrap_create_connection

    async def guarded(self: aiohttp.TCPConnector, *args: Any, addr_infos: list[Any], **kwargs: Any) -> Any:
        for info in addr_infos:
            address = str(info[4][0])
            attempted.append(address)
            if not ipaddress.ip_address(address).is_loopback:
                raise AssertionError(f"a test tried to connect to {address}")
        return await original(self, *args, addr_infos=addr_infos, **kwargs)

    monkeypatch.setattr(aiohttp.TCPConnector, "_wrap_create_connection", guarded)
    yield attempted


async def _post(url: str, body: bytes = b"{}") -> outbound.OutboundResponse:
    async with outbound.new_session() as session:
        return await outbound.post(session, url, body, {"content-type": "application/json"})


REFUSED_LITERALS = [
    ("http://127.0.0.1/hook", "loopback"),
    ("http://[::1]/hook", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://100.100.100.200/", "cloud metadata"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://[::ffff:10.1.2.3]/hook", "private"),
    ("http://[2002:7f00:1::1]/hook", "loopback"),  # 6to4 around 127.0.0.1
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "loopback"),  # Teredo client 127.0.0.1
    ("http://[64:ff9b::a00:1]/hook", "private"),  # NAT64 around 10.0.0.1
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://[::]/hook", "unspecified"),
    ("http://10.0.0.1/hook", "private"),
    ("http://172.16.5.4/hook", "private"),
    ("http://192.168.1.1/hook", "private"),
    ("http://100.64.0.1/hook", "shared address space"),
    ("http://169.254.1.1/hook", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://224.0.0.1/hook", "multicast"),
    ("http://240.0.0.1/hook", "reserved"),
    ("http://192.0.2.10/hook", "documentation"),
    ("http://198.18.0.1/hook", "benchmarking"),
]

# One address from every range of IANA's IPv4 and IPv6 Special-Purpose Address Registries (and multicast),
# written out here rather than taken from the code's table, so a range missing there fails here.
SPECIAL_PURPOSE = [
    "0.1.2.3", "0.0.0.0", "10.20.30.40", "100.80.0.1", "127.8.8.8", "169.254.9.9", "172.31.255.254",
    "192.0.0.192", "192.0.0.5", "192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.0.0.171",
    "192.0.2.77", "192.31.196.5", "192.52.193.5", "192.88.99.5", "192.168.200.1", "192.175.48.5",
    "198.19.255.1", "198.51.100.9", "203.0.113.200", "224.0.0.251", "239.255.255.250", "240.1.2.3",
    "255.255.255.255",
    "::", "::1", "::5.6.7.8", "64:ff9b:1::5", "100::1", "100:0:0:1::1", "2001:0:5ef5:79fb::1", "2001:1::1",
    "2001:1::2", "2001:1::3", "2001:2::5", "2001:3::5", "2001:4:112::5", "2001:10::5", "2001:20::5",
    "2001:30::5", "2001:db8::5", "2001:100::1", "2002:5db8:d70e::1", "2620:4f:8000::5", "3fff::5",
    "5f00::5", "fc00::5", "fd12:3456::1", "fe80::5", "fec0::5", "ff02::1",
]


def _bracketed(address: str) -> str:
    return f"[{address}]" if ":" in address else address


@pytest.mark.parametrize("address", SPECIAL_PURPOSE)
def test_an_address_in_any_special_purpose_range_is_refused_when_an_endpoint_is_registered(
    address: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(OutboundRefused, match="Refused"):
        check_url(f"https://{_bracketed(address)}/hook")

    def resolves_to_it(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, 443))]

    monkeypatch.setattr(socket, "getaddrinfo", resolves_to_it)
    with pytest.raises(OutboundRefused, match=r"hook\.example"):
        check_url("https://hook.example/hook")


@pytest.mark.parametrize("address", SPECIAL_PURPOSE)
def test_an_address_in_any_special_purpose_range_is_refused_at_connect_time(
    address: str, monkeypatch: pytest.MonkeyPatch, connections: list[str],
) -> None:
    with pytest.raises(OutboundRefused, match="Refused"):
        asyncio.run(_post(f"http://{_bracketed(address)}:9/hook"))

    async def resolves_to_it(self: Any, host: str, port: int = 0, family: int = 0) -> list[dict[str, Any]]:
        return [{"hostname": host, "host": address, "port": port, "family": 0, "proto": 6, "flags": 0}]

    monkeypatch.setattr(aiohttp.ThreadedResolver, "resolve", resolves_to_it)
    with pytest.raises(OutboundRefused, match=r"hook\.example"):
        asyncio.run(_post("http://hook.example:9/hook"))
    assert connections == []


@pytest.mark.parametrize(("address", "reason"), [
    ("::ffff:192.0.0.192", "cloud metadata"),
    ("::ffff:198.51.100.9", "documentation"),
    ("64:ff9b::c000:2ff", "documentation"),  # NAT64 around 192.0.2.255
    ("2002:c000:0201::1", "documentation"),  # 6to4 around 192.0.2.1
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "documentation"),  # Teredo client 192.0.2.45
    ("::192.168.1.1", "private-use"),  # IPv4-compatible
])
def test_an_ipv6_form_of_a_special_ipv4_address_is_refused_for_the_address_it_leads_to(
    address: str, reason: str,
) -> None:
    refusal = address_refusal(ipaddress.ip_address(address), allow_private=False)
    assert refusal is not None and reason in refusal and "embedded in" in refusal


@override_settings(OUTBOUND_ALLOW_PRIVATE=True)
@pytest.mark.parametrize("address", ["192.0.0.192", "192.0.2.77", "198.19.255.1", "2001:db8::5", "240.1.2.3",
                                     "::ffff:192.0.0.170"])
def test_the_allow_setting_opens_loopback_and_private_ranges_only(address: str) -> None:
    with pytest.raises(OutboundRefused):
        check_url(f"https://{_bracketed(address)}/hook")


@pytest.mark.parametrize(("url", "reason"), REFUSED_LITERALS)
def test_a_url_naming_a_non_public_address_is_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(OutboundRefused, match=reason):
        check_url(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/",
                                 "/relative/path", "http://user:secret@example.com/hook", "http:///no-host"])
def test_a_url_with_another_scheme_credentials_or_no_host_is_refused_before_any_lookup(url: str) -> None:
    with pytest.raises(OutboundRefused):
        check_url(url)


def test_a_host_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(OutboundRefused, match=r"localhost.*loopback"):
        check_url("http://localhost:8080/hook")


def test_a_public_address_is_allowed() -> None:
    check_url("https://93.184.215.14/hook")
    check_url("https://[2606:4700::1111]/hook")
    assert address_refusal(ipaddress.ip_address("::ffff:8.8.8.8"), allow_private=False) is None
    assert address_refusal(ipaddress.ip_address("64:ff9b::808:808"), allow_private=False) is None


@override_settings(OUTBOUND_ALLOW_PRIVATE=True)
def test_the_allow_setting_lets_loopback_and_private_addresses_through_but_never_cloud_metadata() -> None:
    check_url("http://127.0.0.1:8080/hook")
    check_url("http://localhost:8080/hook")
    check_url("http://10.0.0.1/hook")
    check_url("http://[::1]/hook")
    with pytest.raises(OutboundRefused, match="cloud metadata"):
        check_url("http://169.254.169.254/latest/meta-data/")


def test_a_host_is_refused_when_any_one_of_its_addresses_is_private(monkeypatch: pytest.MonkeyPatch) -> None:
    async def two_addresses(self: Any, host: str, port: int = 0, family: int = 0) -> list[dict[str, Any]]:
        return [{"hostname": host, "host": address, "port": port, "family": 2, "proto": 6, "flags": 0}
                for address in ("93.184.215.14", "10.0.0.7")]

    monkeypatch.setattr(aiohttp.ThreadedResolver, "resolve", two_addresses)

    async def resolve() -> None:
        await outbound.GuardedResolver().resolve("mixed.example", 443)

    with pytest.raises(OutboundRefused, match=r"mixed\.example \(10\.0\.0\.7\): a private-use address"):
        asyncio.run(resolve())


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "10.0.0.1", "169.254.169.254", "[::ffff:127.0.0.1]",
                                  "0.0.0.0"])
def test_a_request_to_a_literal_private_address_is_refused_without_connecting(
    host: str, connections: list[str]
) -> None:
    with pytest.raises(OutboundRefused):
        asyncio.run(_post(f"http://{host}:9/hook"))
    assert connections == []


def test_a_request_to_a_host_resolving_to_loopback_is_refused_without_connecting(connections: list[str]) -> None:
    async def scenario() -> None:
        async with Sink() as sink:
            with pytest.raises(OutboundRefused, match="loopback"):
                await _post(sink.url("/hook", host="localhost"))
            assert sink.received == []

    asyncio.run(scenario())
    assert connections == []


def test_a_file_url_is_refused_by_the_request_helper(connections: list[str]) -> None:
    with pytest.raises(OutboundRefused, match="Only http"):
        asyncio.run(_post("file:///etc/passwd"))
    assert connections == []


@override_settings(OUTBOUND_ALLOW_PRIVATE=True, BASE_URL="https://wire.example")
def test_with_the_allow_setting_a_request_reaches_loopback_with_the_wireroom_user_agent(
    connections: list[str]
) -> None:
    async def scenario() -> tuple[outbound.OutboundResponse, Sink]:
        async with Sink() as sink:
            sink.answer("/hook", Answer(202, body="accepted"))
            return await _post(sink.url("/hook", host="localhost"), b'{"a":1}'), sink

    response, sink = asyncio.run(scenario())
    assert (response.status, response.text) == (202, "accepted")
    [request] = sink.received
    assert request.body == b'{"a":1}'
    assert request.headers["User-Agent"].startswith("Wireroom/")
    assert request.headers["User-Agent"].endswith("(+https://wire.example)")
    assert connections and all(ipaddress.ip_address(address).is_loopback for address in connections)


@override_settings(OUTBOUND_ALLOW_PRIVATE=True)
def test_a_redirect_is_returned_as_is_and_its_target_is_never_requested(connections: list[str]) -> None:
    async def scenario() -> tuple[outbound.OutboundResponse, Sink]:
        async with Sink() as sink:
            sink.answer("/hook", Answer(302, headers={"Location": "/elsewhere"}))
            return await _post(sink.url("/hook")), sink

    response, sink = asyncio.run(scenario())
    assert response.status == 302
    assert response.headers["Location"] == "/elsewhere"
    assert [request.path for request in sink.received] == ["/hook"]
