"""Where the images' files live: one folder per stored image under settings.IMAGES_DIR, written whole under a
temporary name and renamed into place, so a reader never sees half a folder."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings


def folder(key: uuid.UUID) -> Path:
    return Path(settings.IMAGES_DIR) / str(key)


def write(key: uuid.UUID, files: dict[str, bytes]) -> None:
    target = folder(key)
    staging = target.with_name(f".{key}.partial")
    staging.mkdir(parents=True)
    for name, data in files.items():
        (staging / name).write_bytes(data)
    staging.rename(target)


def remove(key: uuid.UUID) -> None:
    shutil.rmtree(folder(key), ignore_errors=True)


def path_of(key: uuid.UUID, name: str) -> Path | None:
    """The file, if this image has one by that name; names come from the stored renditions, never a path."""
    candidate = folder(key) / name
    return candidate if "/" not in name and candidate.is_file() else None
