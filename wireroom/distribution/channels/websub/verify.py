"""Verification of intent (WebSub §5.3), run by the worker beside the channel: for each request, a GET to the
callback with a random `hub.challenge` that the subscriber must echo, with a 2xx, for the request to take effect."""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import suppress

import aiohttp
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError
from yarl import URL

from wireroom.distribution.channels.websub.subscriptions import Intent, intent_settle, intents_claim
from wireroom.distribution.models import HubMode
from wireroom.lib import outbound
from wireroom.lib.connections import refresh_connection

log = logging.getLogger(__name__)
BATCH = 20
MAX_CHALLENGE_ANSWER = 1024


async def verify(session: aiohttp.ClientSession, intent: Intent) -> tuple[bool, bool, str]:
    """(confirmed, final, error) for one request."""
    challenge = secrets.token_urlsafe(24)
    query = {"hub.mode": intent.mode, "hub.topic": intent.topic, "hub.challenge": challenge}
    if intent.mode == HubMode.SUBSCRIBE:
        query["hub.lease_seconds"] = str(intent.lease_seconds)
    try:
        # The callback keeps its own query; ours is added to it (WebSub §5.3).
        url = URL(intent.callback).update_query({**URL(intent.callback).query, **query})
        async with session.get(url, allow_redirects=False) as response:
            answer = (await response.content.read(MAX_CHALLENGE_ANSWER)).decode("utf-8", "replace").strip()
            status = response.status
    except outbound.OutboundRefused as exc:
        return False, True, exc.message
    except TimeoutError:
        return False, False, f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        return False, False, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= status < 300:
        if answer == challenge:
            return True, True, ""
        return False, True, f"HTTP {status} without the challenge: the subscriber did not confirm"
    # A 4xx is the subscriber refusing (WebSub: "any other status"); a 5xx may pass.
    return False, 400 <= status < 500, f"HTTP {status}"


async def verify_due(session: aiohttp.ClientSession) -> int:
    """Verify the requests due now, at most BATCH of them; how many there were."""
    intents = await sync_to_async(intents_claim)(limit=BATCH)
    outcomes = await asyncio.gather(*(verify(session, intent) for intent in intents))
    for intent, (confirmed, final, error) in zip(intents, outcomes, strict=True):
        await sync_to_async(intent_settle)(intent=intent, confirmed=confirmed, final=final, error=error)
    return len(intents)


async def run(stop: asyncio.Event) -> None:
    """Verify due requests until `stop` is set: each within the worker's poll interval of its arrival."""
    session = outbound.new_session(limit=BATCH)
    try:
        while not stop.is_set():
            try:
                await sync_to_async(refresh_connection)()
                verified = await verify_due(session)
            except DatabaseError:
                log.exception("verifying WebSub requests failed; retrying shortly")
                verified = 0
            if not verified:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=settings.WORKER_POLL_SECONDS)
    finally:
        await session.close()
