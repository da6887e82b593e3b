"""The suppression list in the console: addresses the wire must not write to, with the last reason of each; adding
and removing an address, always with a reason, through `mediadb.suppression` (which audits every change)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from wireroom.accounts.models import Membership
from wireroom.console.access import staff_only
from wireroom.console.forms import SuppressionForm
from wireroom.console.listing import PER_PAGE
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.mediadb.suppression import suppression_add, suppression_list, suppression_remove


def _page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    search = request.GET.get("q", "")[:254]
    raw = request.GET.get("page", "1")
    page = Paginator(suppression_list(search=search), PER_PAGE).get_page(int(raw) if raw.isdigit() else 1)
    return render(request, "console/suppression.html", {
        "page": page, "search": search,
        "add_form": forms.get("add_form") or SuppressionForm(prefix="add",
                                                             initial={"email": request.GET.get("email", "")}),
        "remove_form": forms.get("remove_form") or SuppressionForm(prefix="remove"),
    }, status=status)


@require_safe
@staff_only
def suppression(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _page(request)


def _change(request: HttpRequest, membership: Membership, *, slot: str, act: Any, done: str, same: str) -> HttpResponse:
    form = SuppressionForm(request.POST, prefix=slot)
    if form.is_valid():
        try:
            change = act(email=form.cleaned_data["email"], reason=form.cleaned_data["reason"], by=membership.user)
        except (InvalidInput, NotFound) as error:
            # The form has checked the reason; what the service refuses is the address.
            form.add_error("email", error.message)
        else:
            messages.success(request, (done if change.changed else same).format(address=change.contact.email))
            return redirect("console:suppression")
    return _page(request, status=400, **{f"{slot}_form": form})


@require_POST
@staff_only
def suppression_added(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _change(request, membership, slot="add", act=suppression_add, done="{address} is suppressed.",
                   same="{address} was already suppressed; nothing changed.")


@require_POST
@staff_only
def suppression_removed(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _change(request, membership, slot="remove", act=suppression_remove,
                   done="{address} may be written to again (if it has consent).",
                   same="{address} was not suppressed; nothing changed.")
