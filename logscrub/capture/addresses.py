"""Binary addresses in packet headers, through the run's pseudonyms.

An address in an IP header is pseudonymised as its text form (`10.1.2.3`, compressed
IPv6, `aa:bb:cc:dd:ee:ff`) by the same Replacer that handles text, so a capture header
and the same address written in a Via header or a log line map alike. Header addresses
are always pseudonymised, never masked (a header must hold a valid address), unless the
policy keeps the entity.

Kept as they are, because they identify nobody and protocols depend on them: loopback,
unspecified, broadcast and multicast addresses (IPv4 224.0.0.0/3, IPv6 ff00::/8), the
public DNS resolvers (as in text: validators.PUBLIC_RESOLVERS), and group MAC addresses
(multicast and broadcast: the I/G bit set) and all-zero MACs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import TypeVar

from ..detectors.validators import PUBLIC_RESOLVERS
from ..model import Entity, Operator, Stats
from ..operators import Replacer
from .checksum import ones_sum

FieldReplacer = Callable[[Entity, str, bytes], bytes]
"""(entity, rule id, field bytes) -> the field replaced as the Policy says, same length
(Engine.replace_field, bound to the capture's stats: the one replacement point)."""

_KEPT_V4_FIRST_OCTETS = frozenset({0, 127, *range(224, 256)})
_CACHE_LIMIT = 1 << 16


class AddressMapper:
    """bytes -> bytes maps for IPv4, IPv6 and MAC addresses, cached."""

    def __init__(
        self,
        replacer: Replacer,
        ip_operator: Operator,
        mac_operator: Operator,
        observer: Callable[[Entity, str, str], None] | None = None,
    ) -> None:
        """`observer`: told (entity, rule id, text form) of each address the first time it
        is replaced (check mode)."""
        self.replacer = replacer
        self.observer = observer
        self.keep_ip = ip_operator is Operator.KEEP
        self.keep_mac = mac_operator is Operator.KEEP
        self._v4: dict[bytes, bytes] = {}
        self._v6: dict[bytes, bytes] = {}
        self._macs: dict[bytes, bytes] = {}
        self._pairs: dict[bytes, tuple[bytes, int, int]] = {}
        self._mac_pairs: dict[bytes, bytes] = {}
        # Header addresses rewritten, counted per occurrence (added to the stats at the end).
        self.ip_rewrites = 0
        self.mac_rewrites = 0

    def pair(self, addresses: bytes) -> tuple[bytes, int, int]:
        """A source and destination (IPv4 or IPv6, concatenated) mapped, with the ones_sum
        of the old and the new pair (the pseudo-header's share of a transport checksum).
        Cached: a call capture repeats a handful of pairs for every packet."""
        found = self._pairs.get(addresses)
        if found is None:
            half = len(addresses) // 2
            mapper = self._ipv4 if half == 4 else self._ipv6
            new = mapper(addresses[:half]) + mapper(addresses[half:])
            found = _remember(self._pairs, addresses, (new, ones_sum(addresses), ones_sum(new)))
        self.count_pair(addresses, found[0])
        return found

    def count_pair(self, old: bytes, new: bytes) -> None:
        """Count a packet's address pair as rewritten (also for callers that cache pairs)."""
        if new != old:
            self.ip_rewrites += _changed_halves(old, new)

    def mac_pair(self, macs: bytes) -> bytes:
        """Ethernet's destination and source MACs (12 bytes), mapped."""
        found = self._mac_pairs.get(macs)
        if found is None:
            found = _remember(self._mac_pairs, macs, self._mac(macs[:6]) + self._mac(macs[6:]))
        if found != macs:
            self.mac_rewrites += _changed_halves(macs, found)
        return found

    def count(self, stats: Stats) -> None:
        """Add the header rewrites counted so far to `stats` (and start again)."""
        for entity, rule_id, count in (
            (Entity.IP_ADDRESS, "capture.ip_header", self.ip_rewrites),
            (Entity.MAC_ADDRESS, "capture.mac_header", self.mac_rewrites),
        ):
            if count:
                stats.by_entity[entity.value] += count
                stats.by_rule[rule_id] += count
        self.ip_rewrites = self.mac_rewrites = 0

    def ipv4(self, address: bytes) -> bytes:
        mapped = self._ipv4(address)
        self.ip_rewrites += mapped != address
        return mapped

    def ipv6(self, address: bytes) -> bytes:
        mapped = self._ipv6(address)
        self.ip_rewrites += mapped != address
        return mapped

    def mac(self, address: bytes) -> bytes:
        mapped = self._mac(address)
        self.mac_rewrites += mapped != address
        return mapped

    def _ipv4(self, address: bytes) -> bytes:
        mapped = self._v4.get(address)
        if mapped is None:
            mapped = address
            written = str(ipaddress.IPv4Address(address))
            if not (self.keep_ip or address[0] in _KEPT_V4_FIRST_OCTETS or written in PUBLIC_RESOLVERS):
                text = self._pseudonym(Entity.IP_ADDRESS, "capture.ip_header", written)
                mapped = ipaddress.IPv4Address(text).packed
            _remember(self._v4, address, mapped)
        return mapped

    def _ipv6(self, address: bytes) -> bytes:
        mapped = self._v6.get(address)
        if mapped is None:
            mapped = address
            parsed = ipaddress.IPv6Address(address)
            if parsed.ipv4_mapped is not None:
                mapped = address[:12] + self._ipv4(address[12:])
            elif not (
                self.keep_ip
                or parsed.is_multicast
                or parsed.is_loopback
                or parsed.is_unspecified
                or parsed.compressed in PUBLIC_RESOLVERS
            ):
                text = self._pseudonym(Entity.IP_ADDRESS, "capture.ip_header", parsed.compressed)
                mapped = ipaddress.IPv6Address(text).packed
            _remember(self._v6, address, mapped)
        return mapped

    def _mac(self, address: bytes) -> bytes:
        mapped = self._macs.get(address)
        if mapped is None:
            mapped = address
            if not self.keep_mac and not address[0] & 1 and any(address):
                text = self._pseudonym(Entity.MAC_ADDRESS, "capture.mac_header", address.hex(":"))
                mapped = bytes.fromhex(text.replace(":", ""))
            _remember(self._macs, address, mapped)
        return mapped

    def _pseudonym(self, entity: Entity, rule_id: str, text: str) -> str:
        """The pseudonym of an address met for the first time (told to the observer)."""
        if self.observer is not None:
            self.observer(entity, rule_id, text)
        return self.replacer.replace(entity, text, Operator.PSEUDONYM)


def _changed_halves(old: bytes, new: bytes) -> int:
    """How many of a concatenated source and destination address were rewritten."""
    half = len(old) // 2
    return (new[:half] != old[:half]) + (new[half:] != old[half:])


_T = TypeVar("_T")


def _remember(cache: dict[bytes, _T], key: bytes, value: _T) -> _T:
    """`value`, kept in `cache` while it is below its bound."""
    if len(cache) < _CACHE_LIMIT:
        cache[key] = value
    return value
