"""Giving an outlet or terminal partner its people: the wire's staff invite a member by e-mail, which makes and
links the outlet's organization the first time, and the invited person chooses a password through the link and
lands on the connections page (`/connect/`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wireroom.accounts.invitations import invitation_send
from wireroom.accounts.models import Membership
from wireroom.accounts.selectors import organization_members
from wireroom.accounts.services import outlet_member_invite
from wireroom.console.access import staff_only
from wireroom.console.endpoints import endpoint_health
from wireroom.console.forms import OutletForm
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.mediadb.models import Outlet
from wireroom.mediadb.services import outlet_organization_ensure


def outlet_members(outlet: Outlet) -> list[Membership]:
    return organization_members(organization_id=outlet.organization_id) if outlet.organization_id else []


@require_POST
@staff_only
def outlet_invite(request: HttpRequest, membership: Membership, outlet_id: int) -> HttpResponse:
    outlet = Outlet.objects.filter(pk=outlet_id).first()
    if outlet is None:
        raise Http404("No such outlet.")
    address = request.POST.get("email", "").strip()
    try:
        validate_email(address)
        # One transaction: a refused invitation leaves no organization made for nothing.
        with transaction.atomic():
            organization = outlet_organization_ensure(outlet_id=outlet.pk, by=membership.user)
            invited = outlet_member_invite(organization=organization, email=address, by=membership)
    except ValidationError:
        error = "Give the e-mail address of the person to invite."
    except (InvalidInput, NotFound) as refused:
        error = refused.message
    else:
        invitation_send(invited=invited, by=membership.user)
        messages.success(request, f"Invitation sent to {invited.user.email}.")
        return redirect("console:outlet", outlet_id=outlet.pk)
    outlet.refresh_from_db()
    return render(request, "console/outlet.html", {
        "outlet": outlet, "form": OutletForm.of(outlet), "contacts": outlet.contacts.count(),
        "endpoints": endpoint_health(outlet=outlet), "members": outlet_members(outlet),
        "invite_error": error, "invite_email": address,
    }, status=400)
