"""Encrypted pre-positioning through the SFTP channel, against a real SFTP server on loopback (docs/trust.md)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone

from tests.support.prepositioning import opened
from tests.support.sftp import SftpServer, deliver, register
from wireroom.accounts.models import Membership
from wireroom.distribution.channels.sftp.channel import SftpChannel
from wireroom.distribution.models import DeliveryState
from wireroom.formats.registry import get_format
from wireroom.mediadb.models import Outlet
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.trust import wirekeys
from wireroom.trust.verify import verify_with_jwks

HOUR = 3600.0
EXTENSION = get_format("ninjs").extension.lstrip(".")


def schedule(make_release: Callable[..., Release], by: Membership) -> Release:
    release = make_release("approved")
    services.release_publish(release=release, by=by, embargo_at=timezone.now() + dt.timedelta(hours=1))
    release.refresh_from_db()
    return release


def files(drop: SftpServer, suffix: str) -> list[str]:
    return [name for name in drop.files() if name.endswith(suffix)]


def signed(drop: SftpServer, name: str) -> dict[str, Any]:
    """A file of the drop, checked against the wire's signature beside it, as JSON."""
    body = (drop.root / name).read_bytes()
    assert verify_with_jwks(body=body, signature=(drop.root / f"{name}.jws").read_text(), jwks=wirekeys.jwks())
    document: dict[str, Any] = json.loads(body)
    return document


def test_an_opted_in_partner_gets_a_sealed_file_before_the_embargo_and_a_key_file_that_opens_it_at_the_embargo(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    register(outlet, drop, actors["wire_editor"], prepositioned=True)
    channel = SftpChannel()
    release = schedule(make_release, actors["issuer_admin"])

    assert [row.action for row in deliver(channel)] == ["envelope"]
    [sealed_name] = files(drop, ".sealed.json")
    assert sealed_name.startswith(f"{release.pk}.v1.")
    event = signed(drop, sealed_name)
    envelope = event["data"]
    assert event["type"] == "release.prepositioned"
    assert envelope["embargo"] == release.embargo_at.isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]
    assert sealed_name == f"{release.pk}.v1.{envelope['key_id']}.sealed.json"
    headline = release.localizations.get(language_id=release.original_language_id).headline
    assert headline not in (drop.root / sealed_name).read_text()
    assert drop.files() == sorted([sealed_name, f"{sealed_name}.jws"]), "nothing but the sealed file before T"
    with pytest.raises(InvalidTag):
        opened(envelope, AESGCM.generate_key(bit_length=256))

    # The key row comes due at the embargo second, but the clock has not published yet: it waits, uncounted.
    # (The plain files, due the same second, go as they always do.)
    [waiting] = [row for row in deliver(channel, later=HOUR + 1) if row.action == "key"]
    assert (waiting.state, waiting.attempts) == (DeliveryState.RETRYING, 0)
    assert files(drop, ".key.json") == []

    assert release.embargo_at is not None
    assert services.release_publish_due(release=release, now=release.embargo_at)
    assert [(row.action, row.state) for row in deliver(channel, later=HOUR + 5)] == [
        ("key", DeliveryState.DELIVERED)]
    [key_name] = files(drop, ".key.json")
    assert key_name == f"{release.pk}.v1.{envelope['key_id']}.key.json"
    released = signed(drop, key_name)
    assert released["type"] == "release.key_released"
    assert released["data"]["key_id"] == envelope["key_id"]
    key = base64.b64decode(released["data"]["key"])
    inside = json.loads(opened(envelope, key))
    languages = sorted(release.localizations.values_list("language_id", flat=True))
    assert sorted(inside["files"]) == [f"{release.pk}.{language}.v1.{EXTENSION}" for language in languages]
    for name, text in inside["files"].items():
        assert (drop.root / name).read_bytes() == text.encode(), "the sealed file held exactly the files of T"
    with pytest.raises(InvalidTag):
        opened({**envelope, "embargo": "2030-01-01T00:00:00Z"}, key)


def test_a_partner_that_did_not_opt_in_gets_the_files_at_the_embargo_only(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    register(outlet, drop, actors["wire_editor"])
    channel = SftpChannel()
    release = schedule(make_release, actors["issuer_admin"])
    assert deliver(channel) == []
    assert release.embargo_at is not None
    services.release_publish_due(release=release, now=release.embargo_at)
    assert [row.action for row in deliver(channel, later=HOUR + 5)] == ["publish"]
    assert not [name for name in drop.files() if ".sealed" in name or ".key." in name]


@pytest.mark.parametrize("drop_schedule", ["unschedule", "withdraw"])
def test_a_schedule_dropped_before_the_embargo_sends_a_kill_file_and_never_a_key(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
    drop_schedule: str,
) -> None:
    register(outlet, drop, actors["wire_editor"], prepositioned=True)
    channel = SftpChannel()
    release = schedule(make_release, actors["issuer_admin"])
    deliver(channel)
    [sealed_name] = files(drop, ".sealed.json")
    envelope = signed(drop, sealed_name)["data"]

    if drop_schedule == "unschedule":
        services.release_unschedule(release=release, by=actors["issuer_admin"])
    else:
        services.release_withdraw(release=release, by=actors["wire_editor"], reason="Issued in error.")
    assert [(row.action, row.state) for row in deliver(channel)] == [("kill", DeliveryState.DELIVERED)]
    kill_name = f"{release.pk}.v1.{envelope['key_id']}.sealed.kill.json"
    notice = signed(drop, kill_name)
    assert notice["type"] == "release.prepositioned_killed"
    assert notice["data"]["key_id"] == envelope["key_id"] and notice["data"]["embargo"] == envelope["embargo"]

    # Long after the embargo second: no key file, no release files, and no key anywhere for the partner to find.
    assert deliver(channel, later=3 * HOUR) == []
    assert drop.files() == sorted([sealed_name, f"{sealed_name}.jws", kill_name, f"{kill_name}.jws"])


def test_a_release_rescheduled_after_its_sealed_file_was_dropped_gets_a_new_sealed_file_and_only_its_key(
    outlet: Outlet, drop: SftpServer, actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    register(outlet, drop, actors["wire_editor"], prepositioned=True)
    channel = SftpChannel()
    release = schedule(make_release, actors["issuer_admin"])
    deliver(channel)
    [first_name] = files(drop, ".sealed.json")
    first = signed(drop, first_name)["data"]

    services.release_unschedule(release=release, by=actors["issuer_admin"])
    services.release_publish(release=release, by=actors["issuer_admin"],
                             embargo_at=timezone.now() + dt.timedelta(hours=2))
    assert sorted(row.action for row in deliver(channel)) == ["envelope", "kill"]
    [second_name] = [name for name in files(drop, ".sealed.json") if name != first_name]
    second = signed(drop, second_name)["data"]
    assert second["key_id"] != first["key_id"] and second["embargo"] != first["embargo"]
    assert signed(drop, f"{release.pk}.v1.{first['key_id']}.sealed.kill.json")["data"]["key_id"] == first["key_id"]

    release.refresh_from_db()
    assert release.embargo_at is not None
    services.release_publish_due(release=release, now=release.embargo_at)
    deliver(channel, later=2 * HOUR + 5)
    [key_name] = files(drop, ".key.json")
    key = base64.b64decode(signed(drop, key_name)["data"]["key"])
    assert key_name == f"{release.pk}.v1.{second['key_id']}.key.json"
    assert set(json.loads(opened(second, key))["files"]) <= set(drop.files())
    with pytest.raises(InvalidTag):
        opened(first, key)
