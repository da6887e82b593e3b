"""Encrypted pre-positioning for webhook endpoints that opted in (docs/trust.md).

When a version is scheduled, staging calls `stage_prepositioned` after writing its rows: each opted-in endpoint
among them gets two more rows, `p:<id>` due at once with the envelope (the exact bytes of the event it will get
at the embargo, sealed with the version's key) and `k:<id>` due at the embargo second with the key. Its plain
`e:<id>` row still goes at the embargo as for everyone else, so a partner that cannot decrypt loses nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from wireroom.distribution.channels.webhook.payload import (
    ENVELOPE,
    KEY,
    LANGUAGE,
    PREPOSITIONED_EVENT,
    body_bytes,
    envelope_key,
    event_key,
)
from wireroom.distribution.models import Delivery, DeliveryState, RenderedItem
from wireroom.formats.item import iso
from wireroom.releases.models import Action, Release
from wireroom.trust import contentkeys

# Rows that are not a copy of the release: a later version's corrections and kill notices never copy them.
EXTRA_ACTIONS = (ENVELOPE, KEY)


def stage_prepositioned(*, release: Release, version: int, action: str, not_before: dt.datetime,
                        now: dt.datetime) -> None:
    if action != Action.PUBLISH or not_before <= now:
        return
    key = contentkeys.held_key(release_id=release.pk, version=version)
    if key is None:
        return
    opted = list(Delivery.objects.filter(
        release=release, version=version, channel="webhook", action=Action.PUBLISH, endpoint__prepositioned=True,
    ).values_list("endpoint_id", "endpoint__format", "language"))
    if not opted:
        return
    formats = {format_name for _endpoint, format_name, _language in opted}
    events = dict(RenderedItem.objects.filter(
        Q(release=release, version=version, language=LANGUAGE),
        format__in=[event_key(format_name) for format_name in formats]).values_list("format", "payload"))
    envelopes = []
    for format_name in sorted(formats):
        event = events.get(event_key(format_name))
        if event is None:
            continue  # a format that does not exist: the plain row fails, saying so
        envelope = contentkeys.seal(key=key, release=release.pk, version=version, embargo=not_before,
                                    plaintext=body_bytes(event))
        envelopes.append(RenderedItem(release=release, version=version, format=envelope_key(format_name),
                                      language=LANGUAGE, payload={"type": PREPOSITIONED_EVENT, "timestamp": iso(now),
                                                                  "data": envelope}))
    RenderedItem.objects.bulk_create(envelopes, ignore_conflicts=True)
    rows = []
    for endpoint_id, _format_name, language in opted:
        for prefix, row_action, due in (("p", ENVELOPE, now), ("k", KEY, not_before)):
            rows.append(Delivery(release=release, version=version, action=row_action, channel="webhook",
                                 recipient_key=f"{prefix}:{endpoint_id}", endpoint_id=endpoint_id, language=language,
                                 state=DeliveryState.PENDING, next_attempt_at=due, created_at=now))
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
