"""The wire's own WebSub hub: subscribers ask here for a feed to be pushed to them (WebSub §5.1). A request is
checked whole before anything is saved; the worker then verifies the subscriber's intent and delivers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wireroom.distribution.channels.websub import subscriptions, topics
from wireroom.feeds.generators import KINDS
from wireroom.feeds.query import AXES, FeedError, FeedQuery, feed_query
from wireroom.feeds.views import error_response, feed_page_read, feed_url
from wireroom.lib.errors import NotFound
from wireroom.lib.outbound import OutboundRefused, check_url
from wireroom.lib.text import control_character

MAX_URL = 2000
MODES = ("subscribe", "unsubscribe")


@dataclass(frozen=True)
class Topic:
    """A feed of this wire named by its URL: its canonical form (what the feed calls itself), kind and query."""

    url: str
    path: str
    ext: str
    query: FeedQuery


def _bad(parameter: str, message: str) -> FeedError:
    return FeedError(400, "invalid_input", message, {"parameter": parameter})


def topic_of(url: str) -> Topic:
    """The feed `url` names, or a FeedError saying why it names none."""
    not_a_feed = _bad("hub.topic", f"hub.topic must be one of this wire's feeds, such as "
                                   f"{settings.BASE_URL}/feeds/all.atom.")
    if len(url) > MAX_URL or control_character(url) is not None:
        raise not_a_feed
    parts, base = urlsplit(url), urlsplit(settings.BASE_URL)
    if (parts.scheme, parts.netloc.lower()) != (base.scheme, base.netloc.lower()) or parts.fragment:
        raise not_a_feed
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise not_a_feed from None
    if match.namespace != "feeds" or match.url_name not in ("all", "facet"):
        raise not_a_feed
    params = QueryDict(parts.query)
    if "before" in params:
        raise _bad("hub.topic", "hub.topic names an archive page, which never changes; subscribe to the feed "
                                "itself (without 'before').")
    try:
        query = feed_query(params=params, path_axis=match.kwargs.get("axis"), path_value=match.kwargs.get("value"))
    except FeedError as exc:
        raise _bad("hub.topic", f"hub.topic is not a feed of this wire: {exc.message}") from None
    return Topic(url=feed_url(parts.path, query.parameters(with_cursor=False)), path=parts.path,
                 ext=match.kwargs["ext"], query=query)


def topic_document(url: str) -> topics.Document:
    """The feed at `url` as a GET would give it now; the hub's deliveries carry it."""
    try:
        topic = topic_of(url)
    except FeedError as exc:
        raise LookupError(exc.message) from None
    read = feed_page_read(path=topic.path, ext=topic.ext, query=topic.query)
    return topics.Document(body=read.body(), content_type=KINDS[topic.ext].content_type)


def _one(data: QueryDict, name: str, *, required: bool = True) -> str:
    value = str(data.get(name, ""))
    if required and not value:
        raise _bad(name, f"{name} is required.")
    if control_character(value) is not None:
        raise _bad(name, f"{name} holds a control character.")
    return value


def _callback(data: QueryDict) -> str:
    callback = _one(data, "hub.callback")
    if len(callback) > MAX_URL:
        raise _bad("hub.callback", f"hub.callback is longer than {MAX_URL} characters.")
    try:
        check_url(callback)
    except OutboundRefused as exc:
        raise _bad("hub.callback", f"hub.callback cannot be reached from this wire: {exc.message}") from None
    return callback


def _lease(data: QueryDict) -> int:
    raw = _one(data, "hub.lease_seconds", required=False)
    if not raw:
        return subscriptions.DEFAULT_LEASE_SECONDS
    low, high = subscriptions.MIN_LEASE_SECONDS, subscriptions.MAX_LEASE_SECONDS
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise _bad("hub.lease_seconds", f"hub.lease_seconds must be a whole number of seconds from {low} to {high}.")
    return int(raw)


def _secret(data: QueryDict) -> str:
    secret = _one(data, "hub.secret", required=False)
    if len(secret.encode()) > subscriptions.MAX_SECRET_BYTES:
        raise _bad("hub.secret", f"hub.secret must be shorter than {subscriptions.MAX_SECRET_BYTES + 1} bytes.")
    return secret


def _request(data: QueryDict) -> HttpResponse:
    mode = _one(data, "hub.mode")
    if mode not in MODES:
        raise _bad("hub.mode", "hub.mode must be subscribe or unsubscribe (this hub sees its feeds change "
                               "itself: nobody needs to tell it).")
    topic = topic_of(_one(data, "hub.topic"))
    callback = _callback(data)
    if mode == "unsubscribe":
        try:
            subscriptions.hub_unsubscribe(topic=topic.url, callback=callback)
        except NotFound as exc:
            raise FeedError(404, "not_found", exc.message) from None
    else:
        lease, secret = _lease(data), _secret(data)
        facets = subscriptions.Facets(**{axis: getattr(topic.query.facets, axis) or "" for axis in AXES})
        subscriptions.hub_subscribe(topic=topic.url, facets=facets, callback=callback, lease_seconds=lease,
                                    secret=secret)
    # 202: the intent is verified with the callback next, by the worker.
    return HttpResponse(status=202)


@csrf_exempt
@require_POST
def hub(request: HttpRequest) -> HttpResponse | JsonResponse:
    if settings.WEBSUB_HUB:
        return error_response(FeedError(404, "not_found", f"This wire's feeds name the hub {settings.WEBSUB_HUB}; "
                                                  f"subscribe there."))
    try:
        return _request(request.POST)
    except FeedError as exc:
        return error_response(exc)
