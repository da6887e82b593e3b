"""Issuer signing keys in the workspace: an issuer admin registers Ed25519 public keys (PEM or JWK), sees their
fingerprints, revokes them and requires signatures; closed to members, to anonymous visitors and to other
organizations; a malformed or RSA key is refused beside the field."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from tests.support.signing import kid_of, new_key, public_pem, release_payload, sign_detached
from wireroom.accounts.models import Membership
from wireroom.audit.models import AuditEntry
from wireroom.releases import services as release_services
from wireroom.releases.models import Release
from wireroom.trust import services
from wireroom.trust.models import IssuerKey
from wireroom.trust.selectors import signatures_required

pytestmark = pytest.mark.django_db
PAGE = "/workspace/organization/"
CREATE = "/workspace/organization/signing-keys/"
POLICY = "/workspace/organization/signing-policy/"


def _client(actor: Membership) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_an_issuer_admin_registers_keys_as_pem_and_jwk_sees_their_fingerprints_and_revokes_one(
    actors: dict[str, Membership],
) -> None:
    admin = _client(actors["issuer_admin"])
    pem_key, jwk_key = new_key(), new_key()
    answer = admin.post(CREATE, {"label": "Press office 2026", "public_key": public_pem(pem_key)})
    assert answer.status_code == 302
    public_jwk = json.loads(jwk_key.export_public())
    assert admin.post(CREATE, {"label": "", "public_key": json.dumps(public_jwk)}).status_code == 302
    page = admin.get(PAGE).content.decode()
    # The fingerprint is the RFC 7638 thumbprint, as jwcrypto computes it.
    assert f'<code class="fingerprint">{kid_of(pem_key)}</code>' in page
    assert f'<code class="fingerprint">{kid_of(jwk_key)}</code>' in page
    assert "<bdi>Press office 2026</bdi>" in page

    key = IssuerKey.objects.get(kid=kid_of(pem_key))
    assert admin.post(f"/workspace/organization/signing-keys/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEntry.objects.filter(action="trust.key_revoke").count() == 1
    # Revoked twice: said so, nothing changes.
    again = admin.post(f"/workspace/organization/signing-keys/{key.pk}/revoke/", follow=True)
    assert "is revoked already" in again.content.decode()


def test_a_malformed_key_an_rsa_key_and_a_key_registered_twice_are_refused_beside_the_field(
    actors: dict[str, Membership],
) -> None:
    admin = _client(actors["issuer_admin"])
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    for bad in ("not a key", rsa_pem, '{"kty": "RSA", "n": "AQAB", "e": "AQAB"}', ""):
        answer = admin.post(CREATE, {"label": "Bad", "public_key": bad})
        assert answer.status_code == 422, bad
        html = answer.content.decode()
        field = html[html.index('<label for="id_public_key">'):]
        field = field[:field.index("</p>")]
        assert 'class="field-error"' in field, bad
    assert "RSA and other kinds of keys are not accepted" in admin.post(
        CREATE, {"public_key": rsa_pem}).content.decode()
    assert IssuerKey.objects.count() == 0

    key = new_key()
    assert admin.post(CREATE, {"public_key": public_pem(key)}).status_code == 302
    twice = admin.post(CREATE, {"public_key": public_pem(key)})
    assert twice.status_code == 422 and "This key is registered already." in twice.content.decode()
    assert IssuerKey.objects.count() == 1


def test_the_french_page_says_so_in_french(actors: dict[str, Membership]) -> None:
    admin = _client(actors["issuer_admin"])
    answer = admin.post(CREATE, {"public_key": "pas une clé"}, headers={"Accept-Language": "fr"})
    html = answer.content.decode()
    assert "Clés de signature" in html and "Ce n’est pas une clé publique Ed25519." in html


def test_requiring_signatures_refuses_an_unsigned_submission_and_accepts_a_signed_one(
    actors: dict[str, Membership], make_release: Callable[..., Release],
) -> None:
    admin = _client(actors["issuer_admin"])
    key = new_key()
    admin.post(CREATE, {"public_key": public_pem(key)})
    assert admin.post(POLICY, {"require_signatures": "on"}).status_code == 302
    organization = actors["issuer_admin"].organization
    assert signatures_required(organization=organization)
    assert 'name="require_signatures" id="id_require_signatures" checked' in admin.get(PAGE).content.decode()

    draft = make_release("draft")
    refused = admin.post(f"/workspace/releases/{draft.pk}/submit/", follow=True)
    draft.refresh_from_db()
    assert draft.state == "draft", refused.content.decode()[:500]
    original = draft.localizations.get(language_id=draft.original_language_id)
    signature = sign_detached(key, release_payload(urn=draft.urn, language=original.language_id,
                                                   headline=original.headline, summary=original.summary,
                                                   body_html=original.body_html))
    release_services.release_submit(release=draft, by=actors["issuer_admin"], signature=signature)
    draft.refresh_from_db()
    assert draft.state == "submitted"

    assert admin.post(POLICY, {}).status_code == 302
    assert not signatures_required(organization=organization)


def test_members_anonymous_visitors_and_other_organizations_cannot_touch_the_keys(
    actors: dict[str, Membership],
) -> None:
    theirs = services.issuer_key_register(by=actors["other_issuer_admin"],
                                          organization=actors["other_issuer_admin"].organization,
                                          public_key=public_pem(new_key()))
    revoke = f"/workspace/organization/signing-keys/{theirs.pk}/revoke/"
    body = {"public_key": public_pem(new_key())}
    for url, data in ((CREATE, body), (POLICY, {"require_signatures": "on"}), (revoke, {})):
        assert Client().post(url, data)["Location"].startswith("/accounts/login/"), url
        assert _client(actors["issuer_member"]).post(url, data).status_code == 403, url
    assert _client(actors["issuer_admin"]).post(revoke).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert IssuerKey.objects.count() == 1
    assert not signatures_required(organization=actors["issuer_member"].organization)
    assert theirs.kid not in _client(actors["issuer_admin"]).get(PAGE).content.decode()
