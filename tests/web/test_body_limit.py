"""Every address refuses a body over WIREROOM_MAX_BODY_BYTES with 413 before reading it (in the API's error
shape under /api/). The same through the real ASGI server, chunked bodies included: tests/ops/test_limits.py."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart

from tests.support.api import ApiClient
from tests.support.email import make_contact
from wireroom.audit.models import AuditEntry
from wireroom.distribution.channels.email import tokens
from wireroom.mediadb.models import Contact
from wireroom.releases.models import Release

TEN_MB = 10 * 1024 * 1024


@pytest.mark.django_db
def test_a_ten_megabyte_json_body_gets_413_in_the_api_error_shape(api: Callable[[str | None], ApiClient]) -> None:
    body = json.dumps({"headline": "x" * TEN_MB})
    response = api("issuer_admin").post("/api/v1/releases", raw=body)
    assert response.status_code == 413
    assert response.json() == {"error": {
        "code": "too_large", "message": "The request body is too large: at most 2,097,152 bytes are accepted.",
        "details": {"limit_bytes": 2097152}}}
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_a_ten_megabyte_form_gets_a_plain_413_page_not_a_400() -> None:
    response = Client().post("/accounts/login/", {"username": "x" * TEN_MB, "password": "p"})
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "The request body is too large" in response.content.decode()


@pytest.mark.django_db
def test_a_ten_megabyte_multipart_upload_is_refused_like_any_body() -> None:
    contact = make_contact("ines@example.com")
    upload = SimpleUploadedFile("big.bin", b"\0" * TEN_MB)
    body = encode_multipart("BoUnDaRy", {"action": "unsubscribe", "attachment": upload})
    response = Client().post(f"/preferences/{tokens.contact_token(contact.pk)}/", body,
                             content_type="multipart/form-data; boundary=BoUnDaRy")
    assert response.status_code == 413
    contact.refresh_from_db()
    assert contact.status == "active"
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_body_within_the_limit_goes_through() -> None:
    contact = make_contact("ines@example.com")
    response = Client().post(f"/preferences/{tokens.contact_token(contact.pk)}/",
                             {"action": "unsubscribe", "note": "x" * 1_000_000})
    assert response.status_code == 200
    assert Contact.objects.get(pk=contact.pk).status == "unsubscribed"
