"""Keyed permutations of integer ranges: the bijections behind format-preserving pseudonyms.

A pseudonym that keeps a value's format lives in a small space (a phone number's
subscriber digits, a MAC's device half, an octet), where independent hashes collide
(the birthday bound is ~4,000 values for a MAC's 24 bits). A permutation of the space
cannot collide: distinct inputs always get distinct pseudonyms.

`KeyedPermutation.forward` is a balanced Feistel network over the smallest even number of
bits that holds the range, with keyed BLAKE2b as round function, cycle-walked back into
the range (format-preserving encryption in the manner of FF1; this is not a standard
cipher, and needs to be none: pseudonyms must be unpredictable and stable, not decryptable
by anyone). `derange` turns it into a permutation without fixed points, so a pseudonym
never equals its original, by conjugating the cycle x -> x + 1: derange(x) =
inverse(forward(x) + 1). That permutation is one cycle through the whole range, so
walking it from a value until some condition holds (a valid phone number, a public
address) visits every value before coming back: cycle walking with it stays a bijection
on the values that meet the condition and never returns the input.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

_ROUNDS = 8
# Half of 256 bits fits the round function's 128-bit output.
_MAX_DOMAIN = 1 << 256


class KeyedPermutation:
    """Permutations of [0, n) chosen by (key, purpose, tweak); the same arguments give the
    same permutation in every process."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._key = hmac.new(key, b"logscrub/v1/fpe/" + purpose.encode(), hashlib.sha256).digest()

    def _round(self, tweak: bytes, index: int, half: int, bits: int) -> int:
        digest = hashlib.blake2b(
            tweak + index.to_bytes(1, "big") + half.to_bytes(16, "big"), key=self._key, digest_size=16
        ).digest()
        return int.from_bytes(digest, "big") & ((1 << bits) - 1)

    @staticmethod
    def _half_bits(n: int) -> int:
        bits = max(2, (n - 1).bit_length())
        return (bits + 1) // 2

    def _encrypt(self, x: int, half: int, tweak: bytes) -> int:
        mask = (1 << half) - 1
        left, right = x >> half, x & mask
        for index in range(_ROUNDS):
            left, right = right, left ^ self._round(tweak, index, right, half)
        return (left << half) | right

    def _decrypt(self, y: int, half: int, tweak: bytes) -> int:
        mask = (1 << half) - 1
        left, right = y >> half, y & mask
        for index in reversed(range(_ROUNDS)):
            left, right = right ^ self._round(tweak, index, left, half), left
        return (left << half) | right

    @staticmethod
    def _tweak(n: int, tweak: str) -> bytes:
        data = tweak.encode("utf-8", "surrogatepass")
        return n.to_bytes(33, "big") + len(data).to_bytes(4, "big") + data

    def forward(self, x: int, n: int, tweak: str = "") -> int:
        """The image of x in [0, n) (n <= 2**256)."""
        if n > _MAX_DOMAIN:
            raise ValueError("range too large")
        if not 0 <= x < n:
            raise ValueError(f"{x} is outside [0, {n})")
        half, t = self._half_bits(n), self._tweak(n, tweak)
        y = self._encrypt(x, half, t)
        while y >= n:  # cycle walking: at most ~4 steps on average (the domain is < 4n)
            y = self._encrypt(y, half, t)
        return y

    def inverse(self, y: int, n: int, tweak: str = "") -> int:
        if not 0 <= y < n:
            raise ValueError(f"{y} is outside [0, {n})")
        half, t = self._half_bits(n), self._tweak(n, tweak)
        x = self._decrypt(y, half, t)
        while x >= n:
            x = self._decrypt(x, half, t)
        return x

    def derange(self, x: int, n: int, tweak: str = "") -> int:
        """A keyed permutation of [0, n) with one cycle through all of it: never x (n >= 2)."""
        if n < 2:
            raise ValueError("a range of one value cannot be deranged")
        return self.inverse((self.forward(x, n, tweak) + 1) % n, n, tweak)

    def derange_until(
        self, x: int, n: int, tweak: str, accept: Callable[[int], bool], limit: int = 100_000
    ) -> int:
        """Walk the cycle of `derange` from x to the first value `accept` takes (callable
        int -> bool): a bijection on the accepted values that never returns x."""
        y = self.derange(x, n, tweak)
        for _ in range(limit):
            if y == x or accept(y):
                break
            y = self.derange(y, n, tweak)
        if y == x or not accept(y):
            raise ValueError("no other acceptable value in the range")
        return y
