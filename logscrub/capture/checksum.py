"""Internet checksums (RFC 1071) updated without a Python loop over 16-bit words.

The one's-complement sum of 16-bit big-endian words equals the byte string read as one
big integer, modulo 0xFFFF (2**16 is 1 modulo 0xFFFF); `int.from_bytes` does that in C.

A checksum is *updated* by the difference between the sums of the old and the new covered
bytes (RFC 1624), never recomputed from scratch. So a correct checksum stays correct, one
that was already wrong (offloaded checksums in captures taken on the sending host) stays
wrong by exactly the same amount, and a packet cut short by the snap length still gets a
right update, because the bytes that were not captured did not change.
"""

from __future__ import annotations

_MOD = 0xFFFF


def ones_sum(data: bytes | bytearray | memoryview) -> int:
    """The one's-complement sum of `data` as 16-bit words (odd length: zero-padded), mod 0xFFFF.

    Sums of pieces that start at even offsets add up to the sum of the whole."""
    value = int.from_bytes(data, "big")
    if len(data) & 1:
        value <<= 8
    return value % _MOD


def updated(checksum: int, old_sum: int, new_sum: int, udp: bool = False) -> int:
    """`checksum` after the covered bytes' sum went from `old_sum` to `new_sum`.

    For UDP, 0 means "no checksum" and stays 0, and a computed 0 is sent as 0xFFFF."""
    if old_sum == new_sum or (udp and checksum == 0):
        return checksum
    value = (checksum + old_sum - new_sum) % _MOD
    if value == 0 and udp:
        return 0xFFFF
    return value
