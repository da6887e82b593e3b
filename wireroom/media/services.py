"""Adding and removing images. The picture is read and its renditions written before the transaction opens
(Pillow's work is slow and must not hold the release's lock); the row is then saved in a short transaction that
re-checks the release, and the files are removed again if that transaction fails, so nothing is half-saved."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import IO

from django.conf import settings
from django.db import transaction

from wireroom.accounts.models import ISSUING_KINDS, Membership, Organization, Role
from wireroom.audit.services import audit_record
from wireroom.lib.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from wireroom.lib.text import refuse_control_characters
from wireroom.media import files, images
from wireroom.media.models import OrganizationLogo, ReleaseImage
from wireroom.releases import permissions
from wireroom.releases.models import Release
from wireroom.releases.selectors import release_for
from wireroom.releases.services import ISSUER_EDITABLE, STAFF_EDITABLE

MAX_ALT = 1_000
MAX_IMAGES = 20


def _require_editable(release: Release, by: Membership) -> None:
    permissions.require_issuer_or_staff(by, release)
    editable = STAFF_EDITABLE if permissions.is_wire_staff(by) else ISSUER_EDITABLE
    if release.state not in editable:
        raise IllegalTransition("The release can no longer be edited, so its images cannot change.",
                                details={"state": release.state})


def _clean_text(alt: str, caption: str, credit: str) -> tuple[str, str, str]:
    alt, caption, credit = alt.strip(), caption.strip(), credit.strip()
    if not alt:
        raise InvalidInput("Describe the image for people who cannot see it: the alternative text is required.",
                           details={"field": "alt"})
    if len(alt) > MAX_ALT:
        raise InvalidInput(f"The alternative text is longer than {MAX_ALT} characters.", details={"field": "alt"})
    refuse_control_characters([("alt", alt, False), ("caption", caption, False), ("credit", credit, False)])
    return alt, caption, credit


def _stored(upload: IO[bytes]) -> tuple[uuid.UUID, images.Processed]:
    processed = images.process(upload, max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS)
    key = uuid.uuid4()
    files.write(key, processed.files)
    return key, processed


def release_image_add(*, by: Membership, release_id: uuid.UUID, upload: IO[bytes], alt: str, caption: str = "",
                      credit: str = "") -> ReleaseImage:
    """An image of the release, with its alternative text in the release's original language."""
    release = release_for(actor=by, release_id=release_id)
    _require_editable(release, by)
    alt, caption, credit = _clean_text(alt, caption, credit)
    key, processed = _stored(upload)
    try:
        with transaction.atomic():
            release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
            _require_editable(release, by)
            count = ReleaseImage.objects.filter(release=release).count()
            if count >= MAX_IMAGES:
                raise InvalidInput(f"A release has at most {MAX_IMAGES} images.", details={"field": "image"})
            image = ReleaseImage.objects.create(
                release=release, key=key, format=processed.format, width=processed.width, height=processed.height,
                renditions=processed.renditions, alt={release.original_language_id: alt}, caption=caption,
                credit=credit, position=count)
            audit_record(actor=by.user, organization=by.organization, action="release.image_add", target=release,
                         data={"image": str(key), "alt": alt, "caption": caption, "credit": credit})
    except BaseException:
        files.remove(key)
        raise
    return image


def release_image_remove(*, by: Membership, release_id: uuid.UUID, image_id: int) -> None:
    release = release_for(actor=by, release_id=release_id)
    with transaction.atomic():
        release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
        _require_editable(release, by)
        image = ReleaseImage.objects.filter(pk=image_id, release=release).first()
        if image is None:
            raise NotFound("No such image.")
        key = image.key
        image.delete()
        audit_record(actor=by.user, organization=by.organization, action="release.image_remove", target=release,
                     data={"image": str(key)})
        # The files go only once the row is gone for good.
        transaction.on_commit(lambda: files.remove(key))


def release_image_alts_set(*, by: Membership, release_id: uuid.UUID, language: str,
                           alts: Mapping[int, str]) -> list[ReleaseImage]:
    """The alternative texts of the release's images in one of its translations, by image id. A blank text removes
    that language's, so the page in that language shows the original's; the original's own is set with the image.
    All are checked before any is kept; the audit entry records each change before and after."""
    release = release_for(actor=by, release_id=release_id)
    _require_editable(release, by)
    cleaned: dict[int, str] = {}
    for image_id, text in alts.items():
        text = text.strip()
        if len(text) > MAX_ALT:
            raise InvalidInput(f"The alternative text is longer than {MAX_ALT} characters.",
                               details={"field": f"alt_{image_id}"})
        try:
            refuse_control_characters([("alt", text, False)])
        except InvalidInput as error:
            raise InvalidInput(error.message, details={"field": f"alt_{image_id}"}) from None
        cleaned[image_id] = text
    with transaction.atomic():
        release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
        _require_editable(release, by)
        if language == release.original_language_id:
            raise InvalidInput("The original language's alternative text is given with the image.",
                               details={"field": "language"})
        if not release.localizations.filter(language_id=language).exists():
            raise InvalidInput("Add the translation before its images' alternative text.",
                               details={"field": "language"})
        found = {image.pk: image for image in ReleaseImage.objects.filter(release=release, pk__in=cleaned)}
        if len(found) != len(cleaned):
            raise NotFound("No such image.")
        changed: dict[str, dict[str, str]] = {}
        for image_id, text in cleaned.items():
            image = found[image_id]
            before = image.alt.get(language, "")
            if before == text:
                continue
            if text:
                image.alt[language] = text
            else:
                image.alt.pop(language, None)
            image.save(update_fields=["alt"])
            changed[str(image.key)] = {"before": before, "after": text}
        if changed:
            audit_record(actor=by.user, organization=by.organization, action="release.image_alt", target=release,
                         data={"language": language, "images": changed})
    return list(found.values())


def _require_organization_admin(by: Membership) -> Organization:
    organization = by.organization
    if by.role != Role.ISSUER_ADMIN or organization.kind not in ISSUING_KINDS:
        raise NotAllowed("Only an admin of an issuing organization sets its logo.")
    return organization


def organization_logo_set(*, by: Membership, upload: IO[bytes]) -> OrganizationLogo:
    """The organization's logo, replacing the one before; its alternative text is the organization's name."""
    organization = _require_organization_admin(by)
    key, processed = _stored(upload)
    try:
        with transaction.atomic():
            old = OrganizationLogo.objects.select_for_update().filter(organization=organization).first()
            if old is not None:
                old_key = old.key
                old.delete()
                transaction.on_commit(lambda: files.remove(old_key))
            logo = OrganizationLogo.objects.create(
                organization=organization, key=key, format=processed.format, width=processed.width,
                height=processed.height, renditions=processed.renditions)
            audit_record(actor=by.user, organization=organization, action="organization.logo_set",
                         target=organization, data={"image": str(key)})
    except BaseException:
        files.remove(key)
        raise
    return logo


def organization_logo_remove(*, by: Membership) -> None:
    organization = _require_organization_admin(by)
    with transaction.atomic():
        logo = OrganizationLogo.objects.select_for_update().filter(organization=organization).first()
        if logo is None:
            return
        key = logo.key
        logo.delete()
        audit_record(actor=by.user, organization=organization, action="organization.logo_remove",
                     target=organization, data={"image": str(key)})
        transaction.on_commit(lambda: files.remove(key))
