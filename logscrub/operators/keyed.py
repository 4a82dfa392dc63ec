"""Keyed primitives behind every pseudonym: HMAC-SHA256 with one sub-key per entity.

Without the key nobody can reverse or brute-force a pseudonym (a phone number has only
~10^10 possibilities, so an unkeyed hash would be reversible).
"""

from __future__ import annotations

import hashlib
import hmac


class KeyedStream:
    """Deterministic pseudo-random material derived from (sub-key, value)."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._subkey = hmac.new(key, b"logscrub/v1/" + purpose.encode(), hashlib.sha256).digest()

    def digest(self, value: str) -> bytes:
        return hmac.new(self._subkey, value.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()

    def hex(self, value: str, length: int) -> str:
        return self.digest(value).hex()[:length]
