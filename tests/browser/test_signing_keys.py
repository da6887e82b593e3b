"""Signing keys in the workspace, in Debian's Chromium: an issuer admin pastes an RSA key and is told why beside
the field, registers an Ed25519 key, sees its fingerprint, requires signatures and revokes the key; the same
section in Arabic, right to left. Screenshots are kept in the `artifacts` folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import Page

from tests.support.browser import sign_in
from tests.support.factories import member
from tests.support.signing import kid_of, new_key, public_pem
from wireroom.accounts.models import Organization, OrganizationKind, Role
from wireroom.trust.models import IssuerKey
from wireroom.trust.selectors import signatures_required

pytestmark = pytest.mark.browser
PASSWORD = "a long demo password"


def test_an_issuer_admin_registers_a_key_sees_its_fingerprint_requires_signatures_and_revokes_it(
    refusing_page: Page, live_server: Any, artifacts: Path,
) -> None:
    page = refusing_page
    issuer = Organization.objects.create(name="Nahr Energy", slug="nahr-energy", kind=OrganizationKind.ISSUER)
    user = member(issuer, "layla", Role.ISSUER_ADMIN).user
    user.set_password(PASSWORD)
    user.save()
    sign_in(page, live_server.url, "layla", PASSWORD, lands_on="/workspace/")
    page.goto(f"{live_server.url}/workspace/organization/#signing-heading")

    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    page.fill("#id_public_key", rsa_pem)
    page.click("text=Register the key")
    error = page.locator("#id_public_key ~ .field-error")
    assert "RSA and other kinds of keys are not accepted" in error.inner_text()
    page.locator("#signing").screenshot(path=artifacts / "workspace-signing-keys-refused-en.png")

    key = new_key()
    page.fill("#id_label", "Press office 2026")
    page.fill("#id_public_key", public_pem(key))
    page.click("text=Register the key")
    page.wait_for_selector(".fingerprint")
    assert page.locator(".fingerprint").inner_text() == kid_of(key)
    page.check("#id_require_signatures")
    page.click("text=Save the setting")
    page.wait_for_selector(".messages >> text=Signatures are now required.")
    assert signatures_required(organization=issuer)
    page.locator("#signing").screenshot(path=artifacts / "workspace-signing-keys-en.png")

    page.select_option("#layout-language", "ar")
    page.click(".language-choice button")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/workspace/organization/#signing-heading")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("#signing-heading").inner_text() == "مفاتيح التوقيع"
    # The fingerprint stays left to right inside the right-to-left page.
    assert page.locator(".fingerprint").evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.locator("#signing").screenshot(path=artifacts / "workspace-signing-keys-required-ar.png")
    page.locator("#signing button.danger").click()
    page.wait_for_load_state()
    assert IssuerKey.objects.get(kid=kid_of(key)).revoked_at is not None
