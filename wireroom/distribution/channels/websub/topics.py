"""The port through which the hub reads a feed: `feeds`, an upper layer, registers its renderer when Django starts,
so the distribution app never imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse


@dataclass(frozen=True)
class Document:
    """A feed as its subscribers get it: the same bytes and media type as a GET of the topic."""

    body: bytes
    content_type: str


# renderer(topic): the feed at that URL as it is now; raises LookupError if the URL is no longer a feed.
Renderer = Callable[[str], Document]
_renderers: list[Renderer] = []


def register(renderer: Renderer) -> None:
    _renderers[:] = [renderer]


def document(topic: str) -> Document:
    if not _renderers:
        raise LookupError("no feed renderer is registered (the feeds app is not installed)")
    return _renderers[0](topic)


def hub_url() -> str:
    """The hub the feeds name: the wire's own, or the external one set by WIREROOM_WEBSUB_HUB."""
    return settings.WEBSUB_HUB or settings.BASE_URL + reverse("feeds:hub")
