"""Private files made on first use: one writer wins, whatever the others do at the same moment."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from wireroom.lib import secretfiles


def test_the_first_file_put_in_place_stays_owner_only_and_no_temporary_is_left(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "current.pem"
    assert secretfiles.create_once(path, b"first")
    assert not secretfiles.create_once(path, b"second")
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [entry.name for entry in path.parent.iterdir()] == ["current.pem"]


def test_of_many_writers_at_once_exactly_one_wins_and_the_file_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "current.pem"
    start = threading.Barrier(8)
    won: list[bytes] = []

    def writer(number: int) -> None:
        data = f"key {number} ".encode() * 1000
        start.wait()
        if secretfiles.create_once(path, data):
            won.append(data)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert path.read_bytes() == won[0]
    assert [entry.name for entry in tmp_path.iterdir()] == ["current.pem"]


def test_replacing_puts_the_new_file_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "current.pem"
    secretfiles.create_once(path, b"old")
    secretfiles.replace(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [entry.name for entry in tmp_path.iterdir()] == ["current.pem"]
