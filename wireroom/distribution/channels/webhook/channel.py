"""The webhook channel: signed POSTs, many at once, each endpoint paced by its own limit and circuit breaker."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import aiohttp
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from wireroom.distribution.channels import gate, http
from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.health import EndpointHealth, Signal
from wireroom.distribution.channels.http import SCHEDULE, THROTTLE_STATUSES, retry_after_seconds
from wireroom.distribution.channels.webhook import endpoints, signing
from wireroom.distribution.channels.webhook.endpoints import Endpoint
from wireroom.distribution.channels.webhook.payload import stored_as
from wireroom.distribution.prepositioning import (
    ENVELOPE,
    KEY,
    KEY_RETRY_CEILING,
    KILL,
    extra_body,
    key_bodies,
    key_id_of,
    key_retry_after,
    kill_bodies,
    sealed_for,
)
from wireroom.lib import outbound
from wireroom.trust import wirekeys

log = logging.getLogger(__name__)

CONCURRENCY = 512  # requests in flight per worker, over all endpoints
BODY_CACHE_SIZE = 64

# How the outcome of one attempt counts towards the endpoint's health.
Kind = Literal["ok", "throttled", "unavailable", "failure", "gone", "refused", "skipped"]
SIGNALS: dict[Kind, Signal] = {"ok": "ok", "throttled": "throttled"}


def _summary(response: outbound.OutboundResponse) -> str:
    text = " ".join(response.text.split())[:200]
    return f"HTTP {response.status}" + (f": {text}" if text else "")


def classify(job: Job, response: outbound.OutboundResponse) -> tuple[Result, Kind]:
    status = response.status
    if 200 <= status < 300:
        return Result(job.delivery_id, "delivered", receiver_ref=f"HTTP {status}"), "ok"
    if status == 410:
        return Result(job.delivery_id, "failed", receiver_ref="HTTP 410",
                      error=f"{_summary(response)} (the endpoint is gone and was disabled)"), "gone"
    if status in THROTTLE_STATUSES:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        return (Result(job.delivery_id, "retry", receiver_ref=f"HTTP {status}", error=_summary(response),
                       retry_after=wait), "throttled" if status == 429 else "unavailable")
    error = _summary(response)
    if 300 <= status < 400:
        error += f" (redirects are not followed; Location: {response.headers.get('Location', '-')[:200]})"
    return Result(job.delivery_id, "retry", receiver_ref=f"HTTP {status}", error=error), "failure"


@dataclass(frozen=True)
class _Batch:
    """What a batch needs from the database, loaded in one call (`WebhookChannel._load`)."""

    jobs: list[Job]  # those that may go
    held_back: list[Result]  # copies of withdrawn releases
    found: dict[int, Endpoint]
    wanted: dict[int, endpoints.BodyKey]  # delivery → the stored body its endpoint takes
    plain: set[endpoints.BodyKey]  # the bodies of the plain copies
    loaded: dict[endpoints.BodyKey, bytes]  # those of them that were not in the cache
    sealed: dict[endpoints.BodyKey, bytes]
    keys: dict[endpoints.BodyKey, bytes]
    kills: dict[endpoints.BodyKey, bytes]
    held_keys: dict[tuple[uuid.UUID, int], float]


def _batch_key(jobs: list[Job]) -> tuple[int, ...]:
    return tuple(job.delivery_id for job in jobs)


def _plain(jobs: list[Job], wanted: dict[int, endpoints.BodyKey]) -> set[endpoints.BodyKey]:
    """The bodies of the plain copies among `jobs`."""
    return {wanted[job.delivery_id] for job in jobs if job.delivery_id in wanted and job.action != ENVELOPE}


class WebhookChannel:
    name = "webhook"
    max_attempts = len(SCHEDULE) + 1

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, concurrency: int = CONCURRENCY) -> None:
        self._clock = clock
        self._concurrency = concurrency
        self._session: aiohttp.ClientSession | None = None
        self._health: dict[int, EndpointHealth] = {}
        self._bodies: OrderedDict[endpoints.BodyKey, bytes] = OrderedDict()
        self._wire_signatures: dict[bytes, str] = {}
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._prepared: dict[tuple[int, ...], _Batch] = {}

    async def start(self) -> None:
        if self._session is None:
            self._session = outbound.new_session(limit=self._concurrency)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._hosts.clear()  # each belongs to the event loop that used it
        self._prepared.clear()  # a batch prepared but never sent (its task cancelled during the hold)

    def retry_delay(self, attempts: int) -> float:
        return http.retry_delay(attempts)

    def health(self, endpoint_id: int) -> EndpointHealth | None:
        return self._health.get(endpoint_id)

    def _load(self, jobs: list[Job], cached: frozenset[endpoints.BodyKey]) -> _Batch:
        """All the database work of a batch in one call, so that the batch waits once for the channel's database
        thread, not once per query behind the leases and acknowledgements queued there (the first webhooks of a
        fan-out waited 0.3 to 0.9 s for their endpoints that way)."""
        jobs, held_back = gate.hold_back(jobs)
        return replace(self._gather(jobs, cached), held_back=held_back)

    def _gather(self, jobs: list[Job], cached: frozenset[endpoints.BodyKey]) -> _Batch:
        found = endpoints.load_endpoints({job.endpoint_id for job in jobs if job.endpoint_id})
        # Each endpoint takes the event in its own format; a key release or a kill notice of pre-positioning is
        # the same for every format.
        wanted = {job.delivery_id: (job.release_id, job.version, stored_as(job.action, found[job.endpoint_id].format))
                  for job in jobs if job.endpoint_id in found and job.action not in (KEY, KILL)}
        plain = _plain(jobs, wanted)
        # Not cached: a version scheduled again is sealed again, under the same name and another key.
        sealed = endpoints.load_bodies({wanted[job.delivery_id] for job in jobs
                                        if job.delivery_id in wanted and job.action == ENVELOPE})
        keys = key_bodies({(job.release_id, job.version) for job in jobs if job.action == KEY})
        kills = kill_bodies({(job.release_id, job.version, key_id_of(job.recipient_key))
                             for job in jobs if job.action == KILL})
        unreleased = {(job.release_id, job.version) for job in jobs if job.action == KEY and extra_body(
            KEY, release_id=job.release_id, version=job.version, recipient_key=job.recipient_key, keys=keys,
            kills=kills) is None}
        return _Batch(jobs=jobs, held_back=[], found=found, wanted=wanted, plain=plain,
                      loaded=endpoints.load_bodies(plain - cached), sealed=sealed, keys=keys, kills=kills,
                      held_keys=key_retry_after(unreleased, now=timezone.now()))

    async def prepare(self, jobs: list[Job]) -> None:
        """Before the embargo second, a batch of plain copies' endpoints and bodies. Not a batch of pre-positioning:
        its keys are released at the second."""
        if any(job.action in (ENVELOPE, KEY, KILL) for job in jobs):
            return
        self._prepared[_batch_key(jobs)] = await sync_to_async(self._gather)(jobs, frozenset(self._bodies))

    async def send(self, jobs: list[Job]) -> list[Result]:
        await self.start()
        prepared = self._prepared.pop(_batch_key(jobs), None)
        if prepared is None:
            batch = await sync_to_async(self._load)(jobs, frozenset(self._bodies))
        else:
            # Only the withdrawals and unschedulings are left to check at the second.
            sendable, held_back = await sync_to_async(gate.hold_back_prepared)(jobs)
            plain = _plain(sendable, prepared.wanted)
            # The bodies of what no longer goes are not cached for later batches.
            batch = replace(prepared, jobs=sendable, held_back=held_back, plain=plain,
                            loaded={key: body for key, body in prepared.loaded.items() if key in plain})
        jobs, held_back, found, wanted = batch.jobs, batch.held_back, batch.found, batch.wanted
        if not jobs:
            return held_back
        for endpoint in found.values():
            self._refresh_health(endpoint)
        bodies = await self._cached_bodies(batch.plain, batch.loaded)
        keys, kills, sealed, held_keys = batch.keys, batch.kills, batch.sealed, batch.held_keys

        def body(job: Job) -> bytes | None:
            if job.action in (KEY, KILL):
                return extra_body(job.action, release_id=job.release_id, version=job.version,
                                  recipient_key=job.recipient_key, keys=keys, kills=kills)
            if job.delivery_id not in wanted:
                return None
            if job.action == ENVELOPE:
                envelope = sealed.get(wanted[job.delivery_id])
                return envelope if envelope is not None and sealed_for(envelope, job.recipient_key) else None
            return bodies.get(wanted[job.delivery_id])

        outcomes = await asyncio.gather(*(
            self._deliver(job, found.get(job.endpoint_id or 0), body(job),
                          key_wait=held_keys.get((job.release_id, job.version), KEY_RETRY_CEILING))
            for job in jobs))
        succeeded: set[int] = set()
        failed: set[int] = set()
        gone: set[int] = set()
        for job, (_result, kind) in zip(jobs, outcomes, strict=True):
            if job.endpoint_id is None or kind in ("skipped", "throttled"):
                continue
            {"ok": succeeded, "gone": gone}.get(kind, failed).add(job.endpoint_id)
        results = [result for result, _kind in outcomes]
        if not (succeeded or failed or gone):
            return results + held_back
        try:
            disabled = set(await sync_to_async(endpoints.record_health)(succeeded=succeeded, failed=failed,
                                                                         gone=gone))
        except Exception:
            # The results stand: failing here must not make the dispatcher send the whole batch again.
            log.exception("could not record the health of %d webhook endpoints", len(succeeded | failed | gone))
            return results + held_back
        for endpoint_id in disabled:
            self._health[endpoint_id].disabled = "disabled"
        # What was to be retried on an endpoint disabled just now would only fail on the next attempt.
        return [
            Result(result.delivery_id, "failed", receiver_ref=result.receiver_ref,
                   error=f"{result.error} (endpoint disabled)")
            if result.outcome == "retry" and job.endpoint_id in disabled else result
            for job, result in zip(jobs, results, strict=True)
        ] + held_back

    def _host_slot(self, origin: str) -> asyncio.Semaphore:
        slot = self._hosts.get(origin)
        if slot is None:
            slot = self._hosts[origin] = asyncio.Semaphore(settings.WEBHOOK_CONNECTIONS_PER_HOST)
        return slot

    def _refresh_health(self, endpoint: Endpoint) -> None:
        health = self._health.get(endpoint.id)
        if health is None:
            health = self._health[endpoint.id] = EndpointHealth(endpoint.max_concurrency, self._clock)
        # The operator may have changed the limit or re-enabled the endpoint since the last batch.
        health.max_concurrency = max(1, endpoint.max_concurrency)
        health.disabled = "" if endpoint.active else (endpoint.disabled_reason or "disabled")

    async def _cached_bodies(self, versions: set[endpoints.BodyKey],
                             loaded: dict[endpoints.BodyKey, bytes]) -> dict[endpoints.BodyKey, bytes]:
        """The bodies of `versions` from the cache, with `loaded` (what was not in it) added to it."""
        self._bodies.update(loaded)
        if missing := {key for key in versions if key not in self._bodies}:
            # Evicted by another batch since this one looked: rare, and loaded again.
            self._bodies.update(await sync_to_async(endpoints.load_bodies)(missing))
        found = {}
        for key in versions:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                found[key] = self._bodies[key]
        while len(self._bodies) > BODY_CACHE_SIZE:
            self._bodies.popitem(last=False)
        return found

    async def _deliver(self, job: Job, endpoint: Endpoint | None, body: bytes | None, *,
                       key_wait: float) -> tuple[Result, Kind]:
        if endpoint is None:
            return Result(job.delivery_id, "failed", error="no such webhook endpoint"), "skipped"
        health = self._health[endpoint.id]
        if health.disabled:
            return Result(job.delivery_id, "failed", error=f"endpoint disabled: {health.disabled}"), "skipped"
        if body is None and job.action == KEY:
            # Due at the embargo second, but the embargo clock may not have published the version yet.
            return (Result(job.delivery_id, "retry", error="the key is not released yet", retry_after=key_wait,
                           attempted=False), "skipped")
        if body is None:
            return Result(job.delivery_id, "failed", error="nothing was rendered for this version"), "skipped"
        if endpoint.key_error:
            return Result(job.delivery_id, "failed", error=endpoint.key_error), "refused"
        async with health.slot():
            # Checked again: a 410 may have come in while this job waited for its turn.
            if health.disabled:
                return Result(job.delivery_id, "failed", error=f"endpoint disabled: {health.disabled}"), "skipped"
            wait, probe = health.admit()
            if wait is not None:
                error = (f"not attempted: the endpoint failed {health.failures} times in a row; "
                         f"the next probe is in {wait:.0f} s")
                return Result(job.delivery_id, "retry", error=error, retry_after=wait, attempted=False), "skipped"
            signal: Signal | None = None
            try:
                # Waited for here, not in the connection pool, where the wait would count in the request's timeout.
                async with self._host_slot(endpoint.origin):
                    result, kind = await self._post(job, endpoint, body)
                signal = SIGNALS.get(kind, "failure")
            finally:
                health.record(signal, probe=probe)
            if kind == "gone":
                health.disabled = endpoints.GONE
            elif kind in ("throttled", "unavailable"):
                health.slow_down(result.retry_after)
                if result.retry_after is not None:
                    # Never sooner than the receiver asks, nor sooner than the schedule: every attempt counts
                    # towards max_attempts, and "Retry-After: 1" must not use up all eight in seconds.
                    result = replace(result, retry_after=max(result.retry_after, self.retry_delay(job.attempts)))
            return result, kind

    def _wire_signature(self, body: bytes) -> str:
        """Signed once per body, however many endpoints take it (about half a millisecond each). After a rotation a
        body signed before it keeps the old key's signature, which the JWKS keeps verifiable."""
        signature = self._wire_signatures.get(body)
        if signature is None:
            if len(self._wire_signatures) >= BODY_CACHE_SIZE:
                self._wire_signatures.clear()
            signature = self._wire_signatures[body] = wirekeys.sign(body)
        return signature

    async def _post(self, job: Job, endpoint: Endpoint, body: bytes) -> tuple[Result, Kind]:
        assert self._session is not None
        headers = signing.headers(endpoint.keys, f"msg_{job.delivery_id}", int(time.time()), body)
        # Beside the endpoint's HMAC: the wire's public-key signature, which anyone can check (docs/trust.md).
        headers[wirekeys.HEADER.lower()] = self._wire_signature(body)
        try:
            response = await outbound.post(self._session, endpoint.url, body, headers)
        except outbound.OutboundRefused as exc:
            return Result(job.delivery_id, "failed", error=exc.message), "refused"
        except TimeoutError:
            return (Result(job.delivery_id, "retry",
                           error=f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"), "failure")
        except (aiohttp.ClientError, OSError) as exc:
            return Result(job.delivery_id, "retry", error=f"{type(exc).__name__}: {exc}"[:500]), "failure"
        return classify(job, response)

