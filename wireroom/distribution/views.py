"""The distribution report: where every copy of a release went, for its issuer and the wire's editors."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from wireroom.accounts.selectors import memberships_of
from wireroom.distribution.selectors import delivery_counts, failed_deliveries
from wireroom.distribution.targeting import reach_estimate
from wireroom.releases import permissions
from wireroom.releases.models import Release
from wireroom.releases.selectors import release_by_pk

STATES = ["pending", "leased", "retrying", "delivered", "failed", "suppressed"]


@require_safe
@login_required
def release_deliveries(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    if not Release.objects.filter(pk=release_id).exists():
        raise Http404("No such release.")
    release = release_by_pk(release_id)
    if not any(permissions.can_view(m, release) for m in memberships_of(request.user.pk)):
        raise Http404("No such release.")
    table: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for (version, channel, state), count in delivery_counts(release_id).items():
        table[(version, channel)][state] = count
    rows = [{"version": version, "channel": channel, "counts": [counts.get(state, 0) for state in STATES],
             "total": sum(counts.values())} for (version, channel), counts in sorted(table.items())]
    return render(request, "distribution/deliveries.html", {
        "release": release,
        "states": STATES,
        "rows": rows,
        "failures": failed_deliveries(release_id),
        "reach": reach_estimate(release),
    })
