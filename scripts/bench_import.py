"""Times `wireroom import-contacts` on a generated 90,000-row file, on a fresh embedded database.

Run from the checkout: .venv/bin/python scripts/bench_import.py [--rows N]. Prints the wall-clock and CPU time
of the refused file (1 % bad rows), the first import of its clean part, and the second (idempotent) one.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]
    return wall, cpu, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=90_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wireroom-bench-import-"))
    env = {**os.environ, "WIREROOM_DATA_DIR": str(folder / "data"), "DJANGO_SETTINGS_MODULE": "wireroom.settings"}
    env.pop("WIREROOM_DATABASE_URL", None)
    wireroom = str(Path(sys.executable).with_name("wireroom"))
    subprocess.run([wireroom, "migrate", "-v0"], env=env, check=True)
    generate = ("import sys, django; django.setup(); from wireroom.mediadb.samples import sample_contacts; "
                f"s = sample_contacts(rows={args.rows}, bad_every=100); "
                f"open(sys.argv[1], 'wb').write(s.data); open(sys.argv[2], 'wb').write(s.clean())")
    dirty, clean = folder / "contacts.csv", folder / "clean.csv"
    subprocess.run([sys.executable, "-c", generate, str(dirty), str(clean)], env=env, check=True)
    print(f"{args.rows} rows, data in {folder}, {os.cpu_count()} cores")
    for label, path in (("with 1 % bad rows (refused)", dirty), ("clean, first import", clean),
                        ("clean, second import", clean)):
        wall, cpu, said = timed([wireroom, "import-contacts", str(path), "--no-progress"], env)
        print(f"{label:<28} {wall:6.1f} s wall  {cpu:6.1f} s CPU  {said}")


if __name__ == "__main__":
    main()
