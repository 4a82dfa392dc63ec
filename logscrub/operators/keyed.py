"""Keyed primitives behind every pseudonym: HMAC-SHA256 with one sub-key per entity.

Without the key nobody can reverse or brute-force a pseudonym (a phone number has only
~10^10 possibilities, so an unkeyed hash would be reversible).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator


class KeyedStream:
    """Deterministic pseudo-random material derived from (sub-key, value)."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._subkey = hmac.new(key, b"logscrub/v1/" + purpose.encode(), hashlib.sha256).digest()

    def digest(self, value: str) -> bytes:
        return hmac.new(self._subkey, value.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()

    def hex(self, value: str, length: int) -> str:
        return self.digest(value).hex()[:length]

    def bytes_stream(self, value: str) -> Iterator[int]:
        counter = 0
        while True:
            block = hmac.new(
                self._subkey,
                counter.to_bytes(4, "big") + value.encode("utf-8", "surrogatepass"),
                hashlib.sha256,
            ).digest()
            yield from block
            counter += 1

    def below(self, stream: Iterator[int], bound: int) -> int:
        """A uniform integer in [0, bound) from the stream (rejection sampling, bound <= 65536)."""
        limit = 65536 - 65536 % bound
        while True:
            n = (next(stream) << 8) | next(stream)
            if n < limit:
                return n % bound
