"""Personalized message bytes: a valid RFC 5322 multipart/alternative with the headers bulk mail needs."""

from __future__ import annotations

import email
import email.policy
import email.utils
import uuid
from email.message import EmailMessage

from django.test import override_settings

from wireroom.distribution.channels.email import tokens
from wireroom.distribution.channels.email.message import MessageTemplate, OutgoingMessage, Recipient
from wireroom.distribution.channels.email.render import NAME, PREFERENCES_URL, UNSUBSCRIBE_URL

RELEASE_ID = uuid.UUID("0b9a3c1e-7f55-4b7a-9d0e-5f1f2b8e6a10")
PAYLOAD = {
    "subject": "Nahr Energy opens a solar-powered desalination plant with a subject line long enough to fold",
    "html": f'<p>Dear {NAME},</p><p>Ünïcode body.</p><a href="{UNSUBSCRIBE_URL}">u</a> '
            f'<a href="{PREFERENCES_URL}">p</a>\n',
    "text": f"Dear {NAME},\nÜnïcode body with a line that is long enough to need a soft line break in "
            f"quoted-printable.\nUnsubscribe: {UNSUBSCRIBE_URL}\n",
    "language": "en",
}


def _template(payload: dict[str, str] | None = None, wire_name: str = "Gulf Wire") -> MessageTemplate:
    return MessageTemplate(release_id=RELEASE_ID, version=3, language="en", payload=payload or PAYLOAD,
                           wire_name=wire_name, mail_from="newsdesk@gulfwire.example", mail_domain="gulfwire.example")


def _build(name: str = "Layla Haddad", address: str = "layla@example.com", delivery_id: int = 41,
           contact_id: int = 7, template: MessageTemplate | None = None) -> OutgoingMessage:
    return (template or _template()).build(Recipient(delivery_id, contact_id, name, address),
                                           "Sat, 28 Nov 2026 10:00:00 +0000")


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_message_is_multipart_alternative_with_encoded_utf8_parts() -> None:
    raw = _build().as_bytes()
    assert raw.isascii()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends only
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    message = _parse(raw)
    assert message.get_content_type() == "multipart/alternative"
    assert message["MIME-Version"] == "1.0"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    for part in parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
    assert not message.defects and not any(part.defects for part in parts)
    assert "Ünïcode body" in str(parts[0].get_content())
    assert "<p>Ünïcode body.</p>" in str(parts[1].get_content())


def test_a_mostly_non_latin_part_is_base64_and_a_latin_one_quoted_printable() -> None:
    arabic = dict(PAYLOAD, text="نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية " * 5 + NAME)
    message = _parse(_build(template=_template(arabic)).as_bytes())
    text, html = message.iter_parts()
    assert text["Content-Transfer-Encoding"] == "base64"
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert str(text.get_content()).startswith("نهر للطاقة")


def test_recipient_name_is_html_escaped_in_the_html_part_and_plain_in_the_text_part() -> None:
    name = 'Zoë <script>alert(1)</script> & "Co"'
    message = _parse(_build(name=name).as_bytes())
    text, html = (str(part.get_content()) for part in message.iter_parts())
    assert f"Dear {name}," in text
    assert "<p>Dear Zoë &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;,</p>" in html
    assert "<script>" not in html
    assert email.utils.parseaddr(str(message["To"])) == (name, "layla@example.com")


def test_a_name_with_a_line_break_cannot_add_a_header() -> None:
    raw = _build(name="Eve\r\nBcc: everyone@example.com").as_bytes()
    message = _parse(raw)
    assert message["Bcc"] is None
    assert email.utils.parseaddr(str(message["To"])) == ("Eve Bcc: everyone@example.com", "layla@example.com")


def test_non_ascii_subject_and_names_are_rfc2047_encoded() -> None:
    template = _template(dict(PAYLOAD, subject="نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية"), "وكالة الخليج")
    built = _build(name="ليلى حداد", template=template)
    assert built.header("Subject", ).startswith("=?utf-8?b?")  # type: ignore[union-attr]
    message = _parse(built.as_bytes())
    assert message["Subject"] == "نهر للطاقة تفتتح محطة تحلية تعمل بالطاقة الشمسية"
    assert email.utils.parseaddr(str(message["From"])) == ("وكالة الخليج", "newsdesk@gulfwire.example")
    assert email.utils.parseaddr(str(message["To"])) == ("ليلى حداد", "layla@example.com")


def test_a_long_ascii_subject_is_folded_and_reads_back_whole() -> None:
    built = _build()
    assert "\r\n " in built.header("Subject")  # type: ignore[operator]
    assert _parse(built.as_bytes())["Subject"] == PAYLOAD["subject"]


@override_settings(BASE_URL="https://wire.example")
def test_headers_carry_a_stable_message_id_one_click_unsubscribe_and_the_language() -> None:
    first, again = _build(), _build()
    message = _parse(first.as_bytes())
    assert message["Message-ID"] == f"<{RELEASE_ID}.3.7@gulfwire.example>" == again.message_id
    assert email.utils.parseaddr(str(message["From"])) == ("Gulf Wire", "newsdesk@gulfwire.example")
    assert email.utils.parsedate_to_datetime(str(message["Date"])).year == 2026
    assert message["Content-Language"] == "en"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"])
    assert unsubscribe.startswith("<https://wire.example/u/") and unsubscribe.endswith("/>")
    token = unsubscribe.removeprefix("<https://wire.example/u/").removesuffix("/>")
    assert tokens.contact_id_from_token(token) == 7


@override_settings(MAIL_DOMAIN="gulfwire.example")
def test_envelope_sender_is_a_signed_verp_address_naming_the_delivery_and_the_contact() -> None:
    built = _build(delivery_id=123_456_789, contact_id=86_000)
    local, _, domain = built.envelope_from.partition("@")
    assert domain == "gulfwire.example"
    assert local.startswith("bounces+") and len(local) <= 64
    ref = tokens.find_verp(built.envelope_from)
    assert ref == tokens.VerpRef(delivery_id=123_456_789, contact_id=86_000)
    assert tokens.find_verp(built.envelope_from.upper()) == ref  # MTAs may fold the case
    token = local.removeprefix("bounces+")
    forged = token.replace(token.split("-")[1], "2", 1)
    assert tokens.parse_verp_token(forged) is None


def test_contact_tokens_resist_forgery() -> None:
    token = tokens.contact_token(7)
    assert tokens.contact_id_from_token(token) == 7
    assert tokens.contact_id_from_token(token.replace("7.", "8.", 1)) is None
    assert tokens.contact_id_from_token("7") is None
    assert tokens.contact_id_from_token("x" * 500) is None


def test_an_international_domain_is_sent_in_punycode() -> None:
    built = _build(address="redaktion@zeitung-müller.de")
    assert built.envelope_to == "redaktion@xn--zeitung-mller-4ob.de" == "redaktion@" + "zeitung-müller.de".encode(
        "idna").decode()
    assert "<redaktion@xn--zeitung-mller-4ob.de>" in str(built.header("To"))


def test_a_contact_without_a_name_is_addressed_by_their_address() -> None:
    built = _build(name="")
    assert built.header("To") == "<layla@example.com>"
    text = str(_parse(built.as_bytes()).get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert "Dear layla@example.com," in text
