"""Hands a batch's final outcomes from the ledger to the delivery log (`trust.receipts`, docs/trust.md#receipts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from wireroom.distribution.channels.base import Job
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.trust import receipts

FINAL = frozenset({DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.SUPPRESSED})


def log_outcomes(*, cursor: Any, jobs: Mapping[int, Job], acked: Sequence[tuple[int, str, str]],
                 at: dt.datetime) -> None:
    """Logs the final outcomes of an ack, `acked` being its (delivery id, state, receiver_ref) rows; inside the
    ack's transaction, right after its UPDATE ran on `cursor`.

    The leaves are made from what the worker holds, without reading the rows back. Only when the UPDATE changed
    fewer rows than it was given (a lease lost to another worker) are the rows it did change looked up."""
    if not settings.RECEIPTS:
        return
    final = [(pk, state, ref) for pk, state, ref in acked if state in FINAL and pk in jobs]
    if final and cursor.rowcount != len(acked):
        changed = set(Delivery.objects.filter(pk__in=[pk for pk, _state, _ref in final], state__in=FINAL,
                                              next_attempt_at=at).values_list("pk", flat=True))
        final = [row for row in final if row[0] in changed]
    outcomes = []
    for pk, state, ref in final:
        job = jobs[pk]
        # The recipient endpoint, as unique as the ledger's recipient key: the channel says whose id it is.
        recipient = f"{job.channel}:{job.contact_id if job.contact_id is not None else job.endpoint_id}"
        outcomes.append(receipts.Outcome(release_id=job.release_id, version=job.version, action=job.action,
                                         channel=job.channel, language=job.language, recipient_key=recipient,
                                         state=state, receiver_ref=ref))
    receipts.append(outcomes=outcomes, at=at)
