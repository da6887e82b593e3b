"""A real SFTP server on loopback (asyncssh, in a thread), rooted in a folder the test gives it."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh
from asgiref.sync import async_to_sync
from django.test import override_settings
from django.utils import timezone

from wireroom.accounts.models import Membership
from wireroom.distribution import ledger
from wireroom.distribution.channels.sftp.channel import SftpChannel
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Outlet
from wireroom.subscriptions.models import SftpEndpoint
from wireroom.subscriptions.services import sftp_endpoint_create


@dataclass
class SftpServer:
    root: Path
    port: int
    host_key: asyncssh.SSHKey
    # When set, the server drops the connection as the first block of a file arrives.
    cut_on_write: bool = False
    cuts: int = 0
    # When set, a write stores its first half and then waits until cleared, so a test can act mid-upload.
    hold_writes: bool = False
    held: threading.Event = field(default_factory=threading.Event)
    logins: list[str] = field(default_factory=list)
    # When cleared, the server refuses posix-rename@openssh.com, as some servers do: clients fall back to rename.
    posix_rename: bool = True
    # The final names files were renamed to, in order.
    renamed: list[str] = field(default_factory=list)

    @property
    def public_host_key(self) -> str:
        return self.host_key.export_public_key().decode().strip()

    def files(self) -> list[str]:
        return sorted(path.name for path in self.root.iterdir())


def _sftp_factory(server: SftpServer) -> Any:
    class Rooted(asyncssh.SFTPServer):
        def __init__(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
            super().__init__(chan, chroot=str(server.root).encode())

        async def write(self, file_obj: object, offset: int, data: bytes) -> Any:
            if server.hold_writes:
                super().write(file_obj, offset, data[: max(1, len(data) // 2)])
                server.held.set()
                while server.hold_writes:
                    await asyncio.sleep(0.05)
            if server.cut_on_write:
                server.cuts += 1
                # Some bytes land in the file first, as they would before a real connection died.
                super().write(file_obj, offset, data[: max(1, len(data) // 2)])
                self.channel.get_connection().abort()
                return None
            return super().write(file_obj, offset, data)

        def rename(self, oldpath: bytes, newpath: bytes) -> Any:
            server.renamed.append(newpath.decode().rsplit("/", 1)[-1])
            return super().rename(oldpath, newpath)

        def posix_rename(self, oldpath: bytes, newpath: bytes) -> Any:
            if not server.posix_rename:
                raise asyncssh.SFTPOpUnsupported("posix-rename is not supported here")
            server.renamed.append(newpath.decode().rsplit("/", 1)[-1])
            return super().posix_rename(oldpath, newpath)

    return Rooted


@contextmanager
def sftp_server_in_thread(root: Path, *, authorized_key: str, port: int = 0,
                          host_key: asyncssh.SSHKey | None = None) -> Iterator[SftpServer]:
    """Serve `root` over SFTP on 127.0.0.1 to the holder of `authorized_key` (an OpenSSH public key line)."""
    key = host_key or asyncssh.generate_private_key("ssh-ed25519")
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, Any] = {}
    server = SftpServer(root=root, port=0, host_key=key)

    class Logins(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            server.logins.append(username)
            return True

    async def listen() -> None:
        acceptor = await asyncssh.listen(
            "127.0.0.1", port, server_host_keys=[key], server_factory=Logins,
            authorized_client_keys=asyncssh.import_authorized_keys(authorized_key + "\n"),
            sftp_factory=_sftp_factory(server), allow_scp=False)
        holder["acceptor"] = acceptor
        server.port = acceptor.get_port()
        started.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(listen())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the SFTP server did not start")
    try:
        yield server
    finally:
        async def stop() -> None:
            acceptor = holder["acceptor"]
            acceptor.close()
            await acceptor.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


allow_private = override_settings(OUTBOUND_ALLOW_PRIVATE=True)


def register(outlet: Outlet, server: SftpServer, by: Membership, *, prepositioned: bool = False) -> SftpEndpoint:
    """The partner's server registered as an endpoint of `outlet`, its host key pinned, as the operator does."""
    with allow_private:
        return sftp_endpoint_create(outlet=outlet, host="127.0.0.1", port=server.port, username="partner", by=by,
                                    prepositioned=prepositioned)


def deliver(channel: SftpChannel, *, later: float = 0.0) -> list[Delivery]:
    """Lease what is due for SFTP (`later` seconds from now), send it and record the results, as a worker does."""
    now = timezone.now() + dt.timedelta(seconds=later)
    jobs = ledger.lease(worker="test", limit=100, lease_seconds=60, channel="sftp", now=now)
    with allow_private:
        results = async_to_sync(channel.send)(jobs)
    ledger.ack(worker="test", jobs=jobs, results=results, max_attempts=channel.max_attempts,
               retry_delay=channel.retry_delay, now=now)
    return list(Delivery.objects.filter(pk__in=[job.delivery_id for job in jobs]))
