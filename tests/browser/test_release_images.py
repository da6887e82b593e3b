"""Images in Debian's Chromium: an issuer adds an image to a draft on its workspace page, is told beside the
field when the alternative text is missing, adds it with one, and once the release is out sees it on the
newsroom page in a <picture> with that alternative text. Screenshots are kept in the `artifacts` folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import sign_in
from tests.support.factories import member, release_input
from tests.support.images import photo
from wireroom.accounts.models import Organization, OrganizationKind, Role
from wireroom.media.models import ReleaseImage
from wireroom.releases import services

pytestmark = pytest.mark.browser
PASSWORD = "a long demo password"


@pytest.fixture
def page(refusing_page: Page) -> Page:
    # The test submits an image without its alternative text: the refused form's 422 is expected.
    return refusing_page


@pytest.mark.django_db(transaction=True)
def test_an_issuer_adds_an_image_with_alt_text_and_readers_see_it_once_published(
    page: Page, browser: Browser, live_server: Any, artifacts: Path, tmp_path: Path,
) -> None:
    issuer = Organization.objects.create(name="Nahr Energy", slug="nahr-energy", kind=OrganizationKind.ISSUER)
    wire = Organization.objects.create(name="Wireroom", slug="wire", kind=OrganizationKind.WIRE)
    author = member(issuer, "layla", Role.ISSUER_ADMIN)
    author.user.set_password(PASSWORD)
    author.user.save()
    editor = member(wire, "editor", Role.WIRE_EDITOR)
    release = services.release_create(by=author, data=release_input()).release
    picture = tmp_path / "plant.jpg"
    picture.write_bytes(photo("jpeg", size=(1800, 1200), gps=True))

    sign_in(page, live_server.url, "layla", PASSWORD, lands_on="/workspace/")
    page.goto(f"{live_server.url}/workspace/releases/{release.pk}/")
    page.set_input_files("#image-form input[name=image]", str(picture))
    page.click("#add-image")
    error = page.locator("#image-form .field.invalid .field-error")
    assert "alternative text is required" in error.inner_text()
    assert not ReleaseImage.objects.exists()
    page.screenshot(path=str(artifacts / "images-1-missing-alt-text.png"), full_page=True)

    page.set_input_files("#image-form input[name=image]", str(picture))
    page.fill("#image-form input[name=alt]", "The desalination plant at dusk, solar panels in front")
    page.fill("#image-form input[name=caption]", "The new plant in Jebel Ali")
    page.fill("#image-form input[name=credit]", "Nahr Energy")
    page.click("#add-image")
    page.wait_for_url(f"{live_server.url}/workspace/releases/{release.pk}/#images")
    thumbnail = page.locator(".image-list img")
    assert thumbnail.get_attribute("alt") == "The desalination plant at dusk, solar panels in front"
    # Loaded, or failed to load, before its size is read: read any sooner, an image on its way measures 0.
    page.wait_for_function("() => document.querySelector('.image-list img').complete")
    assert page.evaluate("() => document.querySelector('.image-list img').naturalWidth") > 0
    page.locator("#images").screenshot(path=str(artifacts / "images-2-added-in-the-workspace.png"))

    services.release_submit(release=release, by=author)
    services.release_start_review(release=release, by=editor)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=author)
    # A reader who is not signed in.
    reader = browser.new_page(viewport={"width": 1100, "height": 1400}, locale="en-US")
    reader.on("console", lambda message: pytest.fail(message.text) if message.type == "error" else None)
    reader.goto(f"{live_server.url}/releases/{release.pk}/{release.original_language_id}/")
    figure = reader.locator("figure.release-image")
    assert figure.locator("img").get_attribute("alt") == "The desalination plant at dusk, solar panels in front"
    assert figure.locator("source[type='image/webp']").count() == 1
    reader.wait_for_function("() => document.querySelector('figure.release-image img').complete")
    # Chromium picks the WebP rendition for the column's width, and it decodes.
    current = reader.evaluate("() => document.querySelector('figure.release-image img').currentSrc")
    assert current.endswith(".webp")
    assert reader.evaluate("() => document.querySelector('figure.release-image img').naturalWidth") > 0
    assert "The new plant in Jebel Ali" in figure.inner_text()
    figure.scroll_into_view_if_needed()
    reader.screenshot(path=str(artifacts / "images-3-on-the-newsroom-page.png"), full_page=True)
    reader.close()
