"""The wire's own SSH identity and the checks every SSH connection to a partner makes (see docs/channels-sftp.md).

The key pair is made in the data folder the first time it is needed; partners authorize its public key. Hosts
are resolved and checked against the outbound rules before connecting, and the connection is made to the address
that was checked, so a name cannot resolve to something else in between.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

import asyncssh
from django.conf import settings

from wireroom.lib import secretfiles
from wireroom.lib.errors import InvalidInput
from wireroom.lib.outbound import OutboundRefused, check_addresses

KEY_NAME = "wire_ed25519"
_lock = threading.Lock()


class HostKeyChanged(Exception):
    """The server presented a host key other than the one pinned when it was registered."""


def key_path() -> Path:
    return Path(settings.DATA_DIR) / "ssh" / KEY_NAME


def wire_key() -> asyncssh.SSHKey:
    """The wire's private key, made on first use (owner-only permissions)."""
    path = key_path()
    with _lock:
        if not path.exists():
            key = asyncssh.generate_private_key("ssh-ed25519", comment=f"{settings.WIRE_NAME} wire")
            # Another worker may be making it at the same moment: the first one's is the key.
            if secretfiles.create_once(path, key.export_private_key()):
                path.with_suffix(".pub").write_bytes(key.export_public_key())
        return asyncssh.read_private_key(str(path))


def wire_public_key() -> str:
    """The line a partner adds to its authorized_keys."""
    return wire_key().export_public_key().decode().strip()


def resolve_checked(host: str, port: int) -> str:
    """The one address to connect to, after checking every address the host has against the outbound rules."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise OutboundRefused(f"The host {host} does not resolve.") from None
    addresses = [str(info[4][0]) for info in infos]
    check_addresses(host, addresses)
    return addresses[0]


def parse_host_key(text: str) -> asyncssh.SSHKey:
    try:
        return asyncssh.import_public_key(text)
    except (asyncssh.KeyImportError, ValueError):
        raise InvalidInput("The host key is not a public key in OpenSSH format.") from None


async def _fetch_host_key(address: str, port: int, timeout: float) -> str:
    key = await asyncio.wait_for(asyncssh.get_server_host_key(address, port), timeout)
    if key is None:
        raise InvalidInput("The server offered no host key.")
    return key.export_public_key().decode().strip()


def fetch_host_key(*, host: str, port: int, timeout: float = 10.0) -> str:
    """The host key a server presents now, for pinning at registration. Checks the address first."""
    address = resolve_checked(host, port)
    try:
        return asyncio.run(_fetch_host_key(address, port, timeout))
    except (OSError, TimeoutError, asyncssh.Error) as exc:
        raise InvalidInput(f"Could not reach the SSH server at {host}:{port}: {exc or type(exc).__name__}.") from None
