"""Organization settings for issuer admins: members and their roles (invited by e-mail) and API keys (made,
shown once, revoked), through the accounts services; signing keys are in `signing.py`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wireroom.accounts.access import member_required
from wireroom.accounts.invitations import invitation_send
from wireroom.accounts.key_pages import api_key_create_from, api_key_revoke_from, api_key_section
from wireroom.accounts.models import Membership, Role
from wireroom.accounts.navigation import issues_releases
from wireroom.accounts.selectors import organization_members
from wireroom.accounts.services import member_invite, membership_role_set
from wireroom.lib.errors import InvalidInput, NotAllowed
from wireroom.media.selectors import organization_logo
from wireroom.trust.selectors import issuer_keys, signatures_required
from wireroom.workspace.forms import (
    ISSUER_ROLE_CHOICES,
    InviteForm,
    LogoForm,
    SigningKeyForm,
    SigningPolicyForm,
)


def admin_only(membership: Membership) -> None:
    if membership.role != Role.ISSUER_ADMIN:
        raise PermissionDenied("Only an admin of the organization manages its members and keys.")


def organization_page(request: HttpRequest, membership: Membership, *, status: int = 200,
                      **context: Any) -> HttpResponse:
    organization = membership.organization
    return render(request, "workspace/organization.html", {
        "membership": membership, "organization": organization,
        "members": organization_members(organization_id=organization.pk),
        "roles": ISSUER_ROLE_CHOICES,
        "invite_form": context.pop("invite_form", None) or InviteForm(),
        **api_key_section(membership=membership, form=context.pop("key_form", None),
                          issued=context.pop("issued_key", None)),
        "logo": organization_logo(organization_id=organization.pk),
        "logo_form": context.pop("logo_form", None) or LogoForm(),
        "signing_keys": issuer_keys(organization=organization),
        "signing_key_form": context.pop("signing_key_form", None) or SigningKeyForm(),
        "signing_policy_form": SigningPolicyForm(
            initial={"require_signatures": signatures_required(organization=organization)}),
        **context,
    }, status=status)


@require_safe
@member_required(issues_releases)
def settings_page(request: HttpRequest, membership: Membership) -> HttpResponse:
    admin_only(membership)
    return organization_page(request, membership)


@require_POST
@member_required(issues_releases)
def invite(request: HttpRequest, membership: Membership) -> HttpResponse:
    admin_only(membership)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return organization_page(request, membership, status=422, invite_form=form)
    try:
        invited = member_invite(organization=membership.organization, email=form.cleaned_data["email"],
                                role=Role(form.cleaned_data["role"]), by=membership)
    except InvalidInput as error:
        form.add_error("email", error.message)
        return organization_page(request, membership, status=422, invite_form=form)
    invitation_send(invited=invited, by=membership.user)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invited.user.email})
    return HttpResponseRedirect(reverse("workspace:organization"))


@require_POST
@member_required(issues_releases)
def member_role(request: HttpRequest, membership: Membership, membership_id: int) -> HttpResponse:
    admin_only(membership)
    target = Membership.objects.filter(pk=membership_id, organization_id=membership.organization_id).first()
    if target is None:
        raise Http404("No such member.")
    role = request.POST.get("role", "")
    if role not in (Role.ISSUER_MEMBER, Role.ISSUER_ADMIN):
        messages.error(request, _("Choose one of the listed roles."))
        return HttpResponseRedirect(reverse("workspace:organization"))
    try:
        membership_role_set(membership=target, role=Role(role), by=membership)
        messages.success(request, _("The role is changed."))
    except (InvalidInput, NotAllowed) as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("workspace:organization"))


@require_POST
@member_required(issues_releases)
def key_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    admin_only(membership)
    form, issued = api_key_create_from(request, membership=membership)
    if issued is None:
        return organization_page(request, membership, status=422, key_form=form)
    # Shown in this answer only: the secret is stored nowhere, so the page cannot show it again.
    response = organization_page(request, membership, status=201, issued_key=issued)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@member_required(issues_releases)
def key_revoke(request: HttpRequest, membership: Membership, key_id: int) -> HttpResponse:
    admin_only(membership)
    api_key_revoke_from(request, membership=membership, key_id=key_id)
    return HttpResponseRedirect(reverse("workspace:organization"))
