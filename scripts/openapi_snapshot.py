"""Writes tests/api/openapi.snapshot.json: the API's OpenAPI document as the code now defines it.

After changing the API on purpose, run `.venv/bin/python scripts/openapi_snapshot.py`, read the diff (it is the
change every client sees) and commit it with the change. tests/api/test_openapi.py fails while the two differ.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent.parent / "tests" / "api" / "openapi.snapshot.json"


def render(document: Any) -> str:
    """The snapshot's text: sorted keys and one value a line, so a change shows as a readable diff."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    # The document needs the settings but no data: keep the checkout's var/ untouched.
    os.environ.setdefault("WIREROOM_DATA_DIR", tempfile.mkdtemp(prefix="wireroom-openapi-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wireroom.settings")
    import django

    django.setup()
    from wireroom.api.urls import api

    SNAPSHOT.write_text(render(api.get_openapi_schema()), encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(Path.cwd()) if SNAPSHOT.is_relative_to(Path.cwd()) else SNAPSHOT}")


if __name__ == "__main__":
    main()
