"""Personalized message bytes for one recipient, fast: this runs once per journalist (86,000 times a release).

A `MessageTemplate` is built once per (release, version, language) from the RenderedItem: the encoded Subject
and From, the MIME skeleton, the two parts with their placeholders. `build` substitutes the recipient's name and
links by plain string replacement, encodes the two parts (quoted-printable or base64 UTF-8) and sets the
per-recipient headers; no `email.message.EmailMessage` is built per recipient.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import uuid
from dataclasses import dataclass
from typing import Any

from wireroom.distribution.channels.email import render, tokens

CRLF = "\r\n"
# Recipient data reaches headers: nothing in it may break a line.
_LINE_BREAKS = re.compile(r"[\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_ATEXT_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')
# An encoded-word is at most 75 characters: `=?utf-8?b?` + base64 of 45 bytes (60) + `?=`.
_ENCODED_WORD_BYTES = 45


def one_line(text: str) -> str:
    return " ".join(_LINE_BREAKS.sub(" ", text).split())


def encode_words(text: str) -> str:
    """RFC 2047 encoded-words (UTF-8, base64), split on character boundaries and folded."""
    words: list[bytes] = []
    chunk = b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > _ENCODED_WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    if chunk:
        words.append(chunk)
    return (CRLF + " ").join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def fold_ascii(text: str, first_line_room: int) -> str:
    """Fold an ASCII header value at spaces so lines stay near 78 characters."""
    lines: list[str] = []
    line = ""
    room = first_line_room
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line, room = word, 77
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return (CRLF + " ").join(lines)


def encode_unstructured(name: str, text: str) -> str:
    """A header value such as Subject: as it is when it is short plain ASCII, else RFC 2047-encoded."""
    text = one_line(text)
    if text.isascii() and "=?" not in text:
        return fold_ascii(text, 78 - len(name) - 2)
    return encode_words(text)


def idna_address(address: str) -> str:
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def format_address(display_name: str, address: str) -> str:
    """`Name <address>` with the name quoted or RFC 2047-encoded as it needs."""
    name = one_line(display_name)
    address = idna_address(address)
    if not name:
        return f"<{address}>"
    if not name.isascii():
        return f"{encode_words(name)} <{address}>"
    if "=?" in name:
        return f"{encode_words(name)} <{address}>"
    if _ATEXT_SPECIALS.search(name):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{address}>'
    return f"{name} <{address}>"


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", CRLF)


def _quoted_printable(data: bytes) -> bytes:
    return binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)


def _base64(data: bytes) -> bytes:
    # The CRLF before the next boundary belongs to the boundary, so the last line break is left off.
    return base64.encodebytes(data).rstrip(b"\n").replace(b"\n", b"\r\n")


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    contact_id: int
    name: str
    email: str


@dataclass
class OutgoingMessage:
    """One personalized message and its envelope. `headers` are (name, value) with values already encoded."""

    delivery_id: int
    envelope_from: str
    envelope_to: str
    message_id: str
    headers: list[tuple[str, str]]
    body: bytes

    def header_bytes(self) -> bytes:
        return "".join(f"{name}: {value}\r\n" for name, value in self.headers).encode("ascii")

    def as_bytes(self) -> bytes:
        return self.header_bytes() + b"\r\n" + self.body

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None


class _Part:
    """One text part: its MIME headers, its text with placeholders, and how it is encoded."""

    def __init__(self, content_type: str, text: str) -> None:
        self.text = _crlf(text)
        raw = self.text.encode("utf-8")
        non_ascii = sum(1 for byte in raw if byte > 127)
        # Quoted-printable keeps mostly-Latin text readable and small; base64 is smaller for Arabic, CJK, Thai.
        self.base64 = non_ascii * 6 > len(raw)
        self.encode = _base64 if self.base64 else _quoted_printable
        cte = "base64" if self.base64 else "quoted-printable"
        self.head = (f'Content-Type: {content_type}; charset="utf-8"{CRLF}'
                     f"Content-Transfer-Encoding: {cte}{CRLF}{CRLF}").encode("ascii")
        self.has_name = render.NAME in self.text
        self.has_unsubscribe = render.UNSUBSCRIBE_URL in self.text
        self.has_preferences = render.PREFERENCES_URL in self.text

    def personalize(self, name: str, unsubscribe_url: str, preferences_url: str) -> bytes:
        text = self.text
        if self.has_name:
            text = text.replace(render.NAME, name)
        if self.has_unsubscribe:
            text = text.replace(render.UNSUBSCRIBE_URL, unsubscribe_url)
        if self.has_preferences:
            text = text.replace(render.PREFERENCES_URL, preferences_url)
        return self.encode(text.encode("utf-8"))


class MessageTemplate:
    """Everything about a message that is the same for every recipient of one rendering."""

    def __init__(self, *, release_id: uuid.UUID, version: int, language: str, payload: dict[str, Any],
                 wire_name: str, mail_from: str, mail_domain: str) -> None:
        self.release_id = release_id
        self.version = version
        self.mail_domain = mail_domain
        self.language = str(payload.get("language") or language)
        self.subject = one_line(str(payload["subject"]))
        self.text = _Part("text/plain", str(payload["text"]))
        self.html = _Part("text/html", str(payload["html"]))
        boundary = f"=_wr_{uuid.uuid4().hex}"
        self.delimiter = f"--{boundary}\r\n".encode("ascii")
        self.between = f"\r\n--{boundary}\r\n".encode("ascii")
        self.closing = f"\r\n--{boundary}--\r\n".encode("ascii")
        self.from_header = format_address(wire_name, mail_from)
        self.subject_header = encode_unstructured("Subject", self.subject)
        self.content_type = f'multipart/alternative; boundary="{boundary}"'

    def message_id(self, contact_id: int) -> str:
        """Stable per (release, version, contact): a duplicate after a crash carries the same id."""
        return f"<{self.release_id}.{self.version}.{contact_id}@{self.mail_domain}>"

    def build(self, recipient: Recipient, date: str) -> OutgoingMessage:
        token = tokens.contact_token(recipient.contact_id)
        unsubscribe_url = tokens.unsubscribe_url(token)
        preferences_url = tokens.preferences_url(token)
        name = one_line(recipient.name)
        greeting = name or recipient.email  # "Sent to …" needs someone
        text = self.text.personalize(greeting, unsubscribe_url, preferences_url)
        body = self.html.personalize(html.escape(greeting), html.escape(unsubscribe_url),
                                     html.escape(preferences_url))
        message_id = self.message_id(recipient.contact_id)
        headers = [
            ("From", self.from_header),
            ("To", format_address(name, recipient.email)),
            ("Subject", self.subject_header),
            ("Date", date),
            ("Message-ID", message_id),
            ("MIME-Version", "1.0"),
            ("Content-Type", self.content_type),
            ("Content-Language", self.language),
            ("List-Unsubscribe", f"<{unsubscribe_url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ]
        return OutgoingMessage(
            delivery_id=recipient.delivery_id,
            envelope_from=tokens.verp_address(recipient.delivery_id, recipient.contact_id),
            envelope_to=idna_address(recipient.email),
            message_id=message_id,
            headers=headers,
            body=b"".join((self.delimiter, self.text.head, text, self.between, self.html.head, body, self.closing)),
        )
