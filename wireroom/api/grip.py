"""The stream behind Pushpin (GRIP): Pushpin holds the clients' connections, Wireroom answers the first request
of each with the missed events and hold instructions, and publishes each new event once per channel.

Channels: one per format and set of filters (`channel_name`), registered as a `StreamChannel` row when a client
first asks for it. Pushpin cannot filter, and a shared channel would need per-client filtering; a partner's
desktop software asks for a handful of combinations, so publishing an event once to each channel that wants it
costs a few publishes, whatever the number of connections.

Reliability: each published item carries `id` (the event's `seq`) and `prev-id` (the channel's previous item), and
a client is held with `prev-id` = the last item of its channel at the moment of its request, after a replay that
stops there. An item published between that moment and Pushpin taking the subscription breaks the chain for
that client; Pushpin then asks the `Grip-Link` next URL (this view) with `Grip-Last`, and gets the gap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from gripcontrol import Channel, GripPubControl, create_grip_channel_header, validate_sig

from wireroom.api.models import StreamChannel
from wireroom.releases.models import WireEvent
from wireroom.releases.selectors import EventFilters, events_after, events_head

log = logging.getLogger(__name__)
PREFIX = "wireroom-"
PAGE = 500
_LAST = re.compile(r"^\s*([A-Za-z0-9-]{1,64})\s*;\s*last-id=(\d{1,18})\s*$")


class PublishFailed(Exception):
    """Pushpin did not take a publish; each channel keeps its place and the next read tries again."""


def enabled() -> bool:
    return bool(settings.STREAM_GRIP_URL)


def through_proxy(request: HttpRequest) -> bool:
    """The request came through our Pushpin: its `Grip-Sig` is signed with the shared key and not expired."""
    token = request.headers.get("Grip-Sig", "")
    return enabled() and bool(token) and validate_sig(token, settings.STREAM_GRIP_KEY)


def channel_name(*, format_name: str, filters: EventFilters) -> str:
    wanted = {"format": format_name, **{name: sorted(values) for name, values in asdict(filters).items()}}
    return PREFIX + hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:32]


def filters_of(row: StreamChannel) -> EventFilters:
    return EventFilters(**{name: frozenset(values) for name, values in row.filters.items()})


def channel_register(*, format_name: str, filters: EventFilters) -> StreamChannel:
    """The channel of this format and filters, made if new: it starts at the head of the log."""
    head = events_head()
    row, created = StreamChannel.objects.get_or_create(
        name=channel_name(format_name=format_name, filters=filters),
        defaults={"format": format_name, "last_id": head, "scanned": head, "seen_at": timezone.now(),
                  "filters": {name: sorted(values) for name, values in asdict(filters).items()}})
    if not created:
        StreamChannel.objects.filter(pk=row.pk).update(seen_at=timezone.now())
    return row


def _recovery_token(name: str) -> str:
    return salted_hmac("wireroom.api.grip.recover", name).hexdigest()


def recovering(request: HttpRequest) -> tuple[StreamChannel, int] | None:
    """Pushpin's recovery request: it follows the `Grip-Link` of a held client (which only Pushpin sees: it
    carries a token for the channel) with `Grip-Last: <channel>; last-id=<seq>`, the last item the client got.
    The channel and that seq, or None for any other request."""
    match = _LAST.match(request.headers.get("Grip-Last", ""))
    if match is None or not through_proxy(request):
        return None
    if not constant_time_compare(request.GET.get("recover", ""), _recovery_token(match.group(1))):
        return None
    row = StreamChannel.objects.filter(pk=match.group(1)).first()
    return None if row is None else (row, int(match.group(2)))


def hold(*, row: StreamChannel, body: AsyncIterator[bytes], request: HttpRequest) -> HttpResponseBase:
    """A stream hold on the channel from its last item, with the replay `body` first (Pushpin passes it on before
    it subscribes; a stream hold's body may be any size)."""
    response = StreamingHttpResponse(body, content_type="text/event-stream; charset=utf-8")
    response["Grip-Hold"] = "stream"
    response["Grip-Channel"] = create_grip_channel_header(Channel(row.name, prev_id=str(row.last_id)))
    response["Grip-Link"] = f"<{request.path}?recover={_recovery_token(row.name)}>; rel=next"
    # Pushpin sends the comment itself on an idle connection.
    response["Grip-Keep-Alive"] = (f": heartbeat\\n\\n; format=cstring; "
                                   f"timeout={max(1, round(settings.STREAM_HEARTBEAT_SECONDS))}")
    response["Cache-Control"] = "no-cache"
    return response


def fresh(row: StreamChannel) -> StreamChannel:
    return StreamChannel.objects.get(pk=row.pk)


def publish_pending(*, head: int, render: Callable[[WireEvent, str], str]) -> int:
    """Publishes to every channel the events up to `head` it has not had, in order, chained by prev-id; returns
    how many items went out. `render(event, format_name)` gives an event's SSE message."""
    control = GripPubControl({"control_uri": settings.STREAM_GRIP_URL})
    sent = 0
    for row in StreamChannel.objects.filter(scanned__lt=head).order_by("name"):
        filters = filters_of(row)
        while row.scanned < head:
            page = events_after(cursor=row.scanned, filters=filters, limit=PAGE)
            events = [event for event in page.events if event.seq <= head]
            for event in events:
                try:
                    control.publish_http_stream(row.name, render(event, row.format), id=str(event.seq),
                                                prev_id=str(row.last_id), blocking=True)
                except ValueError as exc:  # how pubcontrol reports a failed HTTP call
                    StreamChannel.objects.filter(pk=row.pk).update(last_id=row.last_id)
                    raise PublishFailed(str(exc)) from None
                row.last_id = event.seq
                sent += 1
            # Fewer than a page: nothing else matches up to the head.
            row.scanned = events[-1].seq if len(page.events) == PAGE and events else head
            StreamChannel.objects.filter(pk=row.pk).update(last_id=row.last_id, scanned=row.scanned)
    return sent
