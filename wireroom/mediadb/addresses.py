"""E-mail addresses as the media database compares them: one contact per address, whatever its case and
whichever spelling of an internationalized domain it came with."""

from __future__ import annotations

from dataclasses import dataclass

import idna
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

_validate = EmailValidator()


class BadAddress(ValueError):
    pass


@dataclass(frozen=True)
class Address:
    stored: str  # what the contact row keeps: the local part as written, the domain in its ASCII (IDNA) form
    key: str  # what two spellings of one address have in common


def _ascii_domain(domain: str) -> str:
    if domain.isascii():
        return domain.lower()
    return idna.encode(domain, uts46=True).decode("ascii")


def address_key(address: str) -> str:
    """The key of an address already stored, without judging it: lower case, the domain in IDNA form."""
    local, _, domain = address.strip().rpartition("@")
    try:
        domain = _ascii_domain(domain)
    except idna.IDNAError:
        domain = domain.lower()
    return f"{local.lower()}@{domain}"


def parse_address(value: str) -> Address:
    """Checks an address's syntax (no DNS: imports must not depend on the network) and normalizes it."""
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise BadAddress(f"not an e-mail address: {value!r} needs one @ with text on both sides")
    try:
        _validate(value)
    except ValidationError:
        raise BadAddress(f"not a valid e-mail address: {value!r}") from None
    try:
        domain = _ascii_domain(domain)
    except idna.IDNAError:
        raise BadAddress(f"not a valid domain name: {domain!r}") from None
    return Address(stored=f"{local}@{domain}", key=f"{local.lower()}@{domain}")
