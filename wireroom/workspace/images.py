"""Images in the workspace: a release's images with their alternative text, caption and credit, and the
organization's logo, through the media services; the service's refusal is shown next to the field it names."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wireroom.accounts.access import member_required
from wireroom.accounts.models import Membership, Role
from wireroom.accounts.navigation import issues_releases
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound, TooLarge, WireroomError
from wireroom.media import services
from wireroom.workspace.forms import ImageForm, LogoForm
from wireroom.workspace.organization import organization_page
from wireroom.workspace.views import compose_page

issuer_required = member_required(issues_releases)


def _message(error: WireroomError) -> str:
    """The refusal in the reader's language where the workspace knows it; the service's English otherwise."""
    if isinstance(error, TooLarge):
        return _("The image is too large.")
    if isinstance(error, IllegalTransition):
        return _("The release can no longer be edited, so its images cannot change.")
    details = error.details if isinstance(error.details, dict) else {}
    field = details.get("field")
    if field == "image" and details.get("problem") == "pixels":
        return _("The image has too many pixels.")
    if field == "image":
        return _("This file is not a JPEG, PNG or WebP image that can be read.")
    if field == "alt":
        return _("Describe the image for people who cannot see it: the alternative text is required.")
    return error.message


def _field_of(error: WireroomError) -> str | None:
    if isinstance(error.details, dict) and error.details.get("field") in ("image", "alt"):
        return str(error.details["field"])
    return None


@require_POST
@issuer_required
def image_add(request: HttpRequest, membership: Membership, release_id: uuid.UUID) -> HttpResponse:
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.release_image_add(by=membership, release_id=release_id, upload=form.cleaned_data["image"],
                                       alt=form.cleaned_data["alt"], caption=form.cleaned_data["caption"],
                                       credit=form.cleaned_data["credit"])
        except NotFound:
            raise Http404("No such release.") from None
        except (InvalidInput, TooLarge, IllegalTransition, NotAllowed) as error:
            form.add_error(_field_of(error), _message(error))
        else:
            messages.success(request, _("The image is added."))
            return HttpResponseRedirect(reverse("workspace:release", args=[release_id]) + "#images")
    return compose_page(request, membership, release_id, image_form=form, status=422)


@require_POST
@issuer_required
def image_remove(request: HttpRequest, membership: Membership, release_id: uuid.UUID, image_id: int) -> HttpResponse:
    try:
        services.release_image_remove(by=membership, release_id=release_id, image_id=image_id)
    except NotFound:
        raise Http404("No such image.") from None
    except (IllegalTransition, NotAllowed) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The image is removed."))
    return HttpResponseRedirect(reverse("workspace:release", args=[release_id]) + "#images")


def _admin(membership: Membership) -> None:
    if membership.role != Role.ISSUER_ADMIN:
        raise PermissionDenied("Only an admin of the organization sets its logo.")


@require_POST
@issuer_required
def logo_set(request: HttpRequest, membership: Membership) -> HttpResponse:
    _admin(membership)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.organization_logo_set(by=membership, upload=form.cleaned_data["image"])
        except (InvalidInput, TooLarge, NotAllowed) as error:
            form.add_error("image", _message(error))
        else:
            messages.success(request, _("The logo is saved."))
            return HttpResponseRedirect(reverse("workspace:organization") + "#logo")
    return organization_page(request, membership, status=422, logo_form=form)


@require_POST
@issuer_required
def logo_remove(request: HttpRequest, membership: Membership) -> HttpResponse:
    _admin(membership)
    services.organization_logo_remove(by=membership)
    messages.success(request, _("The logo is removed."))
    return HttpResponseRedirect(reverse("workspace:organization") + "#logo")
