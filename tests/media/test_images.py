"""Release images and organization logos: only real JPEG, PNG and WebP pictures are kept, bounded in bytes and
pixels, re-encoded without their metadata, in renditions; their files follow the release's visibility."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.support.images import bomb_png, photo, upload
from tests.support.standards import ninjs_errors
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.formats.ninjs import render
from wireroom.media.models import OrganizationLogo, ReleaseImage
from wireroom.releases import services
from wireroom.releases.models import Release

pytestmark = pytest.mark.django_db


def _client(actor: Membership) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def _add(client: Client, release: Release, data: bytes, kind: str = "jpeg", **fields: str) -> object:
    form = {"image": upload(data, kind), "alt": "The plant at dusk", "caption": "The new plant",
            "credit": "Nahr Energy"} | fields
    return client.post(f"/workspace/releases/{release.pk}/images/", form)


def _published(release: Release, actors: dict[str, Membership], *, embargo: bool = False) -> Release:
    author, editor = actors["issuer_admin"], actors["wire_editor"]
    services.release_submit(release=release, by=author)
    services.release_start_review(release=release, by=editor)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=author,
                             embargo_at=timezone.now() + dt.timedelta(hours=1) if embargo else None)
    release.refresh_from_db()
    return release


def _stored(image: ReleaseImage | OrganizationLogo, name: str) -> bytes:
    return (Path(settings.IMAGES_DIR) / str(image.key) / name).read_bytes()


def test_an_issuer_adds_an_image_with_alt_text_and_gets_renditions(make_release: Callable[..., Release],
                                                                   actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    response = _add(_client(actors["issuer_member"]), release, photo("jpeg", size=(2000, 1000)))
    assert response.status_code == 302  # type: ignore[attr-defined]
    image = ReleaseImage.objects.get(release=release)
    assert image.alt == {release.original_language_id: "The plant at dusk"}
    assert (image.caption, image.credit, image.format, image.width, image.height) == (
        "The new plant", "Nahr Energy", "jpeg", 2000, 1000)
    assert [(r["name"], r["width"], r["height"]) for r in image.renditions] == [
        ("320.webp", 320, 160), ("320.jpg", 320, 160), ("800.webp", 800, 400), ("800.jpg", 800, 400),
        ("1600.webp", 1600, 800), ("1600.jpg", 1600, 800)]
    for rendition in image.renditions:
        with Image.open(io.BytesIO(_stored(image, str(rendition["name"])))) as stored:
            assert stored.size == (rendition["width"], rendition["height"])
            assert Image.MIME[stored.format or ""] == rendition["type"]
    page = _client(actors["issuer_member"]).get(f"/workspace/releases/{release.pk}/").content.decode()
    assert 'alt="The plant at dusk"' in page and "320.webp 320w" in page


def test_a_small_image_is_never_enlarged(make_release: Callable[..., Release],
                                         actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    _add(_client(actors["issuer_admin"]), release, photo("png", size=(500, 300)), "png")
    image = ReleaseImage.objects.get(release=release)
    assert [(r["name"], r["width"]) for r in image.renditions] == [
        ("320.webp", 320), ("320.png", 320), ("500.webp", 500), ("500.png", 500)]


def test_gps_positions_and_other_exif_are_stripped_and_the_orientation_applied(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    original = photo("jpeg", size=(600, 400), gps=True, orientation=6)
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the GPS block is really in what is sent
    _add(_client(actors["issuer_admin"]), release, original)
    image = ReleaseImage.objects.get(release=release)
    # Orientation 6 means "turn 90°": the stored picture is upright, so portrait.
    assert (image.width, image.height) == (400, 600)
    for name in ["original.jpg", *(str(r["name"]) for r in image.renditions)]:
        data = _stored(image, name)
        assert b"Exif" not in data and b"Test camera" not in data
        with Image.open(io.BytesIO(data)) as stored:
            assert not stored.getexif()


def test_a_png_with_a_script_in_its_metadata_is_kept_without_it(make_release: Callable[..., Release],
                                                                actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    _add(_client(actors["issuer_admin"]), release, photo("png", size=(400, 300), text="<script>alert(1)</script>"),
         "png")
    image = ReleaseImage.objects.get(release=release)
    for name in ["original.png", *(str(r["name"]) for r in image.renditions)]:
        data = _stored(image, name)
        assert b"script" not in data and b"tEXt" not in data


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"alt": "  "}, "alt", "alternative text is required"),
    ({"image": upload(b"<html><script>alert(1)</script></html>", name="photo.jpg")}, "image",
     "not a JPEG, PNG or WebP image"),
    ({"image": upload(b"GIF89a" + b"\x00" * 40, name="anim.gif", content_type="image/gif")}, "image",
     "not a JPEG, PNG or WebP image"),
    ({"image": upload(bomb_png(), "png")}, "image", "too many pixels"),
])
def test_a_bad_image_form_is_answered_beside_its_field_and_saves_nothing(
        make_release: Callable[..., Release], actors: dict[str, Membership], fields: dict[str, object], field: str,
        message: str) -> None:
    release = make_release("draft")
    before = set(Path(settings.IMAGES_DIR).glob("*")) if Path(settings.IMAGES_DIR).exists() else set()
    response = _add(_client(actors["issuer_admin"]), release, photo(), **fields)  # type: ignore[arg-type]
    assert response.status_code == 422  # type: ignore[attr-defined]
    form = response.context["image_form"]  # type: ignore[attr-defined]
    assert message in " ".join(form.errors[field])
    assert 'class="field-error"' in response.content.decode()  # type: ignore[attr-defined]
    assert not ReleaseImage.objects.filter(release=release).exists()
    after = set(Path(settings.IMAGES_DIR).glob("*")) if Path(settings.IMAGES_DIR).exists() else set()
    assert after == before


def test_an_image_larger_than_the_setting_is_refused(make_release: Callable[..., Release],
                                                     actors: dict[str, Membership], settings: object) -> None:
    release = make_release("draft")
    data = photo(size=(800, 600))
    settings.IMAGE_MAX_BYTES = len(data) - 1  # type: ignore[attr-defined]
    response = _add(_client(actors["issuer_admin"]), release, data)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "too large" in " ".join(response.context["image_form"].errors["image"])  # type: ignore[attr-defined]
    assert not ReleaseImage.objects.exists()


def test_an_image_with_more_pixels_than_the_setting_is_refused(make_release: Callable[..., Release],
                                                               actors: dict[str, Membership],
                                                               settings: object) -> None:
    release = make_release("draft")
    settings.IMAGE_MAX_PIXELS = 1000 * 1000  # type: ignore[attr-defined]
    response = _add(_client(actors["issuer_admin"]), release, photo(size=(1001, 1000)))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert not ReleaseImage.objects.exists()


def test_an_issuer_cannot_add_or_remove_images_of_another_organizations_release(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    _add(_client(actors["issuer_admin"]), release, photo())
    image = ReleaseImage.objects.get(release=release)
    other = _client(actors["other_issuer_admin"])
    assert _add(other, release, photo()).status_code == 404  # type: ignore[attr-defined]
    assert other.post(f"/workspace/releases/{release.pk}/images/{image.pk}/remove/").status_code == 404
    assert ReleaseImage.objects.filter(release=release).count() == 1
    # Nor through a release of their own: the image id must belong to the release in the address.
    own = make_release("draft")
    own.issuer = actors["other_issuer_admin"].organization
    own.save()
    assert other.post(f"/workspace/releases/{own.pk}/images/{image.pk}/remove/").status_code == 404
    assert ReleaseImage.objects.filter(pk=image.pk).exists()
    # And the draft's files are not served to them.
    assert other.get(f"/media/images/{image.key}/320.jpg").status_code == 404


def test_an_issuer_removes_an_image_and_its_files_go(make_release: Callable[..., Release],
                                                     actors: dict[str, Membership],
                                                     django_capture_on_commit_callbacks: Any) -> None:
    release = make_release("draft")
    client = _client(actors["issuer_admin"])
    _add(client, release, photo())
    image = ReleaseImage.objects.get(release=release)
    folder = Path(settings.IMAGES_DIR) / str(image.key)
    assert folder.is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workspace/releases/{release.pk}/images/{image.pk}/remove/")
    assert response.status_code == 302
    assert not ReleaseImage.objects.exists()
    assert not folder.exists()


def test_images_cannot_change_once_the_release_is_submitted(make_release: Callable[..., Release],
                                                            actors: dict[str, Membership]) -> None:
    release = make_release("submitted")
    response = _add(_client(actors["issuer_admin"]), release, photo())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert not ReleaseImage.objects.exists()


def test_images_follow_the_releases_visibility(make_release: Callable[..., Release],
                                               actors: dict[str, Membership]) -> None:
    draft = make_release("draft")
    _add(_client(actors["issuer_admin"]), draft, photo())
    image = ReleaseImage.objects.get(release=draft)
    url = f"/media/images/{image.key}/800.webp"
    issuer, editor, public = _client(actors["issuer_member"]), _client(actors["wire_editor"]), Client()
    # A draft: its issuer and the wire's editors see it, privately; nobody else.
    for client in (issuer, editor):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, no-store"
    assert public.get(url).status_code == 404
    # Scheduled for an embargo an hour away: still not public.
    scheduled = _published(draft, actors, embargo=True)
    assert public.get(url).status_code == 404
    assert issuer.get(url).status_code == 200
    services.release_unschedule(release=scheduled, by=actors["issuer_admin"])
    released = Release.objects.get(pk=draft.pk)
    services.release_publish(release=released, by=actors["issuer_admin"])
    response = public.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"  # type: ignore[attr-defined]
    jpeg = public.get(f"/media/images/{image.key}/800.jpg")
    assert jpeg["Content-Type"] == "image/jpeg"
    # The newsroom shows it in a <picture> with its alt text.
    page = public.get(f"/releases/{draft.pk}/{draft.original_language_id}/").content.decode()
    assert "<picture>" in page and 'alt="The plant at dusk"' in page and 'type="image/webp"' in page
    services.release_withdraw(release=Release.objects.get(pk=draft.pk), by=actors["wire_editor"],
                              reason="Issued in error.")
    assert public.get(url).status_code == 410
    assert editor.get(url).status_code == 200
    # Names that are not the image's files are not served, whoever asks.
    for name in ("../secret_key", "original.gif", "999.webp"):
        assert editor.get(f"/media/images/{image.key}/{name}").status_code == 404


def test_an_issuer_admin_sets_the_logo_shown_on_the_newsroom_page(
        actors: dict[str, Membership], django_capture_on_commit_callbacks: Any) -> None:
    admin = _client(actors["issuer_admin"])
    response = admin.post("/workspace/organization/logo/", {"image": upload(photo("png", size=(600, 200)), "png")})
    assert response.status_code == 302
    logo = OrganizationLogo.objects.get(organization=actors["issuer_admin"].organization)
    page = Client().get("/en/issuers/nahr-energy/").content.decode()
    assert 'alt="Nahr Energy"' in page and f"/media/images/{logo.key}/" in page
    assert Client().get(f"/media/images/{logo.key}/320.png").status_code == 200
    # A new logo replaces the old one and its files.
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/workspace/organization/logo/", {"image": upload(photo("jpeg", size=(300, 100)))})
    assert OrganizationLogo.objects.count() == 1
    assert not (Path(settings.IMAGES_DIR) / str(logo.key)).exists()


def test_only_an_issuer_admin_sets_the_logo_and_a_bad_file_is_refused(actors: dict[str, Membership]) -> None:
    member = _client(actors["issuer_member"])
    assert member.post("/workspace/organization/logo/", {"image": upload(photo())}).status_code == 403
    admin = _client(actors["issuer_admin"])
    response = admin.post("/workspace/organization/logo/", {"image": upload(b"not an image", name="logo.png")})
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP image" in response.content.decode()
    assert not OrganizationLogo.objects.exists()
    assert Client().post("/workspace/organization/logo/", {}).status_code == 302


def test_the_ninjs_item_associates_its_images_with_renditions_and_alt_text(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    _add(_client(actors["issuer_admin"]), release, photo("png", size=(900, 600)), "png")
    image = ReleaseImage.objects.get(release=release)
    released = _published(release, actors)
    item = json.loads(render(release=released, version=None, language=None, action=None))
    assert ninjs_errors(item, "3.1") == []
    pictures = [a for a in item["associations"] if a["rel"] == "image"]
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture["type"] == "picture" and picture["uri"] == f"{released.urn}:image:{image.key}"
    assert {"role": "alternative-text", "contentType": "text/plain",
            "value": "The plant at dusk"} in picture["descriptions"]
    assert picture["by"] == "Nahr Energy"
    assert {(r["name"], r["contentType"], r["width"]) for r in picture["renditions"]} == {
        ("320.webp", "image/webp", 320), ("320.png", "image/png", 320), ("800.webp", "image/webp", 800),
        ("800.png", "image/png", 800), ("900.webp", "image/webp", 900), ("900.png", "image/png", 900),
        ("original", "image/png", 900)}
    for rendition in picture["renditions"]:
        href = rendition["href"]
        assert href.startswith(settings.BASE_URL + "/media/images/")
        answer = Client().get(href.removeprefix(settings.BASE_URL))
        assert answer.status_code == 200 and answer["Content-Type"] == rendition["contentType"]


def test_a_translation_gives_its_images_alt_text_in_its_own_language_shown_on_that_languages_page(
        make_release: Callable[..., Release], actors: dict[str, Membership]) -> None:
    release = make_release("draft")
    issuer = _client(actors["issuer_member"])
    _add(issuer, release, photo())
    image = ReleaseImage.objects.get(release=release)
    url = f"/workspace/releases/{release.pk}/localizations/fr/"
    page = issuer.get(url).content.decode()
    assert f'name="alt_{image.pk}"' in page and "The plant at dusk" in page, "the original's text beside the field"
    french = {"headline": "Nahr Energy inaugure une usine de dessalement solaire",
              "body_html": "<p>Nahr Energy a mis en service sa nouvelle usine.</p>", "translator": "Claire Martin"}

    # Refused by anyone but the release's issuer, and nothing kept.
    assert Client().post(url, french | {f"alt_{image.pk}": "x"}).status_code == 302
    assert _client(actors["wire_editor"]).post(url, french | {f"alt_{image.pk}": "x"}).status_code == 403
    assert _client(actors["other_issuer_admin"]).post(url, french | {f"alt_{image.pk}": "x"}).status_code == 404
    # Too long (the form) or holding a control character (the service, after the text was written): answered
    # beside the image's field, and neither the translation nor the alternative text is kept.
    for bad, message in (("x" * 1001, "at most 1000 characters"), ("L’usine\u0007", "control character")):
        response = issuer.post(url, french | {f"alt_{image.pk}": bad})
        html = response.content.decode()
        assert response.status_code == 422, bad
        assert re.search(rf'name="alt_{image.pk}".*?class="field-error">[^<]*{message}', html, re.S), message
        assert not release.localizations.filter(language="fr").exists()
        image.refresh_from_db()
        assert "fr" not in image.alt

    assert issuer.post(url, french | {f"alt_{image.pk}": "  L’usine au crépuscule "}).status_code == 302
    image.refresh_from_db()
    assert image.alt == {release.original_language_id: "The plant at dusk", "fr": "L’usine au crépuscule"}
    entry = AuditEntry.objects.get(action="release.image_alt")
    assert entry.data == {"language": "fr", "images": {
        str(image.key): {"before": "", "after": "L’usine au crépuscule"}}}
    assert "L’usine au crépuscule" in issuer.get(url).content.decode(), "the form shows what is kept"

    published = _published(release, actors)
    public = Client()
    assert 'alt="L’usine au crépuscule"' in public.get(f"/releases/{published.pk}/fr/").content.decode()
    english = public.get(f"/releases/{published.pk}/en/").content.decode()
    assert 'alt="The plant at dusk"' in english, "a language without its own falls back to the original's"
