"""What the wire's processes count as they work, for Prometheus.

Every process keeps its own counters (prometheus_client's default registry, with the process's memory and CPU
beside them): the worker serves them on its metrics port, the web server at `/metrics`. What the database
already knows (the ledger's backlog, a late embargo clock, the event log's head) is read when scraped, by the
collector in `wireroom/distribution/metrics.py`, so any process answers it alike.
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Gauge, Histogram

DELIVERIES = Counter("wireroom_deliveries", "Delivery outcomes this worker recorded in the ledger.",
                     ["channel", "outcome"])
SEND_SECONDS = Histogram("wireroom_send_seconds",
                         "Time a channel took to hand over one batch, divided among its messages.", ["channel"],
                         buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0))
SEND_ERRORS = Counter("wireroom_send_errors", "Failed or deferred hand-overs, by channel and class of error.",
                      ["channel", "error_class"])
LEASE_EXPIRED = Counter("wireroom_leases_taken_over",
                        "Deliveries this worker leased after another worker's lease on them expired.", ["channel"])
EMBARGO_LATENESS = Histogram("wireroom_embargo_lateness_seconds",
                             "From a release's embargo second to its publication by the clock.",
                             buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0))
STREAM_CLIENTS = Gauge("wireroom_stream_clients", "Stream connections this web process holds open.")
STREAM_HEAD = Gauge("wireroom_stream_head_seq", "The newest event-log sequence this web process's stream has read.")

_HTTP_STATUS = re.compile(r"\b([1-5])\d\d\b")
_SMTP_REPLY = re.compile(r"\b([45])\.?\d\.?\d\b|\b([45])\d\d\b")


def error_class(channel: str, error: str) -> str:
    """A small, bounded label for an error message, so the series stay few: `http_5xx`, `smtp_4xx`, `timeout`…"""
    lowered = error.lower()
    if "timeout" in lowered or "timed out" in lowered or "no answer within" in lowered:
        return "timeout"
    if "refused" in lowered or "unreachable" in lowered or "connect" in lowered or "reset" in lowered:
        return "connection"
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return "tls"
    if "circuit" in lowered or "disabled" in lowered:
        return "endpoint_disabled"
    kind, pattern = ("smtp", _SMTP_REPLY) if channel == "email" else ("http", _HTTP_STATUS)
    if match := pattern.search(error):
        return f"{kind}_{next(group for group in match.groups() if group)}xx"
    return "other"
