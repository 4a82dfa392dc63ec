"""STUN and TURN (RFC 5389 / 8489 / 8656): addresses, user names and integrity codes.

Address attributes hold an address and port; the XOR- forms are XOR-ed with the magic
cookie (and, for IPv6, the transaction id). Each is decoded, pseudonymised through the
capture's address map (so it agrees with the IP headers and the SDP candidates), and
encoded the same way. USERNAME (often `ufrag:ufrag`, or a TURN account) gets a
same-length pseudonym. MESSAGE-INTEGRITY is an HMAC keyed with the password: left in
place it allows an offline guess of the password, so it is zeroed. FINGERPRINT is
recomputed, so the message still validates as STUN.
"""

from __future__ import annotations

import struct
import zlib

from ..model import Entity
from .addresses import AddressMapper, FieldReplacer

MAGIC = 0x2112A442
_MAGIC_BYTES = struct.pack("!I", MAGIC)
_PLAIN_ADDRESSES = frozenset(
    {0x0001, 0x0002, 0x0004, 0x0005, 0x802B, 0x802C, 0x8023}
)  # MAPPED, RESPONSE/CHANGED/SOURCE, RESPONSE-ORIGIN, OTHER, ALTERNATE
_XOR_ADDRESSES = frozenset({0x0020, 0x8020, 0x0012, 0x0016})  # XOR-MAPPED (+ old), XOR-PEER, XOR-RELAYED
_INTEGRITY = frozenset({0x0008, 0x001C})  # MESSAGE-INTEGRITY(-SHA256)
_USERNAME = frozenset({0x0006, 0x001E})  # USERNAME, USERHASH
_FINGERPRINT = 0x8028


def is_stun(payload: bytes) -> bool:
    return (
        len(payload) >= 20
        and payload[0] & 0xC0 == 0
        and payload[4:8] == _MAGIC_BYTES
        and struct.unpack_from("!H", payload, 2)[0] + 20 == len(payload)
    )


def scrub_stun(payload: bytes, addresses: AddressMapper, field: FieldReplacer) -> bytes:
    out = bytearray(payload)
    xor_v6 = payload[4:20]  # cookie + transaction id
    pos = 20
    size = len(payload)
    while pos + 4 <= size:
        kind, length = struct.unpack_from("!HH", payload, pos)
        start, stop = pos + 4, min(size, pos + 4 + length)
        value = payload[start:stop]
        if kind in _PLAIN_ADDRESSES or kind in _XOR_ADDRESSES:
            out[start:stop] = _address(value, kind in _XOR_ADDRESSES, xor_v6, addresses)
        elif kind in _USERNAME:
            out[start:stop] = field(Entity.USERNAME, "capture.stun_username", value)
        elif kind in _INTEGRITY:
            out[start:stop] = bytes(len(value))
        elif kind == _FINGERPRINT and length == 4:
            crc = zlib.crc32(bytes(out[:pos])) ^ 0x5354554E
            out[start:stop] = struct.pack("!I", crc)
        pos = start + length + (-length % 4)
    return bytes(out)


def _address(value: bytes, xored: bool, xor_v6: bytes, addresses: AddressMapper) -> bytes:
    if len(value) < 8:
        return value
    family = value[1]
    raw = value[4:]
    if family == 1 and len(raw) == 4:
        key = xor_v6[:4]
        mapper = addresses.ipv4
    elif family == 2 and len(raw) == 16:
        key = xor_v6
        mapper = addresses.ipv6
    else:
        return value
    if xored:
        plain = bytes(a ^ b for a, b in zip(raw, key, strict=False))
        mapped = mapper(plain)
        return value[:4] + bytes(a ^ b for a, b in zip(mapped, key, strict=False))
    return value[:4] + mapper(raw)
