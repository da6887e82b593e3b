"""`wireroom bench report`: the distribution report of a 92,500-delivery release, as a page and as a CSV.

The release is staged as the fan-out benchmark stages it (86,000 e-mail contacts and 6,500 webhook outlets),
then its ledger is made to look sent: most rows handed off over the first 30 seconds, one in fifty failed. Each
figure is a median over several requests through Django's request handler, in this process, beside a limit
measured in the same run: for the page, the sign-in page (the same middleware and layout, no report); for the
CSV, the same rows read by one plain query and written by the csv module alone. The page is timed twice: as a
reader sees it again while the figures stand (the charts kept), and with its charts drawn anew.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.fanout import load_recipients, release_input
from wireroom.bench.registry import Bench, Figures, Option, register

HOST = "127.0.0.1"


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _look_sent(release_id: Any) -> None:
    """Most rows handed off within 30 seconds of the embargo (spread by id), one in fifty failed with a reason."""
    from django.db.models import F
    from django.db.models.functions import Mod

    from wireroom.distribution.models import Delivery
    from wireroom.releases.models import Release

    embargo = Release.objects.get(pk=release_id).published_at
    assert embargo is not None
    rows = Delivery.objects.filter(release_id=release_id).annotate(slot=Mod(F("id"), 50))
    rows.filter(slot=0).update(state="failed", attempts=5, last_error="550 5.1.1 mailbox unavailable")
    for second in range(30):
        (Delivery.objects.filter(release_id=release_id, state="pending").annotate(slot=Mod(F("id"), 30))
         .filter(slot=second).update(state="delivered", attempts=1,
                                     delivered_at=embargo + dt.timedelta(seconds=second)))


def _forget_charts() -> None:
    """The charts are kept once drawn for the same figures; this times a report whose figures are new."""
    from wireroom.distribution import charts

    charts.bars.cache_clear()
    charts.delivered_over_time.cache_clear()


def _csv_floor(release_id: Any) -> int:
    """The same rows as the export, read by one query and written by the csv module: no response, no pages."""
    from wireroom.distribution.models import Delivery

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in Delivery.objects.filter(release_id=release_id).order_by("id").values_list(
            "id", "version", "action", "channel", "contact_id", "endpoint_id", "language", "state", "created_at",
            "next_attempt_at", "delivered_at", "attempts", "last_error").iterator(chunk_size=2000):
        writer.writerow(row)
        count += 1
        if buffer.tell() > 1 << 20:
            buffer.seek(0)
            buffer.truncate()
    return count


def run_report(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command
    from django.test import Client

    from wireroom.demo.accounts import seed_accounts
    from wireroom.distribution.models import Delivery
    from wireroom.releases import services

    contacts, outlets, repeat = options["contacts"], options["outlets"], options["repeat"]
    call_command("migrate", verbosity=0)
    log(f"loading {contacts:,} e-mail contacts and {outlets:,} webhook outlets")
    load_recipients(contacts=contacts, outlets=outlets, hook_url="http://127.0.0.1:9/hook")
    members = seed_accounts()
    issuer, editor = members["nahr-energy"], members["editor"]
    release = services.release_create(by=issuer, data=release_input()).release
    services.release_submit(release=release, by=issuer)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=issuer)
    _look_sent(release.pk)
    deliveries = Delivery.objects.filter(release=release).count()
    log(f"{deliveries:,} deliveries staged and marked as sent")

    client = Client(HTTP_HOST=HOST)
    client.force_login(issuer.user)
    page = f"/workspace/releases/{release.pk}/report/"
    assert client.get(page).status_code == 200  # warm: templates, matplotlib's fonts
    anonymous = Client(HTTP_HOST=HOST)

    def csv_rows() -> int:
        response = client.get(page.replace("report/", "report.csv"))
        return sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1  # type: ignore[attr-defined]

    rows = csv_rows()
    if rows != deliveries:
        raise RuntimeError(f"the CSV has {rows:,} rows for {deliveries:,} deliveries")
    log("timing the report page and the sign-in page")
    figures: Figures = {"deliveries": deliveries, "repeat": repeat}
    figures["report_page_ms"] = _median_ms(lambda: client.get(page), repeat)
    def drawn_anew() -> object:
        _forget_charts()
        return client.get(page)

    figures["report_page_drawing_ms"] = _median_ms(drawn_anew, repeat)
    figures["trivial_page_ms"] = _median_ms(lambda: anonymous.get("/accounts/login/"), repeat)
    log("timing the CSV export and the same rows written by csv alone")
    figures["csv_ms"] = _median_ms(csv_rows, max(1, repeat // 3))
    figures["csv_limit_ms"] = _median_ms(lambda: _csv_floor(release.pk), max(1, repeat // 3))
    figures["csv_rows_per_s"] = round(deliveries / (figures["csv_ms"] / 1000))
    return figures


register(Bench(
    name="report",
    summary=("the distribution report of a 92,500-delivery release: the page beside a trivial page, the CSV beside "
             "the same rows written by csv alone"),
    run=run_report,
    options=(
        Option("--contacts", int, 86_000, "E-mail recipients."),
        Option("--outlets", int, 6_500, "Outlets, each with one webhook endpoint."),
        Option("--repeat", int, 9, "Requests per figure (the median is kept)."),
    ),
    limits={"report_page_ms": "trivial_page_ms", "report_page_drawing_ms": "trivial_page_ms",
            "csv_ms": "csv_limit_ms"},
))
