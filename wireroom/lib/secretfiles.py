"""Private files the wire makes for itself on first use (its signing and SSH keys), safe when several processes
start at once: each writes a file of its own, and the first to put it in place wins.

Two workers starting on a fresh data folder both made the signing key, through one shared temporary name; one's
rename then found nothing to rename, and its first webhook batch failed (docs/benchmarks.md).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _written(path: Path, data: bytes) -> Path:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # owner-only
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return Path(name)


def create_once(path: Path, data: bytes) -> bool:
    """Puts `data` at `path` unless a file is there already; False when another writer was first."""
    temporary = _written(path, data)
    try:
        os.link(temporary, path)  # atomic, and refuses an existing name: the first writer wins
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


def replace(path: Path, data: bytes) -> None:
    """Puts `data` at `path` in one step, replacing what was there (a rotation)."""
    temporary = _written(path, data)
    try:
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
