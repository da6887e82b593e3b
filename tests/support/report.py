"""A published release whose copies went out, for the distribution report's tests (page, downloads, browser)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.support.email import make_contact
from wireroom.distribution.models import Delivery
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases.models import Release


def sent_release(make_release: Callable[..., Release]) -> Release:
    """Four copies: three handed off 1, 2 and 3 seconds after publication, one failed; one reader bounced later.
    Two readers work at a paper in the Emirates; half of them read Arabic."""
    gulf = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    readers = [make_contact(f"reader{n}@example.com", languages=("ar",) if n % 2 else ("en",)) for n in range(4)]
    for reader in readers[:2]:
        reader.outlet = gulf
        reader.save()
    release = make_release("published")
    rows = Delivery.objects.filter(release=release).order_by("id")
    assert rows.count() == 4
    published = release.versions.get(number=1).created_at
    for offset, row in enumerate(rows[:3]):
        row.state, row.delivered_at, row.attempts = "delivered", published + dt.timedelta(seconds=offset + 1), 1
        row.save()
    failed = rows[3]
    failed.state, failed.attempts, failed.last_error = "failed", 5, "=550 mailbox unavailable"
    failed.save()
    bounced = rows[0].contact
    assert bounced is not None
    bounced.status, bounced.status_changed_at = "bounced", published + dt.timedelta(minutes=5)
    bounced.save()
    return release
