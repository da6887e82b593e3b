"""DKIM signing (RFC 6376, relaxed/relaxed): rsa-sha256 with an RSA-2048 key at <DKIM_SELECTOR>, and optionally a
second ed25519-sha256 signature (RFC 8463) at <DKIM_SELECTOR>-ed25519. Keys are loaded once per process.

The messages are built here, so the headers are known exactly: each is canonicalized from its (name, value)
without parsing the message again.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wireroom.distribution.channels.email.message import OutgoingMessage

SIGNED_HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post",
                  "MIME-Version", "Content-Type")
_WSP = re.compile(r"[ \t]+")
_WSP_BYTES = re.compile(rb"[ \t]+")
_TRAILING_WSP = re.compile(rb"[ \t]+\r\n")
CRLF = "\r\n"


def relaxed_header(name: str, value: str) -> str:
    """RFC 6376 §3.4.2: lower-case name, unfolded value, runs of whitespace as one space, no space at the ends."""
    return f"{name.lower()}:{_WSP.sub(' ', value.replace(CRLF, '')).strip()}"


def relaxed_body(body: bytes) -> bytes:
    """RFC 6376 §3.4.4: no whitespace at line ends, runs of whitespace as one space, no empty lines at the end."""
    if b"\t" in body or b"  " in body or b" \r\n" in body:
        body = _TRAILING_WSP.sub(b"\r\n", body)
        body = _WSP_BYTES.sub(b" ", body)
    body = body.rstrip(b"\r\n")
    if body.endswith(b" ") or body.endswith(b"\t"):
        body = body.rstrip(b" \t")
    return body + b"\r\n" if body else b""


def _fold(value: str, width: int = 74) -> str:
    return (CRLF + " ").join(value[i:i + width] for i in range(0, len(value), width))


@dataclass(frozen=True)
class DkimKey:
    algorithm: str  # rsa-sha256 or ed25519-sha256
    private_key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
    selector: str  # where its public key is published: <selector>._domainkey.<domain>

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        # RFC 8463: Ed25519 (PureEdDSA) signs the SHA-256 hash of the data.
        return self.private_key.sign(hashlib.sha256(data).digest())

    def dns_record(self) -> str:
        """The TXT record to publish at <selector>._domainkey.<domain>."""
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode('ascii')}"
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return f"v=DKIM1; k=ed25519; p={base64.b64encode(raw).decode('ascii')}"


def ed25519_selector(selector: str) -> str:
    """A DNS name holds one key, so the Ed25519 key is published beside the RSA one under a selector of its own."""
    return f"{selector}-ed25519"


def load_key(path: Path, setting: str, selector: str) -> DkimKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"WIREROOM_{setting}: cannot read a PEM private key from {path}: {exc}") from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise ImproperlyConfigured(f"WIREROOM_{setting}: {path} is an RSA-{key.key_size} key; use 2048 bits")
        return DkimKey("rsa-sha256", key, selector)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return DkimKey("ed25519-sha256", key, selector)
    raise ImproperlyConfigured(f"WIREROOM_{setting}: {path} holds neither an RSA nor an Ed25519 private key")


class DkimSigner:
    def __init__(self, *, domain: str, keys: list[DkimKey]) -> None:
        self.domain = domain
        self.keys = keys
        self.h_tag = ":".join(name.lower() for name in SIGNED_HEADERS)

    def sign(self, message: OutgoingMessage, now: int | None = None) -> None:
        """Prepend one DKIM-Signature per key to `message.headers`."""
        by_name = {name.lower(): value for name, value in message.headers}
        missing = [name for name in SIGNED_HEADERS if name.lower() not in by_name]
        if missing:
            raise ValueError(f"cannot sign a message without {', '.join(missing)}")
        signed = "".join(relaxed_header(name, by_name[name.lower()]) + CRLF for name in SIGNED_HEADERS)
        body_hash = base64.b64encode(hashlib.sha256(relaxed_body(message.body)).digest()).decode("ascii")
        timestamp = int(time.time()) if now is None else now
        signatures: list[tuple[str, str]] = []
        for key in self.keys:
            value = (f"v=1; a={key.algorithm}; c=relaxed/relaxed; d={self.domain}; s={key.selector};{CRLF}"
                     f" t={timestamp}; h={self.h_tag};{CRLF} bh={body_hash};{CRLF} b=")
            data = (signed + relaxed_header("DKIM-Signature", value)).encode("ascii")
            signature = base64.b64encode(key.sign(data)).decode("ascii")
            signatures.append(("DKIM-Signature", value + _fold(signature)))
        message.headers[:0] = signatures


@lru_cache(maxsize=4)
def _signer(rsa_path: Path | None, ed25519_path: Path | None, selector: str, domain: str) -> DkimSigner | None:
    keys: list[DkimKey] = []
    if rsa_path is not None:
        keys.append(load_key(rsa_path, "DKIM_KEY_FILE", selector))
    if ed25519_path is not None:
        keys.append(load_key(ed25519_path, "DKIM_ED25519_KEY_FILE", ed25519_selector(selector)))
    return DkimSigner(domain=domain, keys=keys) if keys else None


def signer_from_settings() -> DkimSigner | None:
    """The signer for the configured keys, loaded once; None when DKIM is not configured."""
    return _signer(settings.DKIM_KEY_FILE, settings.DKIM_ED25519_KEY_FILE, settings.DKIM_SELECTOR,
                   settings.MAIL_DOMAIN)
