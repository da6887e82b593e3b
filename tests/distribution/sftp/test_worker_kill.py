"""A real `wireroom worker` killed with SIGKILL while its upload is held half-written by a real SFTP server."""

from __future__ import annotations

import json
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import override_settings

from tests.support.sftp import SftpServer
from tests.support.workers import start_worker, wait_until
from wireroom.accounts.models import Membership
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.formats.registry import get_format
from wireroom.lib import ssh
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases.models import Release
from wireroom.subscriptions.services import sftp_endpoint_create

# Slow: each starts a real SFTP server and a real worker process.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _worker_folder(tmp_path: Path) -> Path:
    """A data folder for the worker holding the wire's key, as every process of one wire shares it."""
    folder = tmp_path / "worker"
    (folder / "ssh").mkdir(parents=True)
    shutil.copy2(ssh.key_path(), folder / "ssh" / ssh.KEY_NAME)
    return folder


def test_a_worker_killed_mid_upload_leaves_no_partial_file_under_the_final_name_and_the_next_one_delivers(
    tmp_path: Path, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    outlet = Outlet.objects.create(name="Terminal Partner", type=OutletType.TERMINAL_PARTNER, country_id="AE")
    with override_settings(OUTBOUND_ALLOW_PRIVATE=True):
        sftp_endpoint_create(outlet=outlet, host="127.0.0.1", port=drop.port, username="partner",
                             by=actors["wire_editor"])
    drop.hold_writes = True
    release = make_release("published")
    extension = get_format("ninjs").extension.lstrip(".")
    finals = {f"{release.pk}.{language}.v1.{extension}"
              for language in release.localizations.values_list("language_id", flat=True)}
    folder = _worker_folder(tmp_path)

    first = start_worker(folder, lease_seconds=2)
    try:
        wait_until(lambda: drop.held.is_set() or first.poll() is not None, timeout=60,
                   what="the worker's upload to reach the server")
        assert first.poll() is None, "the worker ended before its upload reached the server"
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    # Half a file is on the server, under a dot-name only.
    partial = [name for name in drop.files() if name.endswith(".part")]
    assert partial and all(name.startswith(".") for name in partial)
    assert (drop.root / partial[0]).stat().st_size > 0
    assert not set(drop.files()) & finals

    drop.hold_writes = False
    second = start_worker(folder, lease_seconds=2)
    try:
        wait_until(lambda: Delivery.objects.filter(state=DeliveryState.DELIVERED).exists(), timeout=90,
                   what="the next worker to deliver after the lease of the killed one ran out")
    finally:
        second.terminate()
        second.wait(30)
    assert finals <= set(drop.files())
    for name in finals:
        text = (drop.root / name).read_text()
        assert isinstance(json.loads(text), dict) and str(release.pk) in text  # whole: it parses
