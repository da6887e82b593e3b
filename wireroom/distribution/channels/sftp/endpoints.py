"""The SFTP channel's database work: endpoints, the documents of a version, failure tracking and disabling."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wireroom.audit.services import audit_record
from wireroom.distribution import prepositioning
from wireroom.distribution.channels.sftp.prepositioning import sealed_key
from wireroom.distribution.models import DUE_STATES, Delivery, DeliveryState, RenderedItem
from wireroom.subscriptions.models import SftpEndpoint

FAILING_TOO_LONG = dt.timedelta(days=5)


@dataclass(frozen=True)
class Endpoint:
    id: int
    host: str
    port: int
    username: str
    directory: str
    host_key: str
    format: str
    max_concurrency: int
    active: bool
    disabled_reason: str


def load_endpoints(ids: Iterable[int]) -> dict[int, Endpoint]:
    rows = SftpEndpoint.objects.filter(pk__in=set(ids)).values_list(
        "pk", "host", "port", "username", "directory", "host_key", "format", "max_concurrency", "active",
        "disabled_reason")
    return {row[0]: Endpoint(*row) for row in rows}


DocumentsKey = tuple[uuid.UUID, int, str]  # release, version, stored format


def load_documents(keys: Iterable[DocumentsKey]) -> dict[DocumentsKey, dict[str, str]]:
    """Each version's documents in a format, by language (never the all-languages rendering)."""
    wanted = set(keys)
    found: dict[DocumentsKey, dict[str, str]] = {key: {} for key in wanted}
    if not wanted:
        return found
    match = Q()
    for release_id, version, format_name in wanted:
        match |= Q(release_id=release_id, version=version, format=format_name)
    rows = RenderedItem.objects.filter(match).exclude(language="*").values_list(
        "release_id", "version", "format", "language", "payload")
    for release_id, version, format_name, language, payload in rows:
        found[(uuid.UUID(str(release_id)), version, format_name)][language] = str(payload["value"])
    return found


def load_extra_files(jobs: Iterable[tuple[uuid.UUID, int, str, str, str]]) -> dict[tuple[uuid.UUID, int, str], bytes]:
    """Pre-positioning's files, by (release, version, recipient key): the envelope sealed for the endpoint's
    format, or the key or kill notice of the row's content key. `jobs`: (release, version, action, recipient key,
    format). A key row whose key is not released yet is absent."""
    wanted = list(jobs)
    keys = prepositioning.key_bodies({(release_id, version) for release_id, version, action, _key, _format in wanted
                                      if action == prepositioning.KEY})
    kills = prepositioning.kill_bodies({(release_id, version, prepositioning.key_id_of(recipient_key))
                                        for release_id, version, action, recipient_key, _format in wanted
                                        if action == prepositioning.KILL})
    sealed: dict[tuple[uuid.UUID, int, str], bytes] = {}
    envelopes = {(release_id, version, sealed_key(format_name)) for release_id, version, action, _key, format_name
                 in wanted if action == prepositioning.ENVELOPE}
    if envelopes:
        match = Q()
        for release_id, version, stored in envelopes:
            match |= Q(release_id=release_id, version=version, format=stored)
        for release_id, version, stored, payload in RenderedItem.objects.filter(match, language="*").values_list(
                "release_id", "version", "format", "payload"):
            sealed[(uuid.UUID(str(release_id)), version, stored)] = prepositioning.body_bytes(payload)
    found = {}
    for release_id, version, action, recipient_key, format_name in wanted:
        if action == prepositioning.ENVELOPE:
            body = sealed.get((release_id, version, sealed_key(format_name)))
            # An envelope sealed under another scheduling's key is not this row's (never: unstaging drops it).
            if body is not None and not prepositioning.sealed_for(body, recipient_key):
                body = None
        else:
            body = prepositioning.extra_body(action, release_id=release_id, version=version,
                                             recipient_key=recipient_key, keys=keys, kills=kills)
        if body is not None:
            found[(release_id, version, recipient_key)] = body
    return found


def disable_endpoint(endpoint_id: int, reason: str, *, now: dt.datetime | None = None) -> bool:
    """Disable an endpoint and fail what was still waiting for it. False if it was already disabled."""
    moment = now or timezone.now()
    with transaction.atomic():
        changed = SftpEndpoint.objects.filter(pk=endpoint_id, active=True).update(
            active=False, disabled_at=moment, disabled_reason=reason[:200])
        if not changed:
            return False
        Delivery.objects.filter(sftp_endpoint_id=endpoint_id, state__in=DUE_STATES).update(
            state=DeliveryState.FAILED, last_error=f"endpoint disabled: {reason}"[:2000], next_attempt_at=moment)
        endpoint = SftpEndpoint.objects.select_related("outlet__organization").get(pk=endpoint_id)
        audit_record(actor=None, action="sftp.disabled", target=endpoint,
                     organization=endpoint.outlet.organization, from_state="active", to_state="disabled",
                     data={"reason": reason, "host": endpoint.host})
    return True


def record_health(*, succeeded: set[int], failed: set[int], refused: dict[int, str],
                  now: dt.datetime | None = None) -> list[int]:
    """Keep `failing_since`; disable endpoints that refused us for good (`refused`: why) or fail for too long."""
    moment = now or timezone.now()
    failing = failed - succeeded
    if succeeded:
        SftpEndpoint.objects.filter(pk__in=succeeded, failing_since__isnull=False).update(failing_since=None)
    if failing:
        SftpEndpoint.objects.filter(pk__in=failing, failing_since__isnull=True).update(failing_since=moment)
    disabled = [pk for pk, reason in sorted(refused.items()) if disable_endpoint(pk, reason, now=moment)]
    if failing:
        stale = SftpEndpoint.objects.filter(pk__in=failing, active=True,
                                            failing_since__lt=moment - FAILING_TOO_LONG).values_list("pk", flat=True)
        disabled += [pk for pk in stale if disable_endpoint(pk, "failing for more than 5 days", now=moment)]
    return disabled
