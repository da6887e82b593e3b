"""The worker's garbage collector after start-up: what start-up loaded is frozen, young collections are rarer."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from wireroom.lib.heap import YOUNG_THRESHOLD, settle_after_startup


@pytest.fixture
def collector() -> Iterator[None]:
    """Puts the test process's collector back as it was."""
    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0, "nothing else in the test process freezes"
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class StartUp:
    """An object of the kind start-up leaves behind: in a reference cycle, so the collector tracks it."""

    def __init__(self) -> None:
        self.me = self


@pytest.mark.usefixtures("collector")
def test_what_start_up_loaded_is_frozen_and_no_longer_walked_by_a_collection() -> None:
    loaded = StartUp()
    settle_after_startup()

    assert gc.get_freeze_count() > 0
    assert not any(obj is loaded for obj in gc.get_objects())  # the collector walks only what is not frozen
    assert gc.is_tracked(loaded)


@pytest.mark.usefixtures("collector")
def test_young_objects_are_collected_less_often_and_the_older_generations_as_python_does() -> None:
    _young, older, oldest = gc.get_threshold()
    settle_after_startup()

    assert gc.get_threshold() == (YOUNG_THRESHOLD, older, oldest)


@pytest.mark.usefixtures("collector")
def test_cycles_made_after_start_up_are_still_collected_by_the_collector_itself() -> None:
    settle_after_startup()
    made_later = StartUp()
    gone = weakref.ref(made_later)
    del made_later
    assert gone() is not None  # held by its own cycle until a collection

    # More young objects than the threshold, kept alive: the collector runs on its own, as in the worker.
    kept: list[list[int]] = [[] for _ in range(2 * YOUNG_THRESHOLD)]

    assert gone() is None
    assert len(kept) == 2 * YOUNG_THRESHOLD
