"""The SFTP tests' partner: an outlet and its real SFTP server on loopback, authorizing the wire's key."""

from __future__ import annotations

from typing import Any

import pytest

from wireroom.mediadb.models import Outlet, OutletType


@pytest.fixture
def outlet(db: Any) -> Outlet:
    return Outlet.objects.create(name="Terminal Partner One", type=OutletType.TERMINAL_PARTNER, country_id="AE")
