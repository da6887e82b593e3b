"""What the embargo clock prunes once an hour: the event log, and what other apps keep only as long as the log
is read (registered here by them, since this layer imports none of them), so one schedule prunes it all.

A pruner is a function of no arguments that deletes what is past its time and returns how many rows went.
"""

from __future__ import annotations

from collections.abc import Callable

from wireroom.releases.services import events_prune

Pruner = Callable[[], int]
_pruners: dict[str, Pruner] = {}


def register(name: str, pruner: Pruner) -> None:
    """Adds `pruner` under `name` (what it prunes, for the log); registering a name again replaces it."""
    _pruners[name] = pruner


def prune_all() -> dict[str, int]:
    """The event log first, then every registered pruner; how many rows each pruned."""
    pruned = {"events": events_prune()}
    for name, pruner in _pruners.items():
        pruned[name] = pruner()
    return pruned
