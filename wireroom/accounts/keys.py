"""What an API key looks like: its prefix, and the digest that is stored instead of the key."""

from __future__ import annotations

import hashlib

KEY_PREFIX = "wr_"


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
