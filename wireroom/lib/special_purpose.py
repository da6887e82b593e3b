"""The special-purpose address ranges that outbound requests never reach, by name.

The tables follow IANA's IPv4 and IPv6 Special-Purpose Address Registries, plus the multicast ranges and the
deprecated IPv6 site-local and IPv4-compatible forms. They are written out rather than left to
`ipaddress.is_private`/`is_global`, whose answers vary between Python versions (3.11 calls 192.0.0.192, a
cloud metadata address in 192.0.0.0/24, global).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Range:
    network: IPNetwork
    name: str
    # Loopback, private and link-local: reachable when WIREROOM_OUTBOUND_ALLOW_PRIVATE is on (tests, local setups).
    local: bool = False
    # An IPv4 address written as IPv6 (mapped, or the well-known NAT64 prefix): judged by the IPv4 address alone.
    translated: bool = False


def _range(cidr: str, name: str, *, local: bool = False, translated: bool = False) -> Range:
    return Range(ipaddress.ip_network(cidr), name, local=local, translated=translated)


IPV4_RANGES = (
    _range("0.0.0.0/8", "'this network'"),
    _range("0.0.0.0/32", "the unspecified address"),
    _range("10.0.0.0/8", "a private-use address", local=True),
    _range("100.64.0.0/10", "shared address space", local=True),
    _range("127.0.0.0/8", "a loopback address", local=True),
    _range("169.254.0.0/16", "a link-local address", local=True),
    _range("172.16.0.0/12", "a private-use address", local=True),
    _range("192.0.0.0/24", "IETF protocol assignments"),
    _range("192.0.0.0/29", "the IPv4 service continuity prefix"),
    _range("192.0.0.8/32", "the IPv4 dummy address"),
    _range("192.0.0.9/32", "port control protocol anycast"),
    _range("192.0.0.10/32", "TURN anycast"),
    _range("192.0.0.170/31", "NAT64/DNS64 discovery"),
    _range("192.0.2.0/24", "documentation (TEST-NET-1)"),
    _range("192.31.196.0/24", "AS112-v4"),
    _range("192.52.193.0/24", "AMT"),
    _range("192.88.99.0/24", "the deprecated 6to4 relay anycast"),
    _range("192.168.0.0/16", "a private-use address", local=True),
    _range("192.175.48.0/24", "direct delegation AS112 service"),
    _range("198.18.0.0/15", "benchmarking"),
    _range("198.51.100.0/24", "documentation (TEST-NET-2)"),
    _range("203.0.113.0/24", "documentation (TEST-NET-3)"),
    _range("224.0.0.0/4", "a multicast address"),
    _range("240.0.0.0/4", "a reserved address"),
    _range("255.255.255.255/32", "limited broadcast"),
)

IPV6_RANGES = (
    _range("::/128", "the unspecified address"),
    _range("::1/128", "a loopback address", local=True),
    _range("::/96", "a deprecated IPv4-compatible address"),
    _range("::ffff:0:0/96", "an IPv4-mapped address", translated=True),
    _range("64:ff9b::/96", "IPv4-IPv6 translation (NAT64)", translated=True),
    _range("64:ff9b:1::/48", "local-use IPv4-IPv6 translation"),
    _range("100::/64", "discard-only"),
    _range("100:0:0:1::/64", "the dummy IPv6 prefix"),
    _range("2001::/23", "IETF protocol assignments"),
    _range("2001::/32", "Teredo"),
    _range("2001:1::1/128", "port control protocol anycast"),
    _range("2001:1::2/128", "TURN anycast"),
    _range("2001:1::3/128", "DNS-SD service registration protocol anycast"),
    _range("2001:2::/48", "benchmarking"),
    _range("2001:3::/32", "AMT"),
    _range("2001:4:112::/48", "AS112-v6"),
    _range("2001:10::/28", "the deprecated ORCHID"),
    _range("2001:20::/28", "ORCHIDv2"),
    _range("2001:30::/28", "drone remote ID entity tags"),
    _range("2001:db8::/32", "documentation"),
    _range("2002::/16", "6to4"),
    _range("2620:4f:8000::/48", "direct delegation AS112 service"),
    _range("3fff::/20", "documentation"),
    _range("5f00::/16", "segment routing (SRv6) SIDs"),
    _range("fc00::/7", "a unique-local address", local=True),
    _range("fe80::/10", "a link-local address", local=True),
    _range("fec0::/10", "a deprecated site-local address"),
    _range("ff00::/8", "a multicast address"),
)

# Most specific first, so 192.0.0.9 is named for its /32 rather than for 192.0.0.0/24.
_BY_SPECIFICITY: dict[int, tuple[Range, ...]] = {
    4: tuple(sorted(IPV4_RANGES, key=lambda r: -r.network.prefixlen)),
    6: tuple(sorted(IPV6_RANGES, key=lambda r: -r.network.prefixlen)),
}


def special_range(address: IPAddress) -> Range | None:
    """The most specific special-purpose range holding `address`, or None for an ordinary address."""
    return next((r for r in _BY_SPECIFICITY[address.version] if address in r.network), None)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# ::a.b.c.d; :: and ::1 are in it too but are the unspecified and loopback addresses, not IPv4 ones.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: mapped, compatible, NAT64, 6to4 and Teredo forms."""
    found: list[ipaddress.IPv4Address] = []
    if int(address) <= 1:
        return found
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    elif address in _IPV4_COMPATIBLE or address in _NAT64:
        found.append(low32)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found

