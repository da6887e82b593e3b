"""Encrypted pre-positioning for webhook endpoints that opted in (docs/trust.md).

When a version is scheduled, staging asks `seal` for the envelopes of the opted-in endpoints among its webhook
rows: per format, the exact bytes of the event the endpoint will get at the embargo, sealed with the version's
key. Staging then writes their envelope and key rows (`wireroom.distribution.prepositioning`). Their plain `e:`
rows still go at the embargo as for everyone else, so a partner that cannot decrypt loses nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from wireroom.distribution.channels.webhook.payload import LANGUAGE, envelope_key, event_key
from wireroom.distribution.models import Delivery, RenderedItem
from wireroom.distribution.prepositioning import PREPOSITIONED_EVENT, body_bytes
from wireroom.formats.item import iso
from wireroom.releases.models import Action, Release
from wireroom.trust import contentkeys

Recipient = tuple[str, int, str]  # the plain row's recipient key, the endpoint, the language


def seal(*, release: Release, version: int, key: bytes, embargo: dt.datetime, now: dt.datetime,
         also: frozenset[str] = frozenset()) -> tuple[list[RenderedItem], list[Recipient]]:
    """The envelopes to store (one per format the opted-in endpoints take, and per format in `also`: the stream's)
    and the endpoints to send them to."""
    opted = list(Delivery.objects.filter(
        release=release, version=version, channel="webhook", action=Action.PUBLISH, endpoint__prepositioned=True,
    ).values_list("recipient_key", "endpoint_id", "endpoint__format", "language"))
    formats = {format_name for _key, _endpoint, format_name, _language in opted} | also
    if not formats:
        return [], []
    events = dict(RenderedItem.objects.filter(
        Q(release=release, version=version, language=LANGUAGE),
        format__in=[event_key(format_name) for format_name in formats]).values_list("format", "payload"))
    envelopes = []
    for format_name in sorted(formats):
        event = events.get(event_key(format_name))
        if event is None:
            continue  # a format that does not exist: the plain row fails, saying so
        envelope = contentkeys.seal(key=key, release=release.pk, version=version, embargo=embargo,
                                    plaintext=body_bytes(event))
        envelopes.append(RenderedItem(release=release, version=version, format=envelope_key(format_name),
                                      language=LANGUAGE, payload={"type": PREPOSITIONED_EVENT, "timestamp": iso(now),
                                                                  "data": envelope}))
    return envelopes, [(recipient_key, endpoint_id, language) for recipient_key, endpoint_id, _format, language
                       in opted]
