"""With WIREROOM_WEBSUB_HUB set, the feeds name an external hub, and the worker tells it which feeds changed:
a POST of `hub.mode=publish` and `hub.url=<feed>` for each feed a published, corrected or withdrawn version is
in, through the SSRF guard. It follows the event log from where it left off (`HubNotified`), in order; a hub
that fails is asked again, with the webhooks' delays, before the log moves on. Telling a hub twice is harmless
(it fetches the feed again), so a worker that stops between a POST and its record loses nothing."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from urllib.parse import urlencode

import aiohttp
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import reverse

from wireroom.distribution.channels import http
from wireroom.distribution.models import HubNotified
from wireroom.lib import outbound
from wireroom.lib.connections import refresh_connection
from wireroom.releases.models import Release
from wireroom.releases.selectors import events_after, events_head

log = logging.getLogger(__name__)
BATCH = 50
KINDS = ("atom", "rss", "json")


def release_feeds(release: Release) -> list[str]:
    """The URL of every feed of one axis (or none) that holds the release: what an external hub can be told of."""
    facets = [("language", localization.language_id) for localization in release.localizations.all()]
    facets += [("sector", sector.slug) for sector in release.sectors.all()]
    facets += [("issuer", release.issuer.slug)]
    facets += [("country", country.code) for country in release.countries.all()]
    facets += [("region", region.slug) for region in release.regions.all()]
    urls = []
    for kind in KINDS:
        urls.append(settings.BASE_URL + reverse("feeds:all", kwargs={"ext": kind}))
        urls += [settings.BASE_URL + reverse("feeds:facet", kwargs={"axis": axis, "value": value, "ext": kind})
                 for axis, value in facets]
    return urls


def changes_due() -> list[tuple[int, list[str]]]:
    """The events not yet told, each with the feeds it changed. The first call starts at the log's head: an
    external hub set today is not told of the whole archive."""
    with transaction.atomic():
        mark, created = HubNotified.objects.get_or_create(pk=1, defaults={"through_seq": events_head()})
    if created:
        return []
    # Read before the page: every event up to it is visible by then (they become visible in seq order).
    head = events_head()
    page = events_after(cursor=mark.through_seq, limit=BATCH)
    if not page.events and head > mark.through_seq:
        # Only events that events_after leaves out (publications of releases withdrawn since): step over them.
        return [(head, [])]
    return [(event.seq, release_feeds(event.release)) for event in page.events]


def notified(*, through_seq: int) -> None:
    HubNotified.objects.filter(pk=1, through_seq__lt=through_seq).update(through_seq=through_seq)


async def tell(session: aiohttp.ClientSession, feed: str) -> str:
    """Tell the hub one feed changed; an error message, or "" when the hub took it."""
    body = urlencode({"hub.mode": "publish", "hub.url": feed}).encode()
    try:
        response = await outbound.post(session, settings.WEBSUB_HUB, body,
                                       {"Content-Type": "application/x-www-form-urlencoded"})
    except outbound.OutboundRefused as exc:
        return exc.message
    except TimeoutError:
        return f"no answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s"
    except (aiohttp.ClientError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return "" if 200 <= response.status < 300 else f"HTTP {response.status}"


async def notify_due(session: aiohttp.ClientSession) -> tuple[int, str]:
    """Tell the hub of the changes due: (events told, the error that stopped it, or "")."""
    done = 0
    for seq, feeds in await sync_to_async(changes_due)():
        for error in await asyncio.gather(*(tell(session, feed) for feed in feeds)):
            if error:
                return done, error
        await sync_to_async(notified)(through_seq=seq)
        done += 1
    return done, ""


async def run(stop: asyncio.Event) -> None:
    if not settings.WEBSUB_HUB:
        return
    session = outbound.new_session(limit=BATCH)
    failures = 0
    try:
        while not stop.is_set():
            try:
                await sync_to_async(refresh_connection)()
                done, error = await notify_due(session)
            except DatabaseError:
                log.exception("reading the event log for the WebSub hub failed; retrying shortly")
                done, error = 0, ""
            if error:
                failures += 1
                wait = http.retry_delay(failures)
                log.warning("the WebSub hub %s refused a notification (%s); asking again in %.0f s",
                            settings.WEBSUB_HUB, error, wait)
            else:
                failures = 0
                wait = 0.0 if done else settings.WORKER_POLL_SECONDS
            if wait:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=wait)
    finally:
        await session.close()
