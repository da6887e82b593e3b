"""The figures the database already holds, read when Prometheus scrapes `/metrics`.

The ledger's backlog and its oldest due row, expired leases, how far behind the embargo clock is, and the event
log's head. Each is a count or a minimum over an index (per channel and state), so a scrape stays cheap on a
ledger of millions of rows; what workers count as they go is in `wireroom/lib/metrics.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Max, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from wireroom.distribution.channels import registry
from wireroom.distribution.models import Delivery, DeliveryState
from wireroom.releases.models import Release, State, WireEvent

BACKLOG_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING, DeliveryState.LEASED)


class LedgerCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        backlog = GaugeMetricFamily("wireroom_ledger_backlog", "Deliveries not yet handed over, by channel and state.",
                                    labels=["channel", "state"])
        due = GaugeMetricFamily("wireroom_ledger_due", "Deliveries due now that no worker holds.", labels=["channel"])
        oldest = GaugeMetricFamily("wireroom_ledger_oldest_due_seconds",
                                   "How long the longest-waiting due delivery has waited (0: none waits).",
                                   labels=["channel"])
        expired = GaugeMetricFamily("wireroom_ledger_expired_leases",
                                    "Leased deliveries whose lease ran out (their worker stopped or stalls).",
                                    labels=["channel"])
        for channel in registry.channel_names():
            rows = Delivery.objects.filter(channel=channel)
            # One indexed count per state: an IN over states would make the database scan the channel's rows.
            for state in BACKLOG_STATES:
                backlog.add_metric([channel, state], rows.filter(state=state).count())
            waiting = rows.filter(state__in=(DeliveryState.PENDING, DeliveryState.RETRYING),
                                  next_attempt_at__lte=now).aggregate(count=Count("id"), first=Min("next_attempt_at"))
            due.add_metric([channel], waiting["count"])
            oldest.add_metric([channel], (now - waiting["first"]).total_seconds() if waiting["first"] else 0.0)
            expired.add_metric([channel], rows.filter(state=DeliveryState.LEASED, lease_expires_at__lte=now).count())
        yield from (backlog, due, oldest, expired)

        late = Release.objects.filter(state=State.SCHEDULED, embargo_at__lte=now).aggregate(first=Min("embargo_at"))
        yield GaugeMetricFamily(
            "wireroom_embargo_clock_behind_seconds",
            "How long the oldest scheduled release has waited past its embargo second (0: the clock is on time).",
            value=(now - late["first"]).total_seconds() if late["first"] else 0.0)
        yield GaugeMetricFamily("wireroom_event_log_head_seq", "The newest sequence in the event log.",
                                value=WireEvent.objects.aggregate(head=Max("seq"))["head"] or 0)
