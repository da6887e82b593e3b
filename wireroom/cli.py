"""The `wireroom` command: Django's manage.py plus the project's own commands."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wireroom.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"wireroom: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
