"""The systemd units in deploy/ are valid for systemd and stop the way docs/deployment.md says."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

UNITS = {"wireroom-web.service": "wireroom-web.service", "wireroom-worker@.service": "wireroom-worker@1.service"}


def service(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((ROOT / "deploy/systemd" / name).read_text())
    return parser["Service"]


def test_systemd_finds_nothing_wrong_with_the_units(tmp_path: Path) -> None:
    wireroom = str(Path(sys.executable).with_name("wireroom"))
    for name, instance in UNITS.items():
        text = (ROOT / "deploy/systemd" / name).read_text()
        # Installed elsewhere here than in /opt/wireroom: the only change.
        (tmp_path / instance).write_text(text.replace("/opt/wireroom/.venv/bin/wireroom", wireroom))
    assert shutil.which("systemd-analyze"), "systemd-analyze (Debian package systemd) is needed"
    result = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / unit) for unit in UNITS.values())],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr.strip()) == (0, "")


@pytest.mark.parametrize(("name", "command"), [("wireroom-web.service", "serve --no-worker"),
                                               ("wireroom-worker@.service", "worker")])
def test_each_unit_restarts_on_failure_and_stops_gracefully_on_sigterm(name: str, command: str) -> None:
    unit = service(name)
    assert unit["ExecStart"] == f"/opt/wireroom/.venv/bin/wireroom {command}"
    assert (unit["Restart"], unit["KillSignal"]) == ("on-failure", "SIGTERM")
    assert unit["EnvironmentFile"] == "/etc/wireroom/wireroom.env"


def test_a_worker_is_given_time_to_finish_its_batches_and_give_back_its_leases() -> None:
    # Longer than a batch can take: the webhook timeout (10 s) and the lease (60 s) that bounds a batch's send.
    assert int(service("wireroom-worker@.service")["TimeoutStopSec"]) > 60


def test_the_units_read_their_secrets_as_credentials_through_file_settings() -> None:
    for name in UNITS:
        unit = (ROOT / "deploy/systemd" / name).read_text()
        assert "Environment=WIREROOM_SECRET_KEY_FILE=%d/secret_key" in unit
        assert "LoadCredential=secret_key:/etc/wireroom/secret_key" in unit
    assert "SECRET" not in (ROOT / "deploy/systemd/wireroom.env").read_text()
