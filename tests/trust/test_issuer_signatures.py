"""Issuer-signed releases: keys registered through the API, signatures checked on submission and on every edit,
and the signature state in ninjs, NewsML-G2 and the newsroom page. The issuer's side signs with jwcrypto."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from jwcrypto import jwk
from lxml import etree

from tests.support.api import ApiClient
from tests.support.factories import release_input
from tests.support.signing import kid_of, new_key, public_pem, release_payload, sign_detached, verifies
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.distribution.models import RenderedItem
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.models import Outlet, OutletType
from wireroom.releases import services
from wireroom.releases.models import Release
from wireroom.subscriptions.models import Channel, Subscription, WebhookEndpoint
from wireroom.trust.models import ReleaseSignature

pytestmark = pytest.mark.django_db
KEYS = "/api/v1/organizations/nahr-energy/signing-keys"
G2 = "{http://iptc.org/std/nar/2006-10-01/}"


def _payload_of(release: Release, **changes: str) -> bytes:
    original = release.localizations.get(language=release.original_language)
    fields = {"headline": original.headline, "summary": original.summary, "body_html": original.body_html} | changes
    return release_payload(urn=release.urn, language=original.language_id, **fields)


@pytest.fixture
def key(api: Callable[[str | None], ApiClient]) -> jwk.JWK:
    key = new_key()
    registered = api("issuer_admin").post(KEYS, {"public_key": public_pem(key), "label": "press office 2026"})
    assert registered.status_code == 201, registered.content
    assert registered.json()["kid"] == kid_of(key)
    return key


def test_a_signed_submission_travels_in_ninjs_newsml_g2_and_the_newsroom_page(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release],
        actors: dict[str, Membership], tmp_path: Path) -> None:
    issuer = api("issuer_admin")
    release = make_release("draft")
    document = issuer.get(f"/api/v1/releases/{release.id}/signature").json()
    assert document["state"] == "unsigned"
    # What the wire asks the issuer to sign is exactly the documented canonical form of the stored text.
    assert document["payload"].encode() == _payload_of(release)

    signature = sign_detached(key, _payload_of(release))
    submitted = issuer.post(f"/api/v1/releases/{release.id}/submit", {"signature": signature})
    assert submitted.status_code == 200, submitted.content
    item = submitted.json()["item"]
    assert item["trustIndicators"][0]["title"] == f"signed by Nahr Energy, key {kid_of(key)}"
    jws = {alt["role"]: alt["value"] for alt in item["altIds"]}
    assert jws["issuer-signature-kid"] == kid_of(key)

    document = issuer.get(f"/api/v1/releases/{release.id}/signature").json()
    assert document["state"] == "signed"
    assert verifies(document["jwk"], jws["issuer-signature"], document["payload"].encode())

    saved = tmp_path / "signature.json"
    saved.write_text(json.dumps(document))
    out = io.StringIO()
    call_command("verify", str(saved), stdout=out)
    assert out.getvalue().startswith(f"OK: signed by Nahr Energy, key {kid_of(key)}")
    saved.write_text(json.dumps(document | {"payload": document["payload"].replace("<p>", "<p>Not ", 1)}))
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify", str(saved))

    editor = actors["wire_editor"]
    services.release_start_review(release=release, by=editor)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=editor)
    g2 = etree.fromstring(issuer.get(f"/api/v1/releases/{release.id}", format="newsml-g2").content)
    extension = g2.find(f"{G2}itemMeta/{G2}itemMetaExtProperty")
    assert extension is not None
    assert extension.get("literal") == kid_of(key)
    assert verifies(json.loads(key.export_public()), extension.get("value", ""), _payload_of(release))
    page = Client().get(f"/releases/{release.id}/ar/")
    assert page.status_code == 200
    assert f"<bdi>Nahr Energy</bdi>، بالمفتاح <code dir=\"ltr\">{kid_of(key)}</code>" in page.content.decode()


def test_a_tampered_body_a_wrong_canonical_form_and_a_foreign_key_are_refused(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release]) -> None:
    issuer = api("issuer_admin")
    release = make_release("draft")
    original = json.loads(_payload_of(release))
    attempts = {
        "tampered body": sign_detached(key, _payload_of(release, body_html="<p>Profits tripled.</p>")),
        # The same members, but not in RFC 8785 form (spaces, members unsorted).
        "wrong canonical form": sign_detached(key, json.dumps(original, ensure_ascii=False).encode()),
        "unregistered key": sign_detached(new_key(), _payload_of(release)),
        "not a JWS": "eyJhbGciOiJub25lIn0..",
    }
    for what, signature in attempts.items():
        refused = issuer.post(f"/api/v1/releases/{release.id}/submit", {"signature": signature})
        assert refused.status_code == 422, what
        assert refused.json()["error"]["message"], what
    release.refresh_from_db()
    assert release.state == "draft"
    assert not ReleaseSignature.objects.exists()


def test_a_revoked_key_signs_nothing_new_and_its_old_signatures_say_so(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release]) -> None:
    issuer = api("issuer_admin")
    signed, later = make_release("draft"), make_release("draft")
    assert issuer.post(f"/api/v1/releases/{signed.id}/submit",
                       {"signature": sign_detached(key, _payload_of(signed))}).status_code == 200
    revoked = issuer.post(f"{KEYS}/{kid_of(key)}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert issuer.post(f"{KEYS}/{kid_of(key)}/revoke").status_code == 409

    refused = issuer.post(f"/api/v1/releases/{later.id}/submit", {"signature": sign_detached(key, _payload_of(later))})
    assert refused.status_code == 422
    assert "revoked" in refused.json()["error"]["message"]
    document = issuer.get(f"/api/v1/releases/{signed.id}/signature").json()
    assert document["state"] == "signed" and document["key_revoked"] is True
    # Rotation: a new key signs where the revoked one no longer can.
    rotated = new_key()
    assert issuer.post(KEYS, {"public_key": rotated.export_public()}).status_code == 201
    assert issuer.post(f"/api/v1/releases/{later.id}/submit",
                       {"signature": sign_detached(rotated, _payload_of(later))}).status_code == 200
    assert [k["kid"] for k in issuer.get(KEYS).json()] == [kid_of(rotated), kid_of(key)]


def test_an_issuer_that_requires_signatures_has_unsigned_submissions_refused(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release]) -> None:
    issuer = api("issuer_admin")
    assert issuer.put("/api/v1/organizations/nahr-energy/signing-policy",
                      {"require_signatures": True}).json() == {"require_signatures": True}
    release = make_release("draft")
    refused = issuer.post(f"/api/v1/releases/{release.id}/submit")
    assert refused.status_code == 422
    assert "requires every release to be signed" in refused.json()["error"]["message"]
    release.refresh_from_db()
    assert release.state == "draft"
    assert issuer.post(f"/api/v1/releases/{release.id}/submit",
                       {"signature": sign_detached(key, _payload_of(release))}).status_code == 200


def test_every_edit_is_checked_an_edit_of_the_signed_text_needs_a_new_signature(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release]) -> None:
    issuer, editor = api("issuer_admin"), api("wire_editor")
    issuer.put("/api/v1/organizations/nahr-energy/signing-policy", {"require_signatures": True})
    release = make_release("draft")
    assert issuer.post(f"/api/v1/releases/{release.id}/submit",
                       {"signature": sign_detached(key, _payload_of(release))}).status_code == 200

    # A translation is not signed: editing it keeps the signature.
    kept = editor.patch(f"/api/v1/releases/{release.id}", {"localizations": [
        {"language": "en", "headline": "Nahr Energy switches on a solar desalination plant",
         "body_html": "<p>Reworded.</p>", "origin": "human", "translated_from": "ar", "translator": "L. Haddad"}]})
    assert kept.status_code == 200, kept.content
    assert ReleaseSignature.objects.filter(release=release).exists()

    change = {"language": "ar", "headline": "نهر للطاقة تفتتح محطة تحلية جديدة", "body_html": "<p>نص معدّل.</p>"}
    refused = editor.patch(f"/api/v1/releases/{release.id}", {"localizations": [change]})
    assert refused.status_code == 422
    release.refresh_from_db()
    assert release.localizations.get(language="ar").headline != change["headline"]

    resigned = sign_detached(key, _payload_of(release, headline=change["headline"], summary="",
                                              body_html=change["body_html"]))
    accepted = editor.patch(f"/api/v1/releases/{release.id}", {"localizations": [change], "signature": resigned})
    assert accepted.status_code == 200, accepted.content
    assert ReleaseSignature.objects.get(release=release).jws == resigned


def test_an_edit_of_a_signed_draft_without_a_signature_leaves_it_unsigned(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release]) -> None:
    issuer = api("issuer_admin")
    release = make_release("draft")
    assert issuer.patch(f"/api/v1/releases/{release.id}",
                        {"signature": sign_detached(key, _payload_of(release))}).status_code == 200
    assert ReleaseSignature.objects.filter(release=release).exists()
    edited = issuer.patch(f"/api/v1/releases/{release.id}", {"localizations": [
        {"language": "ar", "headline": "عنوان جديد", "body_html": "<p>نص جديد.</p>"}]})
    assert edited.status_code == 200
    assert edited.json()["item"]["trustIndicators"][0]["title"] == "unsigned"
    assert "altIds" not in edited.json()["item"]


@pytest.mark.parametrize(("role", "status"), [("issuer_member", 403), ("other_issuer_admin", 404)])
def test_only_the_issuers_admins_and_the_wire_manage_its_keys(
        api: Callable[[str | None], ApiClient], role: str, status: int) -> None:
    client = api(role)
    assert client.post(KEYS, {"public_key": new_key().export_public()}).status_code == status
    assert client.get(KEYS).status_code == status
    assert client.put("/api/v1/organizations/nahr-energy/signing-policy",
                      {"require_signatures": True}).status_code == status
    assert api("wire_editor").post(KEYS, {"public_key": new_key().export_public()}).status_code == 201


@pytest.mark.parametrize("public_key", [
    "not a key", '{"kty": "OKP", "crv": "X25519", "x": "AAAA"}', "AAAA",
    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
])
def test_a_key_that_is_not_an_ed25519_public_key_is_refused(
        api: Callable[[str | None], ApiClient], public_key: str) -> None:
    refused = api("issuer_admin").post(KEYS, {"public_key": public_key})
    assert refused.status_code == 422
    assert refused.json()["error"]["message"]


def test_a_private_jwk_and_a_key_registered_twice_are_refused(api: Callable[[str | None], ApiClient]) -> None:
    issuer = api("issuer_admin")
    key = new_key()
    assert issuer.post(KEYS, {"public_key": key.export_private()}).status_code == 422
    assert issuer.post(KEYS, {"public_key": key.export_public()}).status_code == 201
    assert issuer.post(KEYS, {"public_key": public_pem(key)}).status_code == 422
    assert AuditEntry.objects.filter(action="trust.key_register").count() == 1


def test_a_signature_over_a_release_without_its_original_text_is_refused(
        actors: dict[str, Membership], key: jwk.JWK) -> None:
    release = services.release_create(by=actors["issuer_admin"], data=release_input(localizations=[])).release
    with pytest.raises(InvalidInput, match="nothing to sign"):
        services.release_update(release=release, by=actors["issuer_admin"], data=services.ReleaseInput(),
                                signature=sign_detached(key, b"{}"))




def test_a_key_of_another_algorithm_is_refused_with_the_reason(api: Callable[[str | None], ApiClient]) -> None:
    p256 = jwk.JWK.generate(kty="EC", crv="P-256")
    refused = api("issuer_admin").post(KEYS, {"public_key": public_pem(p256)})
    assert refused.status_code == 422
    assert "not an Ed25519 key" in refused.json()["error"]["message"]


def test_the_desk_shows_each_submission_signed_by_its_issuer_and_key_or_unsigned(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release],
        actors: dict[str, Membership]) -> None:
    signed, unsigned = make_release("draft"), make_release("submitted")
    answer = api("issuer_admin").post(f"/api/v1/releases/{signed.id}/submit",
                                      {"signature": sign_detached(key, _payload_of(signed))})
    assert answer.status_code == 200, answer.content
    desk = Client()
    desk.force_login(actors["wire_editor"].user)
    html = desk.get(f"/desk/releases/{signed.id}/").content.decode()
    assert f'Signed by <bdi>Nahr Energy</bdi>, key <code dir="ltr">{kid_of(key)}</code>' in html
    html = desk.get(f"/desk/releases/{unsigned.id}/").content.decode()
    assert '<p class="signature">Unsigned</p>' in html


def _ninjs_items(payload: Any) -> list[dict[str, Any]]:
    """The ninjs items in a stored rendering: the item itself, or the one a webhook payload carries as `data`."""
    if isinstance(payload, dict) and "trustIndicators" in payload:
        return [payload]
    if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
        return _ninjs_items(payload["data"])
    return []


def test_a_correction_that_comes_with_a_new_signature_goes_out_signed_in_the_pushed_items(
        api: Callable[[str | None], ApiClient], key: jwk.JWK, make_release: Callable[..., Release],
        actors: dict[str, Membership]) -> None:
    outlet = Outlet.objects.create(name="Gulf Daily", type=OutletType.NEWSPAPER, country_id="AE")
    endpoint = WebhookEndpoint.objects.create(outlet=outlet, url="https://hooks.example/wire",
                                              secrets=["whsec_c2VjcmV0"])
    Subscription.objects.create(outlet=outlet, endpoint=endpoint, channel=Channel.WEBHOOK)
    release = make_release("draft")
    assert api("issuer_admin").post(f"/api/v1/releases/{release.id}/submit",
                                    {"signature": sign_detached(key, _payload_of(release))}).status_code == 200
    editor = actors["wire_editor"]
    services.release_start_review(release=release, by=editor)
    services.release_approve(release=release, by=editor)
    services.release_publish(release=release, by=editor)
    release.refresh_from_db()
    assert release.version == 1

    change = {"language": "ar", "headline": "نهر للطاقة تفتتح محطة تحلية مصححة", "body_html": "<p>نص مصحح.</p>"}
    resigned = sign_detached(key, _payload_of(release, headline=change["headline"], summary="",
                                              body_html=change["body_html"]))
    corrected = api("wire_editor").post(f"/api/v1/releases/{release.id}/correct", {
        "note": "Corrected the headline.", "localizations": [change], "signature": resigned})
    assert corrected.status_code == 200, corrected.content

    pushed = RenderedItem.objects.filter(release=release, version=2).exclude(format="").values_list("payload",
                                                                                                      flat=True)
    items = [item for payload in pushed for item in _ninjs_items(payload)]
    assert items, "the correction pushed no ninjs item"
    for item in items:
        assert item["trustIndicators"][0]["title"] == f"signed by Nahr Energy, key {kid_of(key)}"
        assert {alt["role"]: alt["value"] for alt in item["altIds"]}["issuer-signature"] == resigned
