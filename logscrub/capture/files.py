"""Capture files in and out: classic pcap and pcapng, read strictly, written faithfully.

Classic pcap: scapy's RawPcapReader reads the global header (magic, byte order,
micro/nanosecond resolution, link type, snap length). Records are then read here, because
scapy ends the iteration quietly at a cut-short record: a truncated capture must be an
error naming the packet, never a silently shorter output. The output repeats the input's
global header and each record header byte for byte: scrubbing keeps every packet's length.

pcapng: read and written block by block (scapy's pcapng reader drops the blocks and
options this tool must rewrite: comments, interface names, name resolution, secrets).
Sections, interfaces and every block kept stay in order and in the section's byte order.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from scapy.error import Scapy_Exception
from scapy.utils import RawPcapReader

from ..errors import InputError
from .magic import PCAPNG_BYTE_ORDER, PCAPNG_MAGIC

# A record longer than this is corruption, not a packet (the largest link MTUs are 64 KiB;
# the sanity bound is generous for reassembled USB or loopback captures).
MAX_RECORD = 1 << 22


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes | bytearray, /) -> int: ...


class TruncatedCapture(InputError):
    """The capture ends in the middle of a record."""

    def __init__(self, name: str, packet: int, what: str) -> None:
        super().__init__(f"{name}: truncated capture: packet {packet} is cut short ({what})")
        self.packet = packet


class PcapFile:
    """A classic pcap being read: `header` (24 bytes) then (record header, data) pairs."""

    def __init__(self, src: Readable, name: str) -> None:
        self.src = src
        self.name = name
        head = src.read(24)
        try:
            meta = RawPcapReader(io.BytesIO(head))  # type: ignore[arg-type]  # takes a file object too
        except Scapy_Exception as exc:
            raise InputError(f"{name}: not a readable pcap file: {exc}") from None
        self.endian: str = meta.endian
        self.linktype: int = meta.linktype
        self.header = head  # written out as it is: resolution, version, time zone, snap length

    def records(self) -> Iterator[tuple[bytes, bytes]]:
        read = self.src.read
        unpack = struct.Struct(self.endian + "IIII").unpack
        number = 0
        while True:
            header = read(16)
            if len(header) < 16:
                if header:
                    raise TruncatedCapture(self.name, number + 1, "record header")
                return
            number += 1
            caplen = unpack(header)[2]
            if caplen > MAX_RECORD:
                raise InputError(f"{self.name}: corrupt capture: packet {number} claims {caplen} bytes")
            data = read(caplen)
            if len(data) < caplen:
                raise TruncatedCapture(self.name, number, f"{len(data)} of {caplen} bytes")
            yield header, data


@dataclass
class Block:
    """One pcapng block: its type, its body (between the length fields) and byte order."""

    type: int
    body: bytes
    endian: str

    def encode(self) -> bytes:
        pad = -len(self.body) % 4
        length = 12 + len(self.body) + pad
        pack = struct.Struct(self.endian + "II").pack
        return pack(self.type, length) + self.body + b"\x00" * pad + struct.pack(self.endian + "I", length)


class PcapngFile:
    """A pcapng being read block by block; the byte order follows each section header."""

    def __init__(self, src: Readable, name: str) -> None:
        self.src = src
        self.name = name
        self.endian = "<"
        self.packets_read = 0

    def blocks(self) -> Iterator[Block]:
        read = self.src.read
        position = 0
        while True:
            head = read(8)
            if not head:
                return
            if len(head) < 8:
                self._truncated(position, "block header")
            if head[:4] == PCAPNG_MAGIC:
                order = read(4)
                if order not in PCAPNG_BYTE_ORDER:
                    raise InputError(f"{self.name}: corrupt capture: bad section header at byte {position}")
                self.endian = PCAPNG_BYTE_ORDER[order]
                prefix = order
            else:
                prefix = b""
            btype, length = struct.unpack(self.endian + "II", head)
            if length < 12 + len(prefix) or length % 4 or length > MAX_RECORD:
                raise InputError(
                    f"{self.name}: corrupt capture: block at byte {position} has length {length}"
                    f" (after packet {self.packets_read})"
                )
            rest = read(length - 8 - len(prefix))
            if len(rest) < length - 8 - len(prefix):
                self._truncated(position, f"{len(rest) + 8 + len(prefix)} of {length} bytes")
            (trailer,) = struct.unpack(self.endian + "I", rest[-4:])
            if trailer != length:
                raise InputError(
                    f"{self.name}: corrupt capture: block at byte {position} has mismatched lengths"
                )
            if btype in (2, 3, 6):
                self.packets_read += 1
            position += length
            yield Block(btype, prefix + rest[:-4], self.endian)

    def _truncated(self, position: int, what: str) -> None:
        raise TruncatedCapture(self.name, self.packets_read + 1, f"block at byte {position}: {what}")


def read_options(data: bytes, endian: str) -> list[tuple[int, bytes]]:
    """pcapng options (code, value) up to opt_endofopt; a malformed list ends early (the
    writer then drops what could not be parsed: nothing unexamined is passed on)."""
    options: list[tuple[int, bytes]] = []
    unpack = struct.Struct(endian + "HH").unpack_from
    offset = 0
    while offset + 4 <= len(data):
        code, length = unpack(data, offset)
        if code == 0:
            break
        value = data[offset + 4 : offset + 4 + length]
        if len(value) < length:
            break
        options.append((code, value))
        offset += 4 + length + (-length % 4)
    return options


def write_options(options: list[tuple[int, bytes]], endian: str) -> bytes:
    if not options:
        return b""
    pack = struct.Struct(endian + "HH").pack
    parts = [pack(code, len(value)) + value + b"\x00" * (-len(value) % 4) for code, value in options]
    parts.append(pack(0, 0))
    return b"".join(parts)
