"""DKIM: rsa-sha256 and ed25519-sha256 signatures (relaxed/relaxed) that dkimpy verifies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.support.email import DkimKeys, write_dkim_keys
from tests.support.email import dkim_verifies as verifies
from wireroom.distribution.channels.email.dkim import SIGNED_HEADERS, DkimSigner, load_key, signer_from_settings
from wireroom.distribution.channels.email.message import MessageTemplate, OutgoingMessage, Recipient
from wireroom.distribution.channels.email.render import NAME, UNSUBSCRIBE_URL

DOMAIN = "gulfwire.example"
SELECTOR = "wr2026"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DkimKeys:
    return write_dkim_keys(tmp_path_factory.mktemp("dkim"))


@pytest.fixture
def signer(keys: DkimKeys) -> Iterator[DkimSigner]:
    with override_settings(DKIM_KEY_FILE=keys.rsa_path, DKIM_ED25519_KEY_FILE=keys.ed25519_path,
                           DKIM_SELECTOR=SELECTOR, MAIL_FROM=f"newsdesk@{DOMAIN}", MAIL_DOMAIN=DOMAIN):
        configured = signer_from_settings()
        assert configured is not None
        yield configured


def _dns(signer: DkimSigner) -> dict[bytes, bytes]:
    """The TXT records an operator publishes: the RSA key at the selector, the Ed25519 key at <selector>-ed25519."""
    return {f"{key.selector}._domainkey.{DOMAIN}.".encode(): key.dns_record().encode() for key in signer.keys}


def _message(name: str = "ليلى حداد") -> OutgoingMessage:
    payload = {
        "subject": "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية",
        "html": f'<p dir="rtl">مرحبا {NAME}</p>\n<p>.  a line that starts with a dot, and  two  spaces\t</p>\n'
                f'<a href="{UNSUBSCRIBE_URL}">إلغاء الاشتراك</a>\n',
        "text": f"مرحبا {NAME}\n.\n.. dots at line starts survive SMTP dot-stuffing   \n\n\n",
        "language": "ar",
    }
    template = MessageTemplate(release_id=uuid.UUID(int=5), version=2, language="ar", payload=payload,
                               wire_name="وكالة الخليج", mail_from=f"newsdesk@{DOMAIN}", mail_domain=DOMAIN)
    return template.build(Recipient(11, 22, name, "layla@example.com"), "Sat, 28 Nov 2026 10:00:00 +0000")


def test_dkim_signature_verifies_with_dkimpy(signer: DkimSigner) -> None:
    message = _message()
    signer.sign(message)
    raw = message.as_bytes()
    assert raw.startswith(b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gulfwire.example; s=wr2026;")
    assert verifies(raw, 0, _dns(signer))


def test_the_second_signature_is_ed25519_at_its_own_selector_and_verifies_with_dkimpy_too(
        signer: DkimSigner) -> None:
    message = _message()
    signer.sign(message)
    raw = message.as_bytes()
    assert raw.count(b"DKIM-Signature:") == 2
    second = raw.split(b"DKIM-Signature:")[2]
    assert second.startswith(b" v=1; a=ed25519-sha256; c=relaxed/relaxed; d=gulfwire.example; s=wr2026-ed25519;")
    assert signer.keys[1].dns_record().startswith("v=DKIM1; k=ed25519; p=")
    assert verifies(raw, 1, _dns(signer))
    assert not verifies(raw, 1, {})  # no key published, no pass


def test_a_changed_body_or_header_no_longer_verifies(signer: DkimSigner) -> None:
    message = _message()
    signer.sign(message)
    raw = message.as_bytes()
    records = _dns(signer)
    body_start = raw.index(b"\r\n\r\n") + 4
    tampered_body = raw[:body_start] + raw[body_start:].replace(b"Content-Type: text/html", b"Content-Type: text/x", 1)
    tampered_header = raw.replace(b"Date: Sat, 28 Nov 2026", b"Date: Sun, 29 Nov 2026")
    for index in (0, 1):
        assert verifies(raw, index, records)
        assert not verifies(tampered_body, index, records)
        assert not verifies(tampered_header, index, records)


def test_whitespace_changes_in_transit_are_tolerated_by_relaxed_canonicalization(signer: DkimSigner) -> None:
    message = _message()
    signer.sign(message)
    raw = message.as_bytes()
    refolded = raw.replace(b"MIME-Version: 1.0", b"MIME-Version:   1.0  ").replace(b"--\r\n", b"--\r\n\r\n\r\n")
    assert verifies(refolded, 0, _dns(signer)) and verifies(refolded, 1, _dns(signer))


def test_the_signature_covers_the_headers_bulk_mail_needs(signer: DkimSigner) -> None:
    message = _message()
    signer.sign(message)
    value = str(message.header("DKIM-Signature"))
    h_tag = value.split("h=", 1)[1].split(";", 1)[0]
    assert h_tag.split(":") == [name.lower() for name in SIGNED_HEADERS]
    assert "list-unsubscribe:list-unsubscribe-post" in h_tag


def test_keys_are_loaded_once(signer: DkimSigner) -> None:
    with override_settings(DKIM_SELECTOR=SELECTOR):
        assert signer_from_settings() is signer


def test_without_a_key_file_nothing_is_signed() -> None:
    with override_settings(DKIM_KEY_FILE=None, DKIM_ED25519_KEY_FILE=None):
        assert signer_from_settings() is None


def test_a_short_or_missing_key_is_refused_with_a_message_naming_the_setting(tmp_path: Path) -> None:
    short = tmp_path / "short.pem"
    short.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(ImproperlyConfigured, match=r"WIREROOM_DKIM_KEY_FILE: .* RSA-1024"):
        load_key(short, "DKIM_KEY_FILE", SELECTOR)
    with pytest.raises(ImproperlyConfigured, match="WIREROOM_DKIM_KEY_FILE: cannot read"):
        load_key(tmp_path / "absent.pem", "DKIM_KEY_FILE", SELECTOR)
