"""Issuer signing keys in the workspace: an issuer admin registers Ed25519 public keys, sees their fingerprints,
revokes them and requires signatures, through the trust services (docs/trust.md)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership
from wireroom.accounts.navigation import issues_releases
from wireroom.lib.errors import IllegalTransition, InvalidInput
from wireroom.trust import services
from wireroom.trust.models import IssuerKey
from wireroom.workspace.forms import SigningKeyForm, SigningPolicyForm
from wireroom.workspace.organization import admin_only, organization_page

issuer_required = member_required(issues_releases)


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("workspace:organization") + "#signing-heading")


@require_POST
@issuer_required
def signing_key_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    admin_only(membership)
    form = SigningKeyForm(request.POST)
    if form.is_valid():
        try:
            key = services.issuer_key_register(by=membership, organization=membership.organization,
                                               public_key=form.cleaned_data["public_key"],
                                               label=form.cleaned_data["label"])
        except InvalidInput as error:
            # The service's reasons, in the reader's language: a key registered already, or not an Ed25519 key.
            details = error.details if isinstance(error.details, dict) else {}
            form.add_error("public_key", _("This key is registered already.") if "kid" in details else
                           _("This is not an Ed25519 public key. Paste a PEM block (BEGIN PUBLIC KEY) or a public "
                             "JWK; RSA and other kinds of keys are not accepted."))
        else:
            messages.success(request, _("The key %(kid)s is registered.") % {"kid": key.kid})
            return _back()
    return organization_page(request, membership, status=422, signing_key_form=form)


@require_POST
@issuer_required
def signing_key_revoke(request: HttpRequest, membership: Membership, key_id: int) -> HttpResponse:
    admin_only(membership)
    key = IssuerKey.objects.filter(pk=key_id, organization_id=membership.organization_id).first()
    if key is None:
        raise Http404("No such key.")
    try:
        services.issuer_key_revoke(by=membership, key=key)
        messages.success(request, _("The key %(kid)s is revoked. Releases it signed before keep their signature.")
                         % {"kid": key.kid})
    except IllegalTransition:
        messages.error(request, _("The key %(kid)s is revoked already.") % {"kid": key.kid})
    return _back()


@require_POST
@issuer_required
def signing_policy(request: HttpRequest, membership: Membership) -> HttpResponse:
    admin_only(membership)
    form = SigningPolicyForm(request.POST)
    form.is_valid()  # a checkbox: absent is "no"
    required = bool(form.cleaned_data.get("require_signatures"))
    services.signing_policy_set(by=membership, organization=membership.organization, require_signatures=required)
    messages.success(request, _("Signatures are now required.") if required else
                     _("Signatures are no longer required."))
    return _back()
