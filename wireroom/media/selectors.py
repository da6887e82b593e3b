from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from wireroom.media.models import OrganizationLogo, ReleaseImage
from wireroom.releases.models import Release
from wireroom.releases.selectors import public_release, release_is_withdrawn, release_visible_to_user


def release_images(*, release: Release) -> list[ReleaseImage]:
    return list(ReleaseImage.objects.filter(release=release))


def organization_logo(*, organization_id: int) -> OrganizationLogo | None:
    return OrganizationLogo.objects.filter(organization_id=organization_id).first()


def stored_image(*, key: uuid.UUID) -> ReleaseImage | OrganizationLogo | None:
    return (ReleaseImage.objects.select_related("release").filter(key=key).first()
            or OrganizationLogo.objects.filter(key=key).first())


def image_audience(*, image: ReleaseImage | OrganizationLogo,
                   user: AbstractBaseUser | AnonymousUser) -> str:
    """Who may have the image: "public" (the release is out, or it is a logo), "private" (only its issuer and
    the wire's staff see the release now), "withdrawn" or "missing" (embargoed, a draft, another's)."""
    if isinstance(image, OrganizationLogo):
        return "public"
    if public_release(release_id=image.release_id) is not None:
        return "public"
    if release_visible_to_user(user=user, release_id=image.release_id) is not None:
        return "private"
    return "withdrawn" if release_is_withdrawn(release_id=image.release_id) else "missing"
