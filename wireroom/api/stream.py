"""`GET /api/v1/stream`: every published, corrected and withdrawn version as a Server-Sent Event, live.

A plain Django async view rather than a django-ninja endpoint: ninja has no streaming answers. It checks the
key as the API does, and answers bad input in the API's error shape. The events come from the event log
(`events_after`) for the replay after `Last-Event-ID` or `?since=`, then from the process's hub (`hub.py`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse, StreamingHttpResponse

from wireroom.accounts.models import ISSUING_KINDS, ApiKey, Organization
from wireroom.api import grip
from wireroom.api.auth import stream_key
from wireroom.api.hub import PAGE, QUEUE_LIMIT, hub, in_db_thread, sse_message
from wireroom.formats.registry import DEFAULT, UnknownFormat, format_names, get_format
from wireroom.lib.errors import InvalidInput, WireroomError
from wireroom.lib.text import control_character
from wireroom.releases.models import Kind
from wireroom.releases.selectors import EventFilters
from wireroom.taxonomy.models import Country, Language, Region, Sector
from wireroom.trust import wirekeys
from wireroom.web.asgi import BodyWriter, Send, response_send

RESYNC = "/api/v1/releases"
FILTERS = ("sector", "language", "country", "region", "issuer", "kind")


def _error(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": details}}, status=status)


def _close_connection() -> None:
    # Resolved in the thread it runs in: that thread's own connection.
    connection.close()


def _authenticate(request: HttpRequest) -> ApiKey | None:
    """Any valid key (outlets', partners', issuers' and the wire's): the stream carries only what went out, and
    pre-positioning's sealed events to the keys the operator let take them (`ApiKey.prepositioned`)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return stream_key(request, token.strip())


def _values(request: HttpRequest, name: str) -> frozenset[str]:
    """`?sector=a&sector=b` or `?sector=a,b`: any of them."""
    values = {part.strip() for raw in request.GET.getlist(name) for part in raw.split(",") if part.strip()}
    for value in values:
        if control_character(value) is not None or len(value) > 100:
            raise InvalidInput(f"{name}: {value[:100]!r} is not a value this filter takes.")
    return frozenset(values)


def _filters(request: HttpRequest) -> EventFilters:
    """Every value must exist: a typo would otherwise be a stream that stays silent for ever."""
    filters = EventFilters(**{name: _values(request, name) for name in FILTERS})
    known = {
        "sector": set(Sector.objects.filter(slug__in=filters.sector).values_list("slug", flat=True)),
        "language": set(Language.objects.filter(code__in=filters.language).values_list("code", flat=True)),
        "country": set(Country.objects.filter(code__in=filters.country).values_list("code", flat=True)),
        "region": set(Region.objects.filter(slug__in=filters.region).values_list("slug", flat=True)),
        "issuer": set(Organization.objects.filter(slug__in=filters.issuer, kind__in=ISSUING_KINDS)
                      .values_list("slug", flat=True)),
        "kind": set(Kind.values) & filters.kind,
    }
    for name, found in known.items():
        unknown = sorted(getattr(filters, name) - found)
        if unknown:
            raise InvalidInput(f"{name}: unknown {', '.join(repr(value) for value in unknown)}.",
                               details={"filter": name, "unknown": unknown})
    return filters


def _cursor(request: HttpRequest) -> int | None:
    """Where to resume: `Last-Event-ID` (sent by a reconnecting client) over `?since=`; None is "from now"."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since")
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise InvalidInput("The cursor (Last-Event-ID or since) must be an event id: a whole number.",
                           details={"cursor": raw[:40]})
    return int(raw)


PREAMBLE = b"retry: 2000\n: wireroom stream\n\n"


def _reset(event_id: int, oldest: int | None) -> bytes:
    reset = {"reason": "The events after your cursor were pruned; resync through the API.", "oldest": oldest,
             "resync": RESYNC}
    return sse_message(event_id=event_id, name="reset",
                       data=wirekeys.sign_event(json.dumps(reset, separators=(",", ":")).encode()).decode())


async def _replay(*, cursor: int | None, through: int, filters: EventFilters, format_name: str,
                  preamble: bool) -> AsyncIterator[bytes]:
    """Behind Pushpin: what the client missed after `cursor`, up to the last item of its channel (`through`);
    Pushpin sends the rest."""
    if preamble:
        yield PREAMBLE
    stream_hub = hub()
    while cursor is not None and cursor < through:
        page = await stream_hub.replay(cursor=cursor, filters=filters)
        if page.stale:
            yield _reset(through, page.oldest_retained)
            return
        for event_row in page.events:
            if event_row.seq > through:
                return
            yield await stream_hub.message(event_row, format_name)
            cursor = event_row.seq
        if len(page.events) < PAGE:
            return


async def _held(request: HttpRequest, *, cursor: int | None, filters: EventFilters,
                format_name: str) -> HttpResponseBase:
    row = await in_db_thread(lambda: grip.fresh(grip.channel_register(format_name=format_name, filters=filters)))
    return grip.hold(row=row, request=request, body=_replay(cursor=cursor, through=row.last_id, filters=filters,
                                                            format_name=format_name, preamble=True))


async def _recovered(request: HttpRequest, row: Any, last_id: int) -> HttpResponseBase:
    """Pushpin found a gap in a held client's chain: the events after its last item, held again from the end."""
    row = await in_db_thread(grip.fresh, row)
    filters = grip.filters_of(row)
    return grip.hold(row=row, request=request, body=_replay(cursor=last_id, through=row.last_id, filters=filters,
                                                            format_name=row.format, preamble=False))


async def _events(*, send: Send, cursor: int | None, filters: EventFilters, format_name: str,
                  prepositioned: bool = False) -> AsyncIterator[bytes]:
    stream_hub = hub()
    async with stream_hub.subscribe(format_name=format_name, filters=filters, prepositioned=prepositioned,
                                    cursor=cursor) as subscriber:
        # Subscribed first, replayed second: whatever commits meanwhile is both in the replay and held for the
        # client, and `sent` drops the second copy; nothing falls between them.
        yield PREAMBLE
        while cursor is not None:
            page = await stream_hub.replay(cursor=cursor, filters=filters, prepositioned=prepositioned)
            if page.stale:
                subscriber.sent = stream_hub.head
                yield _reset(subscriber.sent, page.oldest_retained)
                break
            for event_row in page.events:
                yield await stream_hub.message(event_row, format_name)
                subscriber.sent = cursor = event_row.seq
            if len(page.events) < PAGE:
                break
        # Django has sent everything yielded so far (it asks for the next part only then): from here on the hub
        # writes each event to the connection itself, until it lets the client go (fallen too far behind, or an
        # event it could not render), or Django cancels this on the client's disconnect. The client resumes from
        # its Last-Event-ID.
        writer = BodyWriter(send, limit=QUEUE_LIMIT)
        try:
            subscriber.go_live(writer)
            await subscriber.ended
        finally:
            await writer.close()


async def stream(request: HttpRequest) -> HttpResponseBase:
    if request.method != "GET":
        refused = _error(405, "method_not_allowed", f"{request.method} is not allowed here; use GET.",
                         {"allowed": ["GET"]})
        refused["Allow"] = "GET"
        return refused
    if grip.enabled():
        recovery = await in_db_thread(grip.recovering, request)
        if recovery is not None:
            return await _recovered(request, *recovery)
    try:
        key = await sync_to_async(_authenticate)(request)
        if key is None:
            return _error(401, "unauthenticated", "Send a valid API key as 'Authorization: Bearer <key>'.")
        name = request.GET.get("format") or DEFAULT
        try:
            fmt = get_format(name)
        except UnknownFormat as exc:
            raise InvalidInput(str(exc), details={"format": name[:40], "known": format_names()}) from None
        cursor = _cursor(request)
        filters = await sync_to_async(_filters)(request)
    except WireroomError as exc:
        return _error(exc.status, exc.code, exc.message, exc.details)
    # Pushpin's channels are shared and carry no sealed events: a key that takes them is served here (Pushpin
    # passes an answer without hold instructions through as it is). Few partners opt in.
    if grip.through_proxy(request) and not key.prepositioned:
        return await _held(request, cursor=cursor, filters=filters, format_name=fmt.name)
    # The checks above ran in the thread the stream's requests share (`wireroom.web.asgi.SharedThread`); its
    # database connection is not kept while the stream lives (for hours): the stream reads through the hub's
    # threads.
    send = response_send.get()
    if send is None:
        return _error(503, "stream_unavailable", "The stream is served by the wire's ASGI application "
                      "(wireroom.asgi:application) only.")
    await sync_to_async(_close_connection)()
    response = StreamingHttpResponse(_events(send=send, cursor=cursor, filters=filters, format_name=fmt.name,
                                             prepositioned=key.prepositioned),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
