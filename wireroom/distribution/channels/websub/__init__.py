"""WebSub: the wire's own hub pushes each changed feed to its subscribers. See docs/formats.md#websub."""

from __future__ import annotations

import asyncio

from wireroom.distribution.channels.registry import ChannelSpec, Recipients, Targeting, register
from wireroom.distribution.channels.websub import publish, verify
from wireroom.distribution.channels.websub.channel import WebSubChannel
from wireroom.distribution.renderings import Renderings
from wireroom.distribution.targeting import hub_recipients
from wireroom.releases.fanout import Upcoming
from wireroom.releases.models import Release


def keys(recipients: Recipients) -> frozenset[str]:
    """Nothing is rendered ahead: a subscriber gets its feed as it is when the notification leaves."""
    return frozenset()


def render(release: Release, upcoming: Upcoming, keys: frozenset[str]) -> Renderings:
    return {}


async def background(stop: asyncio.Event) -> None:
    """The own hub verifies subscribers' intent; with an external hub set, that hub is told what changed."""
    await asyncio.gather(verify.run(stop), publish.run(stop))


register(ChannelSpec(
    name="websub", factory=WebSubChannel, keys=keys, render=render,
    targeting=Targeting(recipients=hub_recipients, column="hub_subscription", key_prefix="h",
                        withdrawal_to_matches=True),
    settings=("WEBSUB_HUB", "WEBHOOK_TIMEOUT_SECONDS", "WEBHOOK_BREAKER_FAILURES", "WEBHOOK_BREAKER_SECONDS",
              "OUTBOUND_ALLOW_PRIVATE"),
    background=background,
))
