"""Hands a batch's final outcomes from the ledger to the delivery log (`trust.receipts`, docs/trust.md#receipts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.trust import receipts

FINAL = (DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.SUPPRESSED)


def log_outcomes(*, delivery_ids: Iterable[int], at: dt.datetime) -> None:
    """Logs the rows of `delivery_ids` this ack made final; inside the ack's transaction, after its UPDATE.

    A final row whose `next_attempt_at` is not `at` was not changed by this ack (its lease was lost and another
    worker recorded it), so it is not logged twice."""
    if not settings.RECEIPTS:
        return
    rows = Delivery.objects.filter(pk__in=list(delivery_ids), state__in=FINAL, next_attempt_at=at).order_by("pk")
    receipts.append(outcomes=[receipts.Outcome(*row) for row in rows.values_list(
        "release_id", "version", "action", "channel", "language", "recipient_key", "state", "receiver_ref")], at=at)
