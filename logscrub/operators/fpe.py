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
from typing import Any

_ROUNDS = 6
# Half of 256 bits fits the round function's 128-bit output.
_MAX_DOMAIN = 1 << 256


class KeyedPermutation:
    """Permutations of [0, n) chosen by (key, purpose, tweak); the same arguments give the
    same permutation in every process."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._key = hmac.new(key, b"logscrub/v1/fpe/" + purpose.encode(), hashlib.sha256).digest()

    def _rounds(self, n: int, tweak: str) -> tuple[int, list[Any]]:
        """(half width in bits, one keyed hash per round with n and the tweak absorbed):
        copying a prepared hash is cheaper than keying a new one for every round."""
        if n > _MAX_DOMAIN:
            raise ValueError("range too large")
        data = tweak.encode("utf-8", "surrogatepass")
        prepared = hashlib.blake2b(key=self._key, digest_size=16)
        prepared.update(n.to_bytes(33, "big") + len(data).to_bytes(4, "big") + data)
        rounds = []
        for index in range(_ROUNDS):
            round_hash = prepared.copy()
            round_hash.update(index.to_bytes(1, "big"))
            rounds.append(round_hash)
        return (max(2, (n - 1).bit_length()) + 1) // 2, rounds

    @staticmethod
    def _encrypt(x: int, half: int, rounds: list[Any]) -> int:
        mask = (1 << half) - 1
        width = (half + 7) // 8
        left, right = x >> half, x & mask
        for prepared in rounds:
            h = prepared.copy()
            h.update(right.to_bytes(width, "big"))
            left, right = right, left ^ (int.from_bytes(h.digest(), "big") & mask)
        return (left << half) | right

    @staticmethod
    def _decrypt(y: int, half: int, rounds: list[Any]) -> int:
        mask = (1 << half) - 1
        width = (half + 7) // 8
        left, right = y >> half, y & mask
        for prepared in reversed(rounds):
            h = prepared.copy()
            h.update(left.to_bytes(width, "big"))
            left, right = right ^ (int.from_bytes(h.digest(), "big") & mask), left
        return (left << half) | right

    def _forward(self, x: int, n: int, half: int, rounds: list[Any]) -> int:
        y = self._encrypt(x, half, rounds)
        while y >= n:  # cycle walking: about 2 steps on average (the domain is < 4n)
            y = self._encrypt(y, half, rounds)
        return y

    def _inverse(self, y: int, n: int, half: int, rounds: list[Any]) -> int:
        x = self._decrypt(y, half, rounds)
        while x >= n:
            x = self._decrypt(x, half, rounds)
        return x

    @staticmethod
    def _check(x: int, n: int) -> None:
        if not 0 <= x < n:
            raise ValueError(f"{x} is outside [0, {n})")

    def forward(self, x: int, n: int, tweak: str = "") -> int:
        """The image of x under the permutation of [0, n) (n <= 2**256) chosen by tweak."""
        self._check(x, n)
        half, rounds = self._rounds(n, tweak)
        return self._forward(x, n, half, rounds)

    def inverse(self, y: int, n: int, tweak: str = "") -> int:
        self._check(y, n)
        half, rounds = self._rounds(n, tweak)
        return self._inverse(y, n, half, rounds)

    def derange(self, x: int, n: int, tweak: str = "") -> int:
        """A keyed permutation of [0, n) with one cycle through all of it: never x (n >= 2)."""
        half, rounds, start = self._walk_start(x, n, tweak)
        return self._inverse((start + 1) % n, n, half, rounds)

    def _walk_start(self, x: int, n: int, tweak: str) -> tuple[int, list[Any], int]:
        """(half width, round hashes, forward(x)): where derange's cycle is walked from."""
        if n < 2:
            raise ValueError("a range of one value cannot be deranged")
        self._check(x, n)
        half, rounds = self._rounds(n, tweak)
        return half, rounds, self._forward(x, n, half, rounds)

    def random_in(self, n: int, tweak: str, x: int) -> int:
        """A keyed pseudo-random value in [0, n) for x (n <= 2**256): a keyed hash, not a
        permutation, for spaces so large that collisions never happen in practice (for a
        token of 14+ characters, fewer than one in 10^8 even among a billion tokens), at a
        fraction of a permutation's cost."""
        digest = hashlib.blake2b(
            self._key + tweak.encode("utf-8", "surrogatepass") + b"|" + x.to_bytes(33, "big"), digest_size=64
        ).digest()
        return int.from_bytes(digest, "big") % n

    def derange_until(
        self, x: int, n: int, tweak: str, accept: Callable[[int], bool], limit: int = 100_000
    ) -> int:
        """Walk the cycle of `derange` from x to the first value `accept` takes: a bijection
        on the accepted values that never returns x.

        derange(y) = inverse(forward(y) + 1), so forward(derange(y)) = forward(y) + 1: the
        k-th step of the walk is inverse(forward(x) + k). One forward and one inverse per
        step would give the same values at twice the cost."""
        half, rounds, start = self._walk_start(x, n, tweak)
        for step in range(1, limit + 2):
            y = self._inverse((start + step) % n, n, half, rounds)
            if y == x:
                break
            if accept(y):
                return y
        raise ValueError("no other acceptable value in the range")
