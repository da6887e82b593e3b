"""The distribution report: where every copy of a release went, for its issuer and the wire's editors."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wireroom.distribution.selectors import delivery_counts, failed_deliveries
from wireroom.distribution.targeting import reach_estimate
from wireroom.releases.selectors import release_visible_to_user

STATES = ["pending", "leased", "retrying", "delivered", "failed", "suppressed"]


@require_safe
@login_required
def release_deliveries(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    # Its issuer's members and the wire's editors; for anyone else the release does not exist.
    release = release_visible_to_user(user=request.user, release_id=release_id)
    if release is None:
        raise Http404("No such release.")
    table: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for (version, channel, state), count in delivery_counts(release_id=release_id).items():
        table[(version, channel)][state] = count
    rows = [{"version": version, "channel": channel, "counts": [counts.get(state, 0) for state in STATES],
             "total": sum(counts.values())} for (version, channel), counts in sorted(table.items())]
    return render(request, "distribution/deliveries.html", {
        "release": release,
        "states": STATES,
        "rows": rows,
        "failures": failed_deliveries(release_id=release_id),
        "reach": reach_estimate(release),
    })
