"""Compiles every gettext catalog under wireroom/locale to the django.mo beside it, with babel.

No GNU gettext needed: `python scripts/compile_messages.py` (or `make messages`). A catalog whose
python-format placeholders don't match its msgids is reported and left uncompiled.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "wireroom" / "locale"


def compile_catalog(po_path: Path) -> list[str]:
    """Writes the .mo for one .po and returns its problems (nothing is written when there are any)."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, abort_invalid=True)
    problems = [f"{po_path}: {message.id!r}: {error}"
                for message, errors in catalog.check() for error in errors]
    if problems:
        return problems
    with po_path.with_suffix(".mo").open("wb") as mo_file:
        write_mo(mo_file, catalog)
    return []


def main() -> int:
    catalogs = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    if not catalogs:
        print(f"no catalogs under {LOCALE_DIR}", file=sys.stderr)
        return 1
    failed = 0
    for po_path in catalogs:
        problems = compile_catalog(po_path)
        for problem in problems:
            print(problem, file=sys.stderr)
        failed += bool(problems)
    print(f"compiled {len(catalogs) - failed} of {len(catalogs)} catalogs")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
