"""Capture files in and out: classic pcap and pcapng, read strictly, written faithfully.

Classic pcap: scapy's RawPcapReader reads the global header (magic, byte order,
micro/nanosecond resolution, link type, snap length). Records are then read here, because
scapy ends the iteration quietly at a cut-short record: a truncated capture must be an
error naming the packet, never a silently shorter output. The output repeats the input's
global header (but for its two reserved fields, which carry the seal: see seal.py) and each
record header byte for byte: scrubbing keeps every packet's length.

Salvage mode (off by default) reads a capture cut short or corrupt up to its last intact
record instead of refusing it; `dropped` then says what was left out (a warning).

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


class FullReads:
    """`src` read in full: a stream may return fewer bytes than asked for before its end
    (a pipe does), and a record cut short must be told from a read that came back short."""

    def __init__(self, src: Readable) -> None:
        self.src = src

    def read(self, size: int = -1, /) -> bytes:
        data = self.src.read(size)
        if size < 0 or len(data) >= size or not data:
            return data
        parts = [data]
        missing = size - len(data)
        while missing > 0:
            more = self.src.read(missing)
            if not more:
                break
            parts.append(more)
            missing -= len(more)
        return b"".join(parts)


class TruncatedCapture(InputError):
    """The capture ends in the middle of a record."""

    def __init__(self, name: str, packet: int, what: str) -> None:
        super().__init__(f"{name}: truncated capture: packet {packet} is cut short ({what})")
        self.packet = packet


def salvaged(error: InputError, dropped: str, before: int) -> str:
    """The warning for a capture read up to `error` in salvage mode: what was `dropped`,
    and how many intact packets came `before` it (kept and scrubbed)."""
    return f"{error}; salvaged: {dropped} dropped, the {before} packet(s) before it scrubbed"


class PcapFile:
    """A classic pcap being read: `header` (24 bytes) then (record header, data) pairs."""

    def __init__(self, src: Readable, name: str, salvage: bool = False) -> None:
        """`salvage`: end at a cut-short or corrupt record (see `dropped`) instead of refusing."""
        self.src = src = FullReads(src)
        self.name = name
        self.salvage = salvage
        self.dropped: str | None = None  # salvage mode: what was dropped, as a warning
        head = src.read(24)
        if len(head) < 24:
            raise InputError(f"{name}: not a readable pcap file: {len(head)}-byte global header")
        try:
            meta = RawPcapReader(io.BytesIO(head))  # type: ignore[arg-type]  # takes a file object too
        except Scapy_Exception as exc:
            raise InputError(f"{name}: not a readable pcap file: {exc}") from None
        self.endian: str = meta.endian
        self.linktype: int = meta.linktype
        self.header = head  # written out as it is (resolution, version, snap length, link type)
        (self.snaplen,) = struct.unpack_from(self.endian + "I", head, 16)

    def records(self) -> Iterator[tuple[bytes, bytes]]:
        read = self.src.read
        unpack = struct.Struct(self.endian + "IIII").unpack
        number = 0
        while True:
            header = read(16)
            if len(header) < 16:
                if header:
                    self._stop(TruncatedCapture(self.name, number + 1, "record header"), number, "1 packet")
                return
            number += 1
            caplen = unpack(header)[2]
            if caplen > MAX_RECORD:
                corrupt = InputError(f"{self.name}: corrupt capture: packet {number} claims {caplen} bytes")
                return self._stop(corrupt, number - 1, "it and the rest of the file (packets not counted)")
            data = read(caplen)
            if len(data) < caplen:
                cut = TruncatedCapture(self.name, number, f"{len(data)} of {caplen} bytes")
                return self._stop(cut, number - 1, "1 packet")
            yield header, data

    def _stop(self, error: InputError, before: int, dropped: str) -> None:
        """The end of what can be read: an error, or in salvage mode the last record read."""
        if not self.salvage:
            raise error
        self.dropped = salvaged(error, dropped, before)


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

    def __init__(self, src: Readable, name: str, salvage: bool = False) -> None:
        """`salvage`: end at a cut-short or corrupt block (see `dropped`) instead of refusing."""
        self.src = FullReads(src)
        self.name = name
        self.endian = "<"
        self.packets_read = 0
        self.salvage = salvage
        self.dropped: str | None = None  # salvage mode: what was dropped, as a warning

    def blocks(self) -> Iterator[Block]:
        read = self.src.read
        position = 0
        while True:
            head = read(8)
            if not head:
                return
            if len(head) < 8:
                return self._truncated(position, "block header", head)
            if head[:4] == PCAPNG_MAGIC:
                order = read(4)
                if order not in PCAPNG_BYTE_ORDER:
                    return self._corrupt(f"bad section header at byte {position}", head)
                self.endian = PCAPNG_BYTE_ORDER[order]
                prefix = order
            else:
                prefix = b""
            btype, length = struct.unpack(self.endian + "II", head)
            if length < 12 + len(prefix) or length % 4 or length > MAX_RECORD:
                return self._corrupt(
                    f"block at byte {position} has length {length} (after packet {self.packets_read})", head
                )
            rest = read(length - 8 - len(prefix))
            if len(rest) < length - 8 - len(prefix):
                return self._truncated(position, f"{len(rest) + 8 + len(prefix)} of {length} bytes", head)
            (trailer,) = struct.unpack(self.endian + "I", rest[-4:])
            if trailer != length:
                return self._corrupt(f"block at byte {position} has mismatched lengths", head)
            if btype in (2, 3, 6):
                self.packets_read += 1
            position += length
            yield Block(btype, prefix + rest[:-4], self.endian)

    def _truncated(self, position: int, what: str, head: bytes) -> None:
        error = TruncatedCapture(self.name, self.packets_read + 1, f"block at byte {position}: {what}")
        self._stop(error, self._block_kind(head))

    def _corrupt(self, what: str, head: bytes) -> None:
        error = InputError(f"{self.name}: corrupt capture: {what}")
        self._stop(error, f"{self._block_kind(head)} and the rest of the file (packets not counted)")

    def _block_kind(self, head: bytes) -> str:
        """What the block that starts with `head` is, as far as its type field tells."""
        if len(head) < 4:
            return "1 block of unknown type"
        kind = struct.unpack(self.endian + "I", head[:4])[0]
        return "1 packet" if kind in (2, 3, 6) else f"1 block of type 0x{kind:x} (no packet)"

    def _stop(self, error: InputError, dropped: str) -> None:
        """The end of what can be read: an error, or in salvage mode the last block read."""
        if not self.salvage:
            raise error
        self.dropped = salvaged(error, dropped, self.packets_read)


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
