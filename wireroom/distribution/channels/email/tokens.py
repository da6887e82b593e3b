"""The signed tokens e-mail carries: the contact token in unsubscribe and preference links, the sign-up token in
the confirmation link, and the VERP token in the envelope sender that brings a bounce back to its delivery and
contact.

Both are keyed by SECRET_KEY, so nobody can forge one to unsubscribe or bounce someone else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

_CONTACT_SIGNER_SALT = "wireroom.email.contact"
_SIGNUP_SALT = "wireroom.email.signup"
_VERP_SALT = "wireroom.email.verp"
# bounces+<delivery>-<contact>-<mac>@domain, every part lower-case base 36 / hex: MTAs may fold the case of the
# local part, and the whole local part stays well under RFC 5321's 64 characters.
VERP_PREFIX = "bounces+"
_VERP_TOKEN = re.compile(r"^([0-9a-z]{1,13})-([0-9a-z]{1,13})-([0-9a-f]{16})$")
_VERP_ADDRESS = re.compile(r"bounces\+([0-9a-z]{1,13}-[0-9a-z]{1,13}-[0-9a-f]{16})@", re.IGNORECASE)


def _contact_signer() -> signing.Signer:
    # One per key: every message of a fan-out signs its contact's token, and building a Signer reads settings.
    return _signer_for(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


@functools.lru_cache(maxsize=4)
def _signer_for(key: str, fallbacks: tuple[str, ...]) -> signing.Signer:
    return signing.Signer(key=key, fallback_keys=list(fallbacks), salt=_CONTACT_SIGNER_SALT, sep=".")


def contact_token(contact_id: int) -> str:
    """`<id>.<signature>`: URL-safe, without expiry (an unsubscribe link must keep working)."""
    return _contact_signer().sign(str(contact_id))


def contact_id_from_token(token: str) -> int | None:
    """The contact id a token was signed for, or None when it is not one of ours."""
    if len(token) > 200:
        return None
    try:
        value = _contact_signer().unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def signup_token(signup_id: int) -> str:
    """`<id>.<time>.<signature>`: the confirmation link's credential, which stops working after a while."""
    return signing.TimestampSigner(salt=_SIGNUP_SALT, sep=".").sign(str(signup_id))


def signup_id_from_token(token: str, *, max_age: timedelta) -> int | None:
    if len(token) > 200:
        return None
    try:
        value = signing.TimestampSigner(salt=_SIGNUP_SALT, sep=".").unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return int(value) if value.isdigit() else None


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _verp_mac(value: str) -> str:
    return salted_hmac(_VERP_SALT, value, algorithm="sha256").hexdigest()[:16]


def verp_token(delivery_id: int, contact_id: int) -> str:
    value = f"{_b36(delivery_id)}-{_b36(contact_id)}"
    return f"{value}-{_verp_mac(value)}"


def verp_address(delivery_id: int, contact_id: int) -> str:
    return f"{VERP_PREFIX}{verp_token(delivery_id, contact_id)}@{settings.MAIL_DOMAIN}"


@dataclass(frozen=True)
class VerpRef:
    delivery_id: int
    contact_id: int


def parse_verp_token(token: str) -> VerpRef | None:
    match = _VERP_TOKEN.match(token.strip().lower())
    if match is None:
        return None
    delivery, contact, mac = match.groups()
    if not constant_time_compare(mac, _verp_mac(f"{delivery}-{contact}")):
        return None
    return VerpRef(delivery_id=int(delivery, 36), contact_id=int(contact, 36))


def find_verp(text: str) -> VerpRef | None:
    """The first valid VERP address anywhere in `text` (a header value, an envelope address)."""
    for match in _VERP_ADDRESS.finditer(text):
        ref = parse_verp_token(match.group(1))
        if ref is not None:
            return ref
    return None


def unsubscribe_url(token: str) -> str:
    return f"{settings.BASE_URL}/u/{token}/"


def preferences_url(token: str) -> str:
    return f"{settings.BASE_URL}/preferences/{token}/"


def signup_confirm_url(token: str) -> str:
    return f"{settings.BASE_URL}/subscribe/confirm/{token}/"
