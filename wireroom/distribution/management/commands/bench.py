from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wireroom.distribution import bench

LIMITS = {"email_per_s": "email_limit_per_s", "webhook_per_s": "webhook_limit_per_s"}


class Command(BaseCommand):
    help = ("Benchmarks. `wireroom bench fanout` publishes one release to 86,000 e-mail contacts and 6,500 "
            "webhook outlets on a fresh embedded database, with local sinks, and prints each figure beside "
            "the sink's physical limit.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", choices=["fanout"])
        parser.add_argument("--contacts", type=int, default=86_000)
        parser.add_argument("--outlets", type=int, default=6_500)
        parser.add_argument("--lead", type=float, default=5.0, help="Seconds between scheduling and the embargo.")
        parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
        parser.add_argument("--dkim", action="store_true", help="Sign every message with a throwaway RSA-2048 key.")
        parser.add_argument("--workers", type=int, default=1, help="How many worker processes deliver.")
        parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["in_process"]:
            figures = bench.run_fanout(contacts=options["contacts"], outlets=options["outlets"],
                                       lead_seconds=options["lead"], dkim=options["dkim"], workers=options["workers"],
                                       workdir=Path(os.environ["WIREROOM_DATA_DIR"]), log=self.stderr.write)
            self.stdout.write(json.dumps(figures))
            return
        # A child process of its own, so the benchmark's database is a fresh one, never the operator's.
        workdir = bench.temporary_workdir()
        env = {key: value for key, value in os.environ.items() if key != "WIREROOM_DATABASE_URL"}
        env["WIREROOM_DATA_DIR"] = str(workdir)
        command = [sys.executable, "-m", "wireroom", "bench", "fanout", "--in-process", "--contacts",
                   str(options["contacts"]), "--outlets", str(options["outlets"]), "--lead", str(options["lead"]),
                   "--workers", str(options["workers"]), *(["--dkim"] if options["dkim"] else [])]
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise CommandError(f"the benchmark failed; its files are in {workdir}")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        for key, value in figures.items():
            limit = LIMITS.get(key)
            beside = f"   limit {figures[limit]:>10,.1f}   ratio {value / figures[limit]:.2f}" if limit else ""
            self.stdout.write(f"{key:<28} {value!s:>12}{beside}")
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(figures, indent=2) + "\n")
