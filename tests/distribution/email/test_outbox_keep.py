"""The local outbox keeps the newest messages only."""

from __future__ import annotations

from pathlib import Path

from wireroom.distribution.channels.email.outbox import Outbox


def test_the_outbox_keeps_only_the_newest_messages(tmp_path: Path) -> None:
    for delivery_id in (3, 10, 2, 7, 11):
        (tmp_path / f"delivery-{delivery_id}.eml").write_bytes(b"Subject: x\r\n\r\nbody\r\n")
    (tmp_path / "notes.txt").write_text("not a message")
    assert Outbox(tmp_path, keep=3).prune() == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "delivery-10.eml", "delivery-11.eml", "delivery-7.eml", "notes.txt"]
