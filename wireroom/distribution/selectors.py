"""Reads of the ledger: the data behind the distribution report."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Count

from wireroom.distribution.models import Delivery
from wireroom.releases.models import Release, State


def delivery_counts(*, release_id: uuid.UUID) -> dict[tuple[int, str, str], int]:
    """Rows by (version, channel, state)."""
    rows = (Delivery.objects.filter(release_id=release_id).order_by().values_list("version", "channel", "state")
            .annotate(n=Count("id")))
    return {(version, channel, state): n for version, channel, state, n in rows}


def failed_deliveries(*, release_id: uuid.UUID, limit: int = 50) -> list[Delivery]:
    return list(Delivery.objects.filter(release_id=release_id, state="failed")
                .select_related("contact", "endpoint").order_by("id")[:limit])


def withdrawn_releases(*, release_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of these releases that have been withdrawn."""
    rows = Release.objects.filter(pk__in=list(release_ids), state=State.WITHDRAWN).values_list("pk", flat=True)
    return {uuid.UUID(str(pk)) for pk in rows}
