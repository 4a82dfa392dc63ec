"""DNS and DHCP: the addresses and names they carry, in place.

DNS stays readable (names are what a support engineer follows); the addresses in A and
AAAA records go through the capture's address map, so an answer agrees with the headers
of the connections that follow it. DHCP (BOOTP) carries the client's MAC, its addresses,
its host name (often the owner's name: "Janes-iPhone") and client id; those are
pseudonymised, the rest of the lease stays readable.
"""

from __future__ import annotations

import struct

from ..model import Entity
from .addresses import AddressMapper, FieldReplacer

DNS_PORTS = frozenset({53, 5353, 5355})
DHCP_PORTS = frozenset({67, 68})
_DHCP_MAGIC = b"\x63\x82\x53\x63"
_DHCP_ADDRESS_OPTIONS = frozenset(
    {3, 4, 5, 6, 7, 9, 28, 41, 42, 44, 45, 48, 49, 50, 54, 65, 69, 70, 71, 72, 73, 74, 75, 76}
)
_DHCP_NAME_OPTIONS = frozenset({12, 15})  # host name, domain name


def _skip_name(data: bytes, pos: int) -> int:
    """The offset after the (possibly compressed) DNS name at `pos`."""
    while pos < len(data):
        length = data[pos]
        if length == 0:
            return pos + 1
        if length & 0xC0 == 0xC0:
            return pos + 2
        pos += 1 + length
    raise ValueError("name runs past the message")


def scrub_dns(payload: bytes, addresses: AddressMapper) -> bytes:
    """A and AAAA record data pseudonymised; a message that does not parse is returned
    unchanged up to where it stopped parsing (the caller also scans it as text)."""
    if len(payload) < 12:
        return payload
    out = bytearray(payload)
    questions, *records = struct.unpack_from("!HHHH", payload, 4)
    pos = 12
    try:
        for _ in range(questions):
            pos = _skip_name(payload, pos) + 4
        for _ in range(sum(records)):
            pos = _skip_name(payload, pos)
            rtype, _cls, _ttl, length = struct.unpack_from("!HHIH", payload, pos)
            pos += 10
            rdata = payload[pos : pos + length]
            if rtype == 1 and length == 4:
                out[pos : pos + 4] = addresses.ipv4(rdata)
            elif rtype == 28 and length == 16:
                out[pos : pos + 16] = addresses.ipv6(rdata)
            pos += length
    except (ValueError, struct.error):
        pass
    return bytes(out)


def scrub_dhcp(payload: bytes, addresses: AddressMapper, field: FieldReplacer) -> bytes:
    if len(payload) < 240 or payload[236:240] != _DHCP_MAGIC:
        return payload
    out = bytearray(payload)
    for offset in (12, 16, 20, 24):  # ciaddr, yiaddr, siaddr, giaddr
        out[offset : offset + 4] = addresses.ipv4(payload[offset : offset + 4])
    if payload[1] == 1 and payload[2] == 6:  # Ethernet chaddr
        out[28:34] = addresses.mac(payload[28:34])
    pos = 240
    while pos < len(payload):
        code = payload[pos]
        if code == 255:
            break
        if code == 0:
            pos += 1
            continue
        if pos + 2 > len(payload):
            break
        length = payload[pos + 1]
        start, stop = pos + 2, min(len(payload), pos + 2 + length)
        value = payload[start:stop]
        if code in _DHCP_ADDRESS_OPTIONS:
            for at in range(start, stop - 3, 4):
                out[at : at + 4] = addresses.ipv4(payload[at : at + 4])
        elif code == 61 and length == 7 and value[0] == 1:  # client id: hardware type + MAC
            out[start + 1 : stop] = addresses.mac(value[1:])
        elif code in _DHCP_NAME_OPTIONS or code == 81:
            skip = 3 if code == 81 else 0  # client FQDN: flags and two rcodes first
            if stop > start + skip:
                out[start + skip : stop] = field(Entity.USERNAME, "capture.dhcp_name", value[skip:])
        pos = stop
    return bytes(out)
