"""The garbage collector of a long-running process whose start-up loads a large heap (Django, the URL
configuration, the channels): a worker holds some 220,000 objects the collector tracks before it sends anything."""

from __future__ import annotations

import gc

# Tracked objects allocated, net of those freed, between two collections of the youngest generation; Python's
# default is 700.
YOUNG_THRESHOLD = 20_000


def settle_after_startup() -> None:
    """Keep what start-up loaded out of every later collection, and collect the young objects less often.

    With Python's defaults a full collection walked all those start-up objects, some 120 ms each with the event
    loop stopped, twice in a fan-out of 6,500 webhooks, and the youngest generation was collected 246 to 292
    times in it. Frozen, and with young collections rarer, the workers sent those webhooks about a third faster
    (docs/benchmarks.md). The older generations keep their thresholds, which count young collections: a full
    collection now comes after some two million allocations rather than 70,000, and walks only what was made
    since start-up."""
    gc.collect()
    gc.freeze()
    # Again, over the now empty old generation: the frozen heap would otherwise stay the size the next full
    # collection waits for a quarter of, and long-lived cycles would pile up until then.
    gc.collect()
    _young, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
