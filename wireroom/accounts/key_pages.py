"""The API-key section that an outlet's connections page and an issuer's organization settings share: the
organization's keys, the form that makes one (its secret shown in that answer only) and the revocation of one of
the organization's own keys. Each page decides who may use it; this module only does the work between the request
and the accounts services, and the template `accounts/_api_keys.html` shows it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from wireroom.accounts.forms import ApiKeyForm
from wireroom.accounts.models import ApiKey, Membership
from wireroom.accounts.selectors import organization_api_keys
from wireroom.accounts.services import IssuedKey, api_key_issue, api_key_revoke
from wireroom.lib.errors import NotAllowed


def api_key_section(*, membership: Membership, form: ApiKeyForm | None = None,
                    issued: IssuedKey | None = None) -> dict[str, Any]:
    """The template context of `accounts/_api_keys.html`."""
    return {"keys": organization_api_keys(organization_id=membership.organization_id),
            "key_form": form or ApiKeyForm(), "issued_key": issued}


def api_key_create_from(request: HttpRequest, *, membership: Membership) -> tuple[ApiKeyForm, IssuedKey | None]:
    """The posted form, and the key made from it, or None when the form is refused (its errors are on it)."""
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return form, None
    return form, api_key_issue(membership=membership, name=form.cleaned_data["name"], by=membership.user)


def api_key_revoke_from(request: HttpRequest, *, membership: Membership, key_id: int) -> None:
    """Revoke one of the member's organization's keys and say so in a message; another organization's key is
    missing (404) rather than forbidden, so its existence is not told."""
    key = ApiKey.objects.select_related("membership").filter(
        pk=key_id, membership__organization_id=membership.organization_id).first()
    if key is None:
        raise Http404("No such key.")
    try:
        api_key_revoke(api_key=key, by=membership)
        messages.success(request, _("The key is revoked."))
    except NotAllowed as error:
        messages.error(request, error.message)

