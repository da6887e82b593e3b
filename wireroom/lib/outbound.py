"""The one module for all outbound HTTP: timeouts, a user agent, no redirects, and an SSRF guard.

Endpoint URLs come from outlets, so every request is checked before it connects: the scheme, no credentials
in the URL, and every address the host resolves to. The resolver hands aiohttp only the addresses it checked,
so the connection goes where the check looked (no second lookup a DNS rebinding could race).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.client_middlewares import ClientHandlerType
from django.conf import settings
from yarl import URL

from wireroom.lib.errors import InvalidInput
from wireroom.lib.special_purpose import IPAddress, embedded_ipv4, special_range

SCHEMES = frozenset({"http", "https"})
# Refused even when private addresses are allowed: no test or local setup needs instance credentials.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254",
                                                                  "100.100.100.200", "192.0.0.192"))
SNIPPET_BYTES = 2048


class OutboundRefused(InvalidInput):
    code = "outbound_refused"


def address_refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why `address` may not be reached, or None when it may."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        # These forms lead to an IPv4 address: judge the address they lead to as well as the form.
        for inner in embedded_ipv4(address):
            reason = address_refusal(inner, allow_private=allow_private)
            if reason:
                return f"{reason} (embedded in {address})"
    special = special_range(address)
    if special is not None:
        if special.translated or (special.local and allow_private):
            return None
        return f"{special.name} ({special.network})"
    # Whatever else is not globally reachable (IPv6 space the IETF keeps in reserve, …).
    if not address.is_global:
        return "not a public address"
    return None


def check_addresses(host: str, addresses: Iterable[str], *, allow_private: bool | None = None) -> None:
    """Refuse the host if ANY of its addresses is off limits: a client may pick any of them."""
    if allow_private is None:
        allow_private = settings.OUTBOUND_ALLOW_PRIVATE
    for raw in addresses:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            raise OutboundRefused(f"{host} resolved to {raw!r}, which is not an IP address.") from None
        reason = address_refusal(address, allow_private=allow_private)
        if reason:
            shown = host if host == raw else f"{host} ({raw})"
            raise OutboundRefused(f"Refused to connect to {shown}: {reason}.")


def _literal_address(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _host_refusal(host: str, allow_private: bool) -> str:
    # Cached because every request asks, and parsing the same few thousand hosts again is measurable.
    literal = _literal_address(host)
    if literal is None:
        return ""  # a name: the resolver checks what it resolves to
    try:
        check_addresses(host, [literal], allow_private=allow_private)
    except OutboundRefused as exc:
        return exc.message
    return ""


def _check_scheme(url: URL) -> None:
    if url.scheme not in SCHEMES:
        shown = f"{url.scheme}://" if url.scheme else "a relative URL"
        raise OutboundRefused(f"Only http:// and https:// URLs are allowed, not {shown}.")


def check_target(url: URL) -> None:
    """The checks that need no lookup: scheme, credentials, and a host that is a literal address."""
    _check_scheme(url)
    if url.user is not None or url.password is not None:
        raise OutboundRefused("URLs with a user name or password are not allowed; use the signing secret.")
    host = url.raw_host
    if not host:
        raise OutboundRefused("The URL has no host.")
    refusal = _host_refusal(host, settings.OUTBOUND_ALLOW_PRIVATE)
    if refusal:
        raise OutboundRefused(refusal)


@lru_cache(maxsize=8192)
def _parse(url: str) -> URL:
    # Cached: a fan-out posts to the same few thousand endpoint URLs again and again (a URL is immutable).
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        raise OutboundRefused("This is not a valid URL.") from None
    return parsed


def origin(url: str) -> str:
    """Where a request to `url` connects: scheme, host and port (the default one filled in)."""
    try:
        parsed = _parse(url)
    except OutboundRefused:
        return url
    return f"{parsed.scheme}://{parsed.host}:{parsed.port}"


def check_url(url: str) -> None:
    """Validate an endpoint URL when it is saved: the same checks a request makes, resolving the host now."""
    parsed = _parse(url)
    check_target(parsed)
    host = parsed.raw_host or ""
    if _literal_address(host) is not None:
        return
    try:
        infos = socket.getaddrinfo(host, parsed.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise OutboundRefused(f"The host {host} does not resolve.") from None
    check_addresses(host, [str(info[4][0]) for info in infos])


class GuardedResolver(AbstractResolver):
    """Resolves once with the default threaded resolver, then refuses the host or returns what it checked."""

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        check_addresses(host, [result["host"] for result in results])
        return results

    async def close(self) -> None:
        await self._inner.close()


async def _guard(request: aiohttp.ClientRequest, handler: ClientHandlerType) -> aiohttp.ClientResponse:
    # aiohttp connects to literal addresses without asking the resolver, so they are checked here.
    check_target(request.url)
    return await handler(request)


@cache
def _version() -> str:
    try:
        return metadata.version("wireroom")
    except metadata.PackageNotFoundError:
        return "dev"


def user_agent() -> str:
    return f"Wireroom/{_version()} (+{settings.BASE_URL})"


def new_session(*, limit: int = 100, timeout: float | None = None) -> aiohttp.ClientSession:
    """A session for outbound requests (`timeout` defaults to WEBHOOK_TIMEOUT_SECONDS); create it inside the
    event loop that will use it."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(), limit=limit, limit_per_host=0)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout or settings.WEBHOOK_TIMEOUT_SECONDS),
        headers={"User-Agent": user_agent()},
        middlewares=(_guard,),
        # Receivers must not be able to plant cookies that travel to other receivers.
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
    )


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    headers: Mapping[str, str]
    text: str  # the start of the body, for error messages


async def post(session: aiohttp.ClientSession, url: str, body: bytes, headers: Mapping[str, str]) -> OutboundResponse:
    """POST once, never following a redirect. Raises OutboundRefused, aiohttp.ClientError or TimeoutError."""
    target = _parse(url)
    # The rest of check_target runs in the session's guard, for this and every other request.
    _check_scheme(target)
    async with session.post(target, data=body, headers=headers, allow_redirects=False) as response:
        # Only the start is kept; a receiver that streams a huge body only costs us its connection.
        snippet = await response.content.read(SNIPPET_BYTES)
        return OutboundResponse(
            status=response.status,
            headers=response.headers,
            text=snippet.decode("utf-8", "replace"),
        )

