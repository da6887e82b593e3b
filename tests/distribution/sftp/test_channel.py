"""The SFTP channel end to end: the lifecycle stages rows, the channel uploads to a real SFTP server on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.support.sftp import SftpServer, deliver, register, sftp_server_in_thread
from tests.support.signing import detached_kid, verifies
from wireroom.accounts.models import Membership
from wireroom.distribution.channels.sftp.channel import SftpChannel
from wireroom.distribution.models import DeliveryState
from wireroom.formats.registry import get_format
from wireroom.lib import ssh
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.models import Outlet
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.subscriptions.models import SftpEndpoint
from wireroom.subscriptions.services import sftp_endpoint_create

EXTENSION = get_format("ninjs").extension.lstrip(".")


def names(release: Release, version: int, *, kill: bool = False) -> list[str]:
    languages = sorted(release.localizations.values_list("language_id", flat=True))
    middle = ".kill" if kill else ""
    return [f"{release.pk}.{language}.v{version}{middle}.{EXTENSION}" for language in languages]


def with_signatures(files: list[str]) -> list[str]:
    """Each file and, beside it, the wire's signature over it."""
    return sorted([*files, *(name + ".jws" for name in files)])


def test_a_partner_receives_every_version_and_a_correction_adds_a_file_replacing_nothing(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    endpoint = register(outlet, drop, actors["wire_editor"])
    assert endpoint.host_key == drop.public_host_key
    channel = SftpChannel()
    release = make_release("published")
    delivered = deliver(channel)
    assert [row.state for row in delivered] == [DeliveryState.DELIVERED]
    assert drop.files() == with_signatures(names(release, 1))
    first = {name: (drop.root / name).read_bytes() for name in names(release, 1)}
    assert all(str(release.pk) in text.decode() for text in first.values())

    services.release_correct(release=release, by=actors["wire_editor"], note="Fixed the plant's capacity.")
    assert [row.state for row in deliver(channel)] == [DeliveryState.DELIVERED]
    assert drop.files() == with_signatures(names(release, 1) + names(release, 2))
    assert {name: (drop.root / name).read_bytes() for name in names(release, 1)} == first
    assert set(drop.logins) == {"partner"}


def test_every_file_comes_with_the_wire_signature_over_its_exact_bytes_in_place_before_the_file(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
    tmp_path: Path,
) -> None:
    register(outlet, drop, actors["wire_editor"])
    release = make_release("published")
    deliver(SftpChannel())
    files = names(release, 1)
    # A partner that takes a file as soon as its name appears already finds the signature beside it.
    assert drop.renamed == [name for file in files for name in (file + ".jws", file)]
    jwks = Client().get("/.well-known/jwks.json").json()
    for name in files:
        body, signature = (drop.root / name).read_bytes(), (drop.root / f"{name}.jws").read_text()
        kid = detached_kid(signature)
        key = next(key for key in jwks["keys"] if key["kid"] == kid)
        assert verifies(key, signature, body)  # jwcrypto, not the wire's own code
        assert not verifies(key, signature, body.replace(str(release.pk).encode(), b"0" * 36))

    # `wireroom verify` finds the sidecar by itself; an altered file fails.
    keys_file = tmp_path / "jwks.json"
    keys_file.write_text(json.dumps(jwks))
    shown = StringIO()
    call_command("verify", str(drop.root / files[0]), jwks=str(keys_file), stdout=shown)
    assert shown.getvalue().startswith("OK: signed by the wire")
    (drop.root / files[0]).write_bytes((drop.root / files[0]).read_bytes() + b"\n")
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify", str(drop.root / files[0]), jwks=str(keys_file))


def test_a_signature_left_by_an_upload_that_died_is_replaced_on_a_server_without_posix_rename(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    register(outlet, drop, actors["wire_editor"])
    drop.posix_rename = False
    release = make_release("published")
    files = names(release, 1)
    # What a worker that died between the signature's rename and the file's leaves behind.
    (drop.root / f"{files[0]}.jws").write_text("left over")
    assert [row.state for row in deliver(SftpChannel())] == [DeliveryState.DELIVERED]
    assert drop.files() == with_signatures(files)
    jwks = Client().get("/.well-known/jwks.json").json()
    for name in files:
        signature = (drop.root / f"{name}.jws").read_text()
        key = next(key for key in jwks["keys"] if key["kid"] == detached_kid(signature))
        assert verifies(key, signature, (drop.root / name).read_bytes())


def test_a_withdrawal_drops_a_kill_file_beside_the_versions(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    register(outlet, drop, actors["wire_editor"])
    channel = SftpChannel()
    release = make_release("published")
    deliver(channel)
    services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    assert [row.state for row in deliver(channel)] == [DeliveryState.DELIVERED]
    assert drop.files() == with_signatures(names(release, 1) + names(release, 2, kill=True))


def test_a_changed_host_key_stops_delivery_with_a_clear_error(
    outlet: Outlet, tmp_path: Path, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    first_root, second_root = tmp_path / "first", tmp_path / "second"
    first_root.mkdir()
    second_root.mkdir()
    with sftp_server_in_thread(first_root, authorized_key=ssh.wire_public_key()) as first:
        endpoint = register(outlet, first, actors["wire_editor"])
        port = first.port
    # Another server answers at the same address with a key of its own.
    with sftp_server_in_thread(second_root, authorized_key=ssh.wire_public_key(), port=port) as impostor:
        make_release("published")
        rows = deliver(SftpChannel())
        assert [row.state for row in rows] == [DeliveryState.FAILED]
        assert "host key is not the one pinned" in rows[0].last_error
        assert impostor.files() == []
        assert impostor.logins == []
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason == "host key changed"


@pytest.mark.parametrize("host", ["127.0.0.1", "169.254.169.254", "10.1.2.3", "localhost"])
def test_an_sftp_host_off_limits_is_refused_at_registration(
    outlet: Outlet, actors: dict[str, Membership], host: str,
) -> None:
    with pytest.raises(InvalidInput, match="Refused to connect"):
        sftp_endpoint_create(outlet=outlet, host=host, port=22, username="partner", by=actors["wire_editor"])
    assert not SftpEndpoint.objects.exists()


def test_a_connection_dying_mid_upload_leaves_no_file_under_the_final_name(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    register(outlet, drop, actors["wire_editor"])
    channel = SftpChannel()
    drop.cut_on_write = True
    release = make_release("published")
    rows = deliver(channel)
    assert drop.cuts >= 1
    assert [row.state for row in rows] == [DeliveryState.RETRYING]
    assert not set(drop.files()) & set(names(release, 1))

    drop.cut_on_write = False
    assert [row.state for row in deliver(channel, later=3600)] == [DeliveryState.DELIVERED]
    assert set(names(release, 1)) <= set(drop.files())
    for name in names(release, 1):
        assert (drop.root / name).read_text().rstrip().endswith("}")


def test_the_wire_key_is_made_once_and_kept(db: Any) -> None:
    first = ssh.wire_public_key()
    assert first.startswith("ssh-ed25519 ")
    assert ssh.wire_public_key() == first
    assert oct(ssh.key_path().stat().st_mode & 0o777) == "0o600"
    assert isinstance(ssh.wire_key(), asyncssh.SSHKey)


def test_the_operator_is_shown_the_public_key_partners_authorize(db: Any) -> None:
    shown = StringIO()
    call_command("sftp_key", stdout=shown)
    assert shown.getvalue().strip() == ssh.wire_public_key()
    assert "PRIVATE" not in shown.getvalue()
