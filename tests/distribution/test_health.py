"""An endpoint's concurrency slots, as the webhook, SFTP and WebSub channels share them: first come, first served,
shrinking under a slow-down and growing back after it, and never miscounted by a waiter that gives up."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager

import pytest

from tests.support.clock import Clock
from wireroom.distribution.channels.health import SLOWDOWN_SECONDS, EndpointHealth


async def _hold(health: EndpointHealth, name: str, order: list[str], release: asyncio.Event) -> None:
    async with health.slot():
        order.append(name)
        await release.wait()


async def _one_slot_held() -> tuple[EndpointHealth, AbstractAsyncContextManager[None], list[str], asyncio.Event]:
    """An endpoint of one slot, taken by the test itself, which gives it back (`__aexit__`) exactly when it wants."""
    health = EndpointHealth(1, Clock())
    held = health.slot()
    await held.__aenter__()
    return health, held, [], asyncio.Event()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_slots_beyond_the_limit_wait_and_go_in_the_order_they_came() -> None:
    async def main() -> list[str]:
        health, release = EndpointHealth(2, Clock()), asyncio.Event()
        order: list[str] = []
        holders = [asyncio.create_task(_hold(health, name, order, release)) for name in "abcde"]
        await _settle()
        assert order == ["a", "b"]  # the others wait for a free slot
        release.set()
        await asyncio.gather(*holders)
        return order

    assert asyncio.run(main()) == ["a", "b", "c", "d", "e"]


def test_a_waiter_cancelled_before_its_turn_leaves_the_slots_counted_right() -> None:
    async def main() -> None:
        health, release = EndpointHealth(1, Clock()), asyncio.Event()
        order: list[str] = []
        first = asyncio.create_task(_hold(health, "first", order, release))
        gives_up = asyncio.create_task(_hold(health, "gives up", order, release))
        last = asyncio.create_task(_hold(health, "last", order, release))
        await _settle()
        gives_up.cancel()
        await _settle()
        assert order == ["first"]  # the one slot is still held: the cancelled waiter gave none back
        release.set()
        await asyncio.wait_for(asyncio.gather(first, last), timeout=5)
        assert order == ["first", "last"]
        # Every slot came back: a full set can be taken again at once.
        async with health.slot():
            assert order == ["first", "last"]

    asyncio.run(main())


def test_a_waiter_cancelled_just_as_it_is_woken_passes_its_slot_on() -> None:
    async def main() -> None:
        health, held, order, release = await _one_slot_held()
        woken = asyncio.create_task(_hold(health, "woken", order, release))
        last = asyncio.create_task(_hold(health, "last", order, release))
        await _settle()
        await held.__aexit__(None, None, None)  # the slot goes to "woken", which has not run yet
        woken.cancel()
        release.set()
        await asyncio.wait_for(last, timeout=5)  # a slot lost to the cancelled waiter would hold it forever
        assert order == ["last"]

    asyncio.run(main())


def test_a_slowed_down_endpoint_gets_half_its_slots_and_all_of_them_back_when_the_slow_down_ends() -> None:
    async def main() -> None:
        clock = Clock()
        health = EndpointHealth(4, clock)
        order: list[str] = []
        first_done, rest_done = asyncio.Event(), asyncio.Event()
        health.slow_down(None)
        assert health.limit() == 2
        first = asyncio.create_task(_hold(health, "0", order, first_done))
        holders = [asyncio.create_task(_hold(health, str(n), order, rest_done)) for n in range(1, 6)]
        await _settle()
        assert order == ["0", "1"]
        clock.now += SLOWDOWN_SECONDS + 1
        first_done.set()
        await first
        await _settle()
        # One slot given back lets in as many as the grown limit allows, not just one.
        assert order == ["0", "1", "2", "3", "4"]
        rest_done.set()
        await asyncio.gather(*holders)
        assert order == ["0", "1", "2", "3", "4", "5"]

    asyncio.run(main())


def test_a_waiter_cancelled_and_then_passed_over_by_a_release_ends_cancelled() -> None:
    async def main() -> None:
        health, held, order, release = await _one_slot_held()
        gives_up = asyncio.create_task(_hold(health, "gives up", order, release))
        await _settle()
        gives_up.cancel()  # its future is cancelled now, its task runs later
        await held.__aexit__(None, None, None)  # the release drops the cancelled future from the queue
        with pytest.raises(asyncio.CancelledError):
            await gives_up
        release.set()
        await asyncio.wait_for(_hold(health, "next", order, release), timeout=5)
        assert order == ["next"]

    asyncio.run(main())
