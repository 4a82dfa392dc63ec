"""IP fragments reassembled for scanning, then written back fragment by fragment.

The fragments of one datagram wait (bounded) until all of them are there; the datagram's
transport payload is then scanned whole, so a value split across two fragments is found,
and each fragment gets its own slice of the scrubbed bytes back (lengths never change).
The transport checksum, which lives in the first fragment and covers the whole datagram,
is updated from the sums of all fragments. Fragments whose datagram never completes are
scanned one by one when the queue forces them out (fail closed).
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from . import checksum
from .tcp import Slot

MAX_GROUPS = 64
MAX_FRAGMENTS = 128  # per datagram


@dataclass
class _Fragment:
    slot: Slot
    pos: int  # where this fragment's payload starts in slot.buf
    offset: int  # its offset in the datagram
    data: bytes


@dataclass
class _Group:
    proto: int
    addresses: bytes  # the original source and destination
    address_sums: tuple[int, int]  # ones_sum of the (old, new) pseudo-header addresses
    fragments: list[_Fragment] = field(default_factory=list)
    total: int | None = None  # datagram length, once the last fragment arrived

    def complete(self) -> bool:
        if self.total is None:
            return False
        covered = 0
        for fragment in sorted(self.fragments, key=lambda f: f.offset):
            if fragment.offset > covered:
                return False
            covered = max(covered, fragment.offset + len(fragment.data))
        return covered >= self.total


# (proto, datagram, addresses) -> the scrubbed datagram, same length, transport header first.
Handler = Callable[[int, bytes, bytes], bytes]
Alone = Callable[[bytes], bytes]


class Fragments:
    def __init__(self, handler: Handler, alone: Alone) -> None:
        self.handler = handler
        self.alone = alone
        self.groups: OrderedDict[tuple[bytes, ...], _Group] = OrderedDict()

    def add(
        self,
        key: tuple[bytes, ...],
        proto: int,
        addresses: bytes,
        address_sums: tuple[int, int],
        slot: Slot,
        pos: int,
        offset: int,
        data: bytes,
        more: bool,
    ) -> None:
        group = self.groups.get(key)
        if group is None:
            if len(self.groups) >= MAX_GROUPS:
                self._give_up(self.groups.popitem(last=False)[1])
            group = self.groups[key] = _Group(proto, addresses, address_sums)
        slot.waits += 1
        group.fragments.append(_Fragment(slot, pos, offset, data))
        if not more:
            group.total = offset + len(data)
        if group.complete():
            del self.groups[key]
            self._reassembled(group)
        elif len(group.fragments) > MAX_FRAGMENTS:
            del self.groups[key]
            self._give_up(group)

    def force(self, slot: Slot) -> bool:
        """Release the group `slot` waits in; False when it waits in none."""
        for key, group in self.groups.items():
            if any(f.slot is slot for f in group.fragments):
                del self.groups[key]
                self._give_up(group)
                return True
        return False

    def force_all(self) -> None:
        while self.groups:
            self._give_up(self.groups.popitem(last=False)[1])

    def _reassembled(self, group: _Group) -> None:
        assert group.total is not None
        datagram = bytearray(group.total)
        for fragment in sorted(group.fragments, key=lambda f: f.offset):
            datagram[fragment.offset : fragment.offset + len(fragment.data)] = fragment.data
        new = self.handler(group.proto, bytes(datagram), group.addresses)
        pieces = {id(f): new[f.offset : f.offset + len(f.data)] for f in group.fragments}
        self._write_back(group, pieces)

    def _give_up(self, group: _Group) -> None:
        pieces = {id(f): self.alone(f.data) for f in group.fragments}
        self._write_back(group, pieces)

    def _write_back(self, group: _Group, pieces: dict[int, bytes]) -> None:
        # ICMP (IPv4) has no pseudo-header: its checksum covers the message only.
        old_sum, new_sum = group.address_sums if group.proto != 1 else (0, 0)
        first: _Fragment | None = None
        for fragment in group.fragments:
            new = pieces[id(fragment)]
            old_sum += checksum.ones_sum(fragment.data)
            new_sum += checksum.ones_sum(new)
            fragment.slot.buf[fragment.pos : fragment.pos + len(new)] = new
            if fragment.offset == 0:
                first = fragment
        field_at = {17: 6, 6: 16, 58: 2, 1: 2}.get(group.proto)
        if first is not None and field_at is not None and len(first.data) >= field_at + 2:
            at = first.pos + field_at
            (old,) = struct.unpack_from("!H", first.slot.buf, at)
            # The field itself was counted in both sums with its old value: they cancel.
            struct.pack_into(
                "!H",
                first.slot.buf,
                at,
                checksum.updated(old, old_sum % 0xFFFF, new_sum % 0xFFFF, group.proto == 17),
            )
        for fragment in group.fragments:
            fragment.slot.release()
