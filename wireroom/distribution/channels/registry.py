"""The one registry of delivery channels. Each channel package registers itself on import, declaring everything
the rest of the wire needs of it: who its recipients are, the ledger column that names them, what they need
rendered, how a batch is delivered, and the settings it reads. Staging and the worker loop over it; adding a
channel edits nothing else (see "Adding a channel" in docs/architecture.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wireroom.distribution.channels.base import Channel
from wireroom.lib.registry import Registry

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from wireroom.distribution.renderings import Renderings
    from wireroom.distribution.targeting import Target
    from wireroom.releases.fanout import Upcoming
    from wireroom.releases.models import Release


@dataclass(frozen=True)
class Recipients:
    """What a channel's rendering depends on in a version's recipients: their languages (`*` for every
    language) and the formats their endpoints take."""

    languages: frozenset[str] = field(default_factory=frozenset)
    formats: frozenset[str] = field(default_factory=frozenset)


# keys(recipients): the renderings those recipients need, named as `render` takes them (e-mail: languages;
# webhooks: formats).
Keys = Callable[[Recipients], frozenset[str]]
# render(release, upcoming, keys): those renderings, made before the staging transaction opens; it reads the
# release and writes nothing. Staging stores the result as RenderedItem rows, one per (format, language).
Render = Callable[["Release", "Upcoming", frozenset[str]], "Renderings"]


@dataclass(frozen=True)
class Targeting:
    """Who a channel's recipients are, as staging writes their ledger rows with one INSERT … SELECT."""

    # recipients(target): a queryset of the recipients (contacts or the channel's endpoint model) a version reaches.
    recipients: Callable[[Target], QuerySet[Any]]
    # The Delivery foreign key that names a recipient (`contact`, `endpoint`, `sftp_endpoint`, `hub_subscription`)
    # and the prefix of its recipient key (`c`, `e`, `s`, `h`). Staging writes it, the ledger reads it back.
    column: str
    key_prefix: str
    # The recipients' annotation with the language each gets; None: every language (`*`).
    language: str | None = None
    # The recipients' field with the format they take; None: the channel has no formats.
    format: str | None = None
    # The recipients' path to the country of the outlet behind them, copied into each ledger row so the report
    # counts by country without joining three tables per row; None: no outlet (blank country).
    country: str | None = None
    # True: the recipients are people, whose id a Job carries as `contact_id`; otherwise as `endpoint_id`.
    person: bool = False
    # True: a withdrawal also reaches the recipients that match the release now, not only those an earlier
    # version reached (a feed's subscribers: the feed changes for each of them).
    withdrawal_to_matches: bool = False


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    factory: Callable[[], Channel]
    keys: Keys
    render: Render
    # None: the channel has no ledger rows of its own (a push fed some other way).
    targeting: Targeting | None = None
    # The names of the settings (without WIREROOM_) the channel reads, for the docs and the checklist.
    settings: tuple[str, ...] = ()
    # Work the worker runs beside the channel's leasing loop until `stop` is set (WebSub's verification of
    # intent); None: none.
    background: Callable[[asyncio.Event], Coroutine[Any, Any, None]] | None = None


_CHANNELS: Registry[ChannelSpec] = Registry("channel")
register = _CHANNELS.register
get = _CHANNELS.get
channel_names = _CHANNELS.names


def targeted() -> list[ChannelSpec]:
    """The channels with ledger rows, in name order."""
    return [spec for spec in _CHANNELS if spec.targeting is not None]


def recipient_columns() -> list[str]:
    """The Delivery foreign keys (`…_id`) that name a recipient, one per kind of recipient the channels have."""
    return sorted({f"{spec.targeting.column}_id" for spec in targeted() if spec.targeting is not None})


def endpoint_columns() -> list[str]:
    """The recipient columns that name an endpoint rather than a person."""
    return sorted({f"{spec.targeting.column}_id" for spec in targeted()
                   if spec.targeting is not None and not spec.targeting.person})


def person_columns() -> list[str]:
    return sorted({f"{spec.targeting.column}_id" for spec in targeted()
                   if spec.targeting is not None and spec.targeting.person})
