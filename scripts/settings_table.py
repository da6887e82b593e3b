"""Prints the settings table of docs/configuration.md from wireroom/conf.py (paste it over the old one)."""

from __future__ import annotations

from pathlib import Path

from wireroom.conf import SETTINGS


def main() -> None:
    print("| variable | default | what it does |")
    print("|---|---|---|")
    for setting in SETTINGS:
        default = setting.default()
        if isinstance(default, Path):
            shown = "`var/` in the checkout"
        elif isinstance(default, list):
            shown = "`" + ",".join(default) + "`"
        elif default in ("", None):
            shown = "(empty)"
        else:
            shown = f"`{default}`"
        print(f"| `{setting.name}` | {shown} | {setting.help} |")


if __name__ == "__main__":
    main()
