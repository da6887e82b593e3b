from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wireroom.bench import registry
from wireroom.bench.measure import temporary_workdir


class Command(BaseCommand):
    help = ("Benchmarks: `wireroom bench NAME [options] [--json FILE]`. Each runs on a fresh embedded database "
            "of its own, never the wire's, and prints its figures; `wireroom bench NAME --help` lists its options.")

    def add_arguments(self, parser: CommandParser) -> None:
        names = parser.add_subparsers(dest="name", metavar="NAME", required=True)
        for name in registry.bench_names():
            bench = registry.get(name)
            sub = names.add_parser(name, help=bench.summary, description=bench.summary)
            for option in bench.options:
                if option.kind is bool:
                    sub.add_argument(option.flag, dest=option.dest, action="store_true", help=option.help)
                else:
                    sub.add_argument(option.flag, dest=option.dest, type=option.kind, default=option.default,
                                     choices=option.choices or None, help=option.help)
            sub.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
            sub.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        bench = registry.get(options["name"])
        # Said before anything starts, so a missing program is one clear line, not a traceback halfway through.
        missing = bench.missing_tools()
        if missing:
            raise CommandError(missing)
        values = {option.dest: options[option.dest] for option in bench.options}
        if options["in_process"]:
            figures = bench.run(options=values, workdir=Path(os.environ["WIREROOM_DATA_DIR"]), log=self.stderr.write)
            self.stdout.write(json.dumps(figures))
            return
        # A child process of its own, so the benchmark's database is a fresh one, never the operator's.
        workdir = temporary_workdir()
        env = {key: value for key, value in os.environ.items() if key != "WIREROOM_DATABASE_URL"}
        env["WIREROOM_DATA_DIR"] = str(workdir)
        command = [sys.executable, "-m", "wireroom", "bench", bench.name, "--in-process",
                   *(word for option in bench.options for word in option.argv(values[option.dest]))]
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise CommandError(f"the benchmark failed; its files are in {workdir}")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        for key, value in figures.items():
            limit = bench.limits.get(key)
            beside = f"   limit {figures[limit]:>10,.1f}   ratio {value / figures[limit]:.2f}" if limit else ""
            self.stdout.write(f"{key:<28} {value!s:>12}{beside}")
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(figures, indent=2) + "\n")
