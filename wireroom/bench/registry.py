"""The one registry of benchmarks. Each benchmark module registers a `Bench` when it is imported."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Figures = dict[str, Any]


class Runner(Protocol):
    def __call__(self, *, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
        """Run in a process of its own whose data folder is `workdir`, fresh and empty; return the figures."""


@dataclass(frozen=True)
class Option:
    """A command-line option of one benchmark: `--flag VALUE` (one of `choices` when given), or a bare switch when
    `kind` is bool."""

    flag: str
    kind: type[int] | type[float] | type[bool] | type[str]
    default: int | float | bool | str
    help: str
    choices: tuple[str, ...] = ()

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    def argv(self, value: Any) -> list[str]:
        """The words that pass `value` on to the child process that runs the benchmark."""
        if self.kind is bool:
            return [self.flag] if value else []
        return [self.flag, str(value)]


@dataclass(frozen=True)
class Tool:
    """A program a benchmark runs, and how to get it."""

    program: str
    install: str

    def missing(self) -> bool:
        # PATH only: a tool found in some fixed folder would hide a PATH that the benchmark's children lack.
        return shutil.which(self.program) is None


@dataclass(frozen=True)
class Bench:
    name: str
    summary: str
    run: Runner
    options: tuple[Option, ...] = ()
    tools: tuple[Tool, ...] = ()
    # A figure printed beside the figure that bounds it, with their ratio: {"email_per_s": "email_limit_per_s"}.
    limits: Mapping[str, str] = field(default_factory=dict)

    def missing_tools(self) -> str:
        """What to install before this benchmark can run; empty when nothing is missing."""
        absent = [tool for tool in self.tools if tool.missing()]
        if not absent:
            return ""
        programs = " and ".join(f"`{tool.program}`" for tool in absent)
        steps = sorted({tool.install for tool in absent})
        verb = "is" if len(absent) == 1 else "are"
        return f"`wireroom bench {self.name}` needs {programs}, which {verb} not on PATH. " + " ".join(steps)


_BENCHES: dict[str, Bench] = {}


def register(bench: Bench) -> Bench:
    if bench.name in _BENCHES:
        raise ValueError(f"benchmark {bench.name!r} is registered twice")
    _BENCHES[bench.name] = bench
    return bench


def get(name: str) -> Bench:
    try:
        return _BENCHES[name]
    except KeyError:
        raise LookupError(f"no benchmark named {name!r}; known: {', '.join(sorted(_BENCHES))}") from None


def bench_names() -> list[str]:
    return sorted(_BENCHES)
