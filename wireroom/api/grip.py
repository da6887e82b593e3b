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

import datetime as dt
import hashlib
import http.client
import json
import logging
import re
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from gripcontrol import Channel, create_grip_channel_header, validate_sig

from wireroom.api.models import StreamChannel
from wireroom.releases.models import WireEvent
from wireroom.releases.selectors import EventFilters, events_after, events_head

log = logging.getLogger(__name__)
PREFIX = "wireroom-"
PAGE = 500
# Pushpin refuses a publish body over its `push_in_http_max_body_size` (1,000,000 bytes by default): items go in
# posts of at most this many bytes (one item larger than it still goes alone, and is refused loudly).
POST_BYTES = 500_000
# A publish Pushpin does not answer must not hold the stream's listener (and its embedded clients) for ever.
PUBLISH_TIMEOUT_SECONDS = 10.0
SEEN_EVERY = dt.timedelta(minutes=10)
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


def channels_prune(*, now: dt.datetime | None = None) -> int:
    """Deletes the channels no client asked for in `WIREROOM_STREAM_CHANNEL_IDLE_HOURS`; how many went. A held
    client keeps its channel: Pushpin asks its `Grip-Link` again every two minutes (its default), and `seen`
    refreshes the channel then. A client that asks later for a pruned combination makes it again, from the
    head of the log."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.STREAM_CHANNEL_IDLE_HOURS)
    deleted, _ = StreamChannel.objects.filter(seen_at__lt=cutoff).delete()
    return deleted


def seen(row: StreamChannel) -> None:
    """A client is held on the channel: recorded at most every few minutes, as thousands of held clients each
    come back every two minutes."""
    now = timezone.now()
    if row.seen_at < now - SEEN_EVERY:
        StreamChannel.objects.filter(pk=row.pk).update(seen_at=now)
        row.seen_at = now


def _recovery_token(name: str) -> str:
    return salted_hmac("wireroom.api.grip.recover", name).hexdigest()


def recovering(request: HttpRequest) -> tuple[StreamChannel, int] | None:
    """Pushpin's recovery request: it follows the `Grip-Link` of a held client (which only Pushpin sees: it
    carries a token for the channel) with `Grip-Last: <channel>; last-id=<seq>`, the last item the client got,
    when it found a gap and anyway every two minutes. The channel (marked as still held) and that seq, or None for
    any other request."""
    match = _LAST.match(request.headers.get("Grip-Last", ""))
    if match is None or not through_proxy(request):
        return None
    if not constant_time_compare(request.GET.get("recover", ""), _recovery_token(match.group(1))):
        return None
    row = StreamChannel.objects.filter(pk=match.group(1)).first()
    if row is None:
        return None
    seen(row)
    return row, int(match.group(2))


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


class Publisher:
    """Posts items to Pushpin's publish endpoint (`POST /publish/`, GRIP's `{"items": [...]}`) on one kept-alive
    connection, with a timeout. gripcontrol's publish waits without one: a Pushpin that stopped answering
    held the listener's thread, and so every later event, until Pushpin went away."""

    def __init__(self, control_url: str, *, timeout: float = PUBLISH_TIMEOUT_SECONDS) -> None:
        url = urllib.parse.urlsplit(control_url)
        self._host, self._port = url.hostname or "127.0.0.1", url.port or 80
        self._path = url.path.rstrip("/") + "/publish/"
        self._timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def post(self, items: list[dict[str, Any]]) -> None:
        body = json.dumps({"items": items}).encode()
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
            try:
                self._connection.request("POST", self._path, body=body,
                                         headers={"Content-Type": "application/json"})
                response = self._connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                # A kept-alive connection Pushpin closed meanwhile fails at once: one new connection, then give up.
                if attempt == 2 or isinstance(exc, TimeoutError):
                    raise PublishFailed(f"{type(exc).__name__}: {exc}") from None
                continue
            if not 200 <= response.status < 300:
                raise PublishFailed(f"Pushpin answered {response.status}: {answer[:200]!r}")
            return

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _item(*, channel: str, content: str, event_id: int, prev_id: int) -> dict[str, Any]:
    return {"channel": channel, "id": str(event_id), "prev-id": str(prev_id),
            "formats": {"http-stream": {"content": content}}}


def publish_pending(*, head: int, render: Callable[[WireEvent, str], str], publisher: Publisher) -> int:
    """Publishes to every channel the events up to `head` it has not had, in order, chained by prev-id; returns
    how many items went out. `render(event, format_name)` gives an event's SSE message. A channel's place is
    saved after each post Pushpin took, so a failure resends nothing it already has."""
    sent = 0
    for row in StreamChannel.objects.filter(scanned__lt=head).order_by("name"):
        filters = filters_of(row)
        while row.scanned < head:
            page = events_after(cursor=row.scanned, filters=filters, limit=PAGE)
            # Up to `last_id` Pushpin has them already (a post that went before one that failed).
            events = [event for event in page.events if event.seq <= head]
            unsent = [event for event in events if event.seq > row.last_id]
            batch: list[dict[str, Any]] = []
            size, last = 0, row.last_id
            for event in unsent:
                item = _item(channel=row.name, content=render(event, row.format), event_id=event.seq, prev_id=last)
                item_size = len(json.dumps(item))
                if batch and size + item_size > POST_BYTES:
                    sent += _post(publisher, row, batch, last=int(batch[-1]["id"]))
                    batch, size = [], 0
                batch.append(item)
                size += item_size
                last = event.seq
            if batch:
                sent += _post(publisher, row, batch, last=last)
            # Fewer than a page: nothing else matches up to the head.
            row.scanned = events[-1].seq if len(page.events) == PAGE and events else head
            StreamChannel.objects.filter(pk=row.pk).update(last_id=row.last_id, scanned=row.scanned)
    return sent


def _post(publisher: Publisher, row: StreamChannel, batch: list[dict[str, Any]], *, last: int) -> int:
    """The channel's last item is recorded before Pushpin has it: Pushpin may ask for a held client's gap
    (`recovering`) as soon as it takes the post, and the replay must reach the item it took."""
    StreamChannel.objects.filter(pk=row.pk).update(last_id=last)
    try:
        publisher.post(batch)
    except PublishFailed:
        StreamChannel.objects.filter(pk=row.pk).update(last_id=row.last_id)
        raise
    row.last_id = last
    return len(batch)
