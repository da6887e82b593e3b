"""What a pre-positioned partner does with an envelope (docs/trust.md), with `cryptography` only."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def opened(envelope: dict[str, Any], key: bytes) -> bytes:
    """The plaintext; InvalidTag for a wrong key or an envelope moved to another release, version or embargo. The
    envelope's other members, canonical, are the associated data."""
    aad = json.dumps({name: value for name, value in envelope.items() if name != "ciphertext"},
                     sort_keys=True, separators=(",", ":")).encode()
    return AESGCM(key).decrypt(base64.b64decode(envelope["nonce"]), base64.b64decode(envelope["ciphertext"]), aad)
