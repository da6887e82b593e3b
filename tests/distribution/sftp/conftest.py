"""The SFTP tests' partner: an outlet and its real SFTP server on loopback, authorizing the wire's key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.sftp import SftpServer, sftp_server_in_thread
from wireroom.lib import ssh
from wireroom.mediadb.models import Outlet, OutletType


@pytest.fixture
def outlet(db: Any) -> Outlet:
    return Outlet.objects.create(name="Terminal Partner One", type=OutletType.TERMINAL_PARTNER, country_id="AE")


@pytest.fixture
def drop(tmp_path: Path) -> Iterator[SftpServer]:
    root = tmp_path / "drop"
    root.mkdir()
    with sftp_server_in_thread(root, authorized_key=ssh.wire_public_key()) as server:
        yield server
