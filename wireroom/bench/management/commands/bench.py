from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Mapping
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
            sub.add_argument("--runs", type=_positive, default=1,
                             help="Run it this many times, each afresh, and report each figure's median with its "
                                  "minimum and maximum (default 1).")
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
        runs = [self._run_once(bench, values) for _ in range(options["runs"])]
        figures = runs[0] if len(runs) == 1 else summarize(runs, limits=bench.limits)
        for key, value in figures.items():
            if key in _SUMMARY_KEYS:
                continue
            limit = bench.limits.get(key)
            spread = ""
            if len(runs) > 1 and key in figures["min"]:
                spread = f"   (min {figures['min'][key]!s}, max {figures['max'][key]!s})"
            beside = ""
            if limit:
                ratio = figures["ratios"][key] if len(runs) > 1 else value / figures[limit]
                beside = f"   limit {figures[limit]:>10,.1f}   ratio {ratio:.2f}"
            self.stdout.write(f"{key:<28} {value!s:>12}{beside}{spread}")
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(figures, indent=2) + "\n")

    def _run_once(self, bench: registry.Bench, values: dict[str, Any]) -> registry.Figures:
        # A child process of its own, so the benchmark's database is a fresh one, never the operator's.
        workdir = temporary_workdir()
        env = {key: value for key, value in os.environ.items() if key != "WIREROOM_DATABASE_URL"}
        env["WIREROOM_DATA_DIR"] = str(workdir)
        command = [sys.executable, "-m", "wireroom", "bench", bench.name, "--in-process",
                   *(word for option in bench.options for word in option.argv(values[option.dest]))]
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise CommandError(f"the benchmark failed; its files are in {workdir}")
        figures: registry.Figures = json.loads(result.stdout.strip().splitlines()[-1])
        return figures


_SUMMARY_KEYS = ("runs", "min", "max", "ratios", "each")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def summarize(runs: list[registry.Figures], *, limits: Mapping[str, str]) -> registry.Figures:
    """Each figure's median over the runs, under its own key (so a reader of one run's file reads this one the
    same way), with `min` and `max` of the numeric figures, the median of each run's ratio to its limit
    (`ratios`: a figure and its limit come from the same run) and every run as it was (`each`). A figure that
    is not a number is kept when every run agrees, and listed per run when they differ."""
    figures: registry.Figures = {}
    lowest: dict[str, float] = {}
    highest: dict[str, float] = {}
    for key in runs[0]:
        values: list[Any] = [run.get(key) for run in runs]
        if all(_numeric(value) for value in values):
            figures[key] = statistics.median(values)
            lowest[key], highest[key] = min(values), max(values)
        else:
            figures[key] = values[0] if all(value == values[0] for value in values) else values
    ratios = {key: statistics.median(run[key] / run[limit] for run in runs)
              for key, limit in limits.items() if key in lowest and limit in lowest
              and all(run[limit] for run in runs)}
    return figures | {"runs": len(runs), "min": lowest, "max": highest, "ratios": ratios, "each": runs}


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
