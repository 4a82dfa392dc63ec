"""IPv4 addresses written other than as a dotted quad, read back as addresses.

Detection (validators) and replacement (operators) both need to know what address such a
spelling stands for, so the pseudonym is an address of the same class written the same way.
"""

from __future__ import annotations

import ipaddress


def ipv4_from_integer(value: str) -> ipaddress.IPv4Address | None:
    """The address Cisco CUCM's call records write as `value`: the address's four bytes read
    as a little-endian signed 32-bit integer (436316352 is 192.168.1.26). None for other
    text and for 0 (CUCM's "no address")."""
    if not value.lstrip("-").isdigit() or len(value) > 11:
        return None
    number = int(value)
    if number == 0 or not -(2**31) <= number < 2**31:
        return None
    return ipaddress.IPv4Address(number.to_bytes(4, "little", signed=True))


def ipv4_to_integer(address: ipaddress.IPv4Address) -> str:
    """`address` written as ipv4_from_integer reads it."""
    return str(int.from_bytes(address.packed, "little", signed=True))
