"""The WebSub channel: each subscriber of the wire's own hub gets its feed, as it is now, whenever a release in
it is published, corrected or withdrawn. Signed with the subscriber's secret, through the SSRF guard, with the
webhooks' retry schedule and circuit breaker."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import time
import uuid
from collections.abc import Callable
from typing import Literal

import aiohttp
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from wireroom.distribution.channels import http
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.gate import hold_back_withdrawn
from wireroom.distribution.channels.health import EndpointHealth, Signal
from wireroom.distribution.channels.websub import topics
from wireroom.distribution.channels.websub.subscriptions import Subscriber, subscribers, subscription_end
from wireroom.lib import outbound
from wireroom.releases.models import Action
from wireroom.releases.selectors import public_releases

CONCURRENCY = 256
PER_SUBSCRIBER = 2  # requests in flight to one callback
# A release whose embargo second has come but that the clock has not yet published is asked again this soon.
EMBARGO_WAIT = 0.1

Kind = Literal["ok", "throttled", "failure", "gone", "refused"]


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _not_yet_public(release_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    public = set(public_releases().filter(pk__in=release_ids).values_list("pk", flat=True))
    return release_ids - public


def _documents(wanted: set[str]) -> dict[str, topics.Document | str]:
    """Each topic's feed, rendered once for the batch; a string says why one could not be."""
    found: dict[str, topics.Document | str] = {}
    for topic in wanted:
        try:
            found[topic] = topics.document(topic)
        except LookupError as exc:
            found[topic] = str(exc)
    return found


class WebSubChannel:
    name = "websub"
    max_attempts = len(http.SCHEDULE) + 1

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._health: dict[int, EndpointHealth] = {}

    async def start(self) -> None:
        if self._session is None:
            self._session = outbound.new_session(limit=CONCURRENCY)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def retry_delay(self, attempts: int) -> float:
        return http.retry_delay(attempts)

    async def send(self, jobs: list[Job]) -> list[Result]:
        await self.start()
        jobs, held_back = await hold_back_withdrawn(jobs)
        if not jobs:
            return held_back
        found = await sync_to_async(subscribers)(ids={job.endpoint_id for job in jobs if job.endpoint_id})
        early = await sync_to_async(_not_yet_public)(
            {job.release_id for job in jobs if job.action != Action.WITHDRAW})
        now = timezone.now()
        wanted = {found[job.endpoint_id].topic for job in jobs if job.endpoint_id in found}
        documents = await sync_to_async(_documents)(wanted)
        results = await asyncio.gather(*(
            self._deliver(job, found.get(job.endpoint_id or 0), early, documents, now) for job in jobs))
        return list(results) + held_back

    async def _deliver(self, job: Job, subscriber: Subscriber | None, early: set[uuid.UUID],
                       documents: dict[str, topics.Document | str], now: dt.datetime) -> Result:
        if subscriber is None:
            return Result(job.delivery_id, "failed", error="the subscription no longer exists")
        if subscriber.expires_at is None or subscriber.expires_at <= now:
            return Result(job.delivery_id, "failed", error="the subscription's lease ran out, or it was ended")
        if job.release_id in early:
            # Its feed does not show it until the embargo clock has published it, a moment after its second.
            return Result(job.delivery_id, "retry", error="waiting for the embargo clock to publish the release",
                          retry_after=EMBARGO_WAIT, attempted=False)
        document = documents.get(subscriber.topic)
        if not isinstance(document, topics.Document):
            return Result(job.delivery_id, "failed", error=f"the topic is not a feed: {document}")
        health = self._health.get(subscriber.id)
        if health is None:
            health = self._health[subscriber.id] = EndpointHealth(PER_SUBSCRIBER, self._clock)
        async with health.slot():
            wait, probe = health.admit()
            if wait is not None:
                error = (f"not attempted: the callback failed {health.failures} times in a row; "
                         f"the next probe is in {wait:.0f} s")
                return Result(job.delivery_id, "retry", error=error, retry_after=wait, attempted=False)
            signal: Signal | None = None
            try:
                result, kind = await self._post(job, subscriber, document)
                signal = "ok" if kind == "ok" else "throttled" if kind == "throttled" else "failure"
            finally:
                health.record(signal, probe=probe)
        if kind == "gone":
            await sync_to_async(subscription_end)(subscription_id=subscriber.id, reason=result.error)
        elif kind == "throttled" and result.retry_after is not None:
            health.slow_down(result.retry_after)
            result = Result(result.delivery_id, "retry", receiver_ref=result.receiver_ref, error=result.error,
                            retry_after=max(result.retry_after, self.retry_delay(job.attempts)))
        return result

    async def _post(self, job: Job, subscriber: Subscriber, document: topics.Document) -> tuple[Result, Kind]:
        assert self._session is not None
        headers = {"Content-Type": document.content_type,
                   "Link": f'<{topics.hub_url()}>; rel="hub", <{subscriber.topic}>; rel="self"'}
        if subscriber.secret:
            headers["X-Hub-Signature"] = signature(subscriber.secret, document.body)
        try:
            response = await outbound.post(self._session, subscriber.callback, document.body, headers)
        except outbound.OutboundRefused as exc:
            return Result(job.delivery_id, "failed", error=exc.message), "refused"
        except TimeoutError:
            return (Result(job.delivery_id, "retry",
                           error=f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"), "failure")
        except (aiohttp.ClientError, OSError) as exc:
            return Result(job.delivery_id, "retry", error=f"{type(exc).__name__}: {exc}"[:500]), "failure"
        status = response.status
        summary = f"HTTP {status}" + (f": {' '.join(response.text.split())[:200]}" if response.text.strip() else "")
        if 200 <= status < 300:
            return Result(job.delivery_id, "delivered", receiver_ref=f"HTTP {status}"), "ok"
        if status == 410:
            return Result(job.delivery_id, "failed", receiver_ref="HTTP 410",
                          error=f"{summary} (the subscriber is gone; its subscription was ended)"), "gone"
        if status in http.THROTTLE_STATUSES:
            wait = http.retry_after_seconds(response.headers.get("Retry-After"))
            return (Result(job.delivery_id, "retry", receiver_ref=f"HTTP {status}", error=summary, retry_after=wait),
                    "throttled" if status == 429 else "failure")
        return Result(job.delivery_id, "retry", receiver_ref=f"HTTP {status}", error=summary), "failure"
