"""A whole capture file in, a scrubbed capture file out, streaming.

Packets leave in input order through a bounded queue: a packet whose TCP stream or IP
datagram is not complete yet holds the ones behind it until it completes, or until the
queue is too long and what it waits for is forced out (see tcp.py). Memory is bounded
by the queue, the per-stream history and the fragment table, whatever the capture's size.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Callable

from ..engine import Engine
from ..errors import InputError
from ..learned import LearnedValues
from ..model import Entity, Stats
from ..stamp import COMMENT_PREFIX
from .files import Block, PcapFile, PcapngFile, Readable, Writable, read_options, write_options
from .packets import PacketObserver, PacketScrubber
from .seal import SEAL_SEPARATOR, SealingWriter, seal_comment
from .tcp import Slot

# Packets held behind a text batch or a stream before the head is forced out: enough for
# a message split across segments to arrive, small enough that the queue stays cheap.
FORCE_AFTER = 1024
# Media packets (the fast path) queued behind a text batch before it is scanned (see
# _scrub_pcap): well under FORCE_AFTER, enough for the batch to fill.
MEDIA_WAIT = 256
MAX_QUEUE_BYTES = 16 << 20

# pcapng block types
SHB, IDB, PB, SPB, NRB, ISB, EPB, SJE, DSB = 0x0A0D0D0A, 1, 2, 3, 4, 5, 6, 9, 10
_COMMENT = 1
_CUSTOM_OPTIONS = frozenset({2988, 2989, 19372, 19373})
_IDB_TEXT = frozenset({_COMMENT, 2, 3, 11})  # comment, if_name, if_description, if_filter
_SECTION_LENGTH_UNKNOWN = b"\xff" * 8
STAMP_PREFIX = COMMENT_PREFIX.encode()


class _Output:
    """The ordered, bounded queue between the packet scrubber and the output file."""

    def __init__(self, dst: Writable, packets: PacketScrubber, stats: Stats) -> None:
        self.write = dst.write
        self.packets = packets
        self.stats = stats
        self.queue: deque[Slot] = deque()
        self.held = 0

    def push(self, slot: Slot) -> None:
        queue = self.queue
        if not queue and slot.waits == 0:
            self._write(slot)
            return
        queue.append(slot)
        self.held += len(slot.buf)
        while queue and (len(queue) > FORCE_AFTER or self.held > MAX_QUEUE_BYTES):
            self.packets.force(queue[0])
            self.drain()
        self.drain()

    def drain(self) -> None:
        queue = self.queue
        while queue and queue[0].waits == 0:
            slot = queue.popleft()
            self.held -= len(slot.buf)
            self._write(slot)

    def close(self) -> None:
        self.packets.finish()
        for slot in self.queue:
            if slot.waits:
                self.packets.force(slot)
        self.drain()
        assert not self.queue

    def _write(self, slot: Slot) -> None:
        write = self.write
        write(slot.prefix)
        write(slot.buf)
        if slot.suffix:
            write(slot.suffix)
        self.stats.bytes_out += len(slot.prefix) + len(slot.buf) + len(slot.suffix)


def scrub_capture(
    engine: Engine,
    src: Readable,
    dst: Writable,
    stats: Stats,
    name: str,
    keep_media: bool,
    fmt: str,
    on_finding: PacketObserver | None = None,
    learned: LearnedValues | None = None,
    stamp: str | None = None,
    learning: bool = False,
    salvage: bool = False,
    seal: bool = False,
    seal_key: bytes | None = None,
) -> None:
    """Scrub `src`, a capture in format `fmt` (files.capture_format of its first bytes), into `dst`.
    `stamp`: the run stamp, written as a comment of every pcapng section (pcap has no place
    for it). `seal`: the output gets a seal (keyed with `seal_key`, if given; see seal.py).


    `engine` must come from Engine.for_captures (byte-exact replacements); `learned`: the
    run's learned values (by default the capture has its own). `salvage`: a capture cut
    short (or corrupt from some record on) is scrubbed up to its last intact packet, and
    what was dropped becomes a warning, instead of an InputError (the default).

    Malformed packets are scrubbed (what cannot be parsed is scanned as text) and told in
    `stats.warnings`, one line per kind of fault with its first packet and count."""
    packets = PacketScrubber(engine, stats, keep_media, on_finding, learned, learning)
    sealing = SealingWriter(dst, fmt, seal_key) if seal and not learning else None
    if sealing is not None:
        dst = sealing
        stamp = (stamp or COMMENT_PREFIX) + seal_comment(seal_key)
    out = _Output(dst, packets, stats)
    reader: PcapFile | PcapngFile
    if fmt == "pcap":
        reader = PcapFile(src, name, salvage)
        _scrub_pcap(reader, packets, out, stats)
    else:
        reader = PcapngFile(src, name, salvage)
        _Pcapng(reader, packets, out, stats, stamp).run()
    out.close()
    if sealing is not None:
        sealing.finish()
    packets.addresses.count(stats)
    packets.anomalies.report(name, stats.warnings)
    if reader.dropped is not None:
        stats.warnings.append(reader.dropped)


def _record_lengths(packets: PacketScrubber, caplen: int, original: int, snaplen: int) -> None:
    """Tell the packet scrubber whether the packet was cut by the snap length; lengths
    that contradict each other are told as faults."""
    packets.cut_short = caplen < original
    if caplen > original:
        packets.anomalies.note(
            "caplen-original",
            packets.number,
            f"captured length {caplen} above the original length {original}",
        )
    if snaplen and caplen > snaplen:
        packets.anomalies.note(
            "caplen-snaplen", packets.number, f"captured length {caplen} above the snap length {snaplen}"
        )


def _scrub_pcap(pcap: PcapFile, packets: PacketScrubber, out: _Output, stats: Stats) -> None:
    out.push(Slot(pcap.header, bytearray(), b""))
    stats.bytes_in += len(pcap.header)
    linktype = pcap.linktype
    rewrite = packets.general  # the fast path is tried here first, without a Slot
    fast = packets.fast_path(linktype)
    batch = packets.batch
    push = out.push
    queue = out.queue
    write = out.write
    count = 0
    size = 0
    original_length = struct.Struct(pcap.endian + "I").unpack_from
    snaplen = pcap.snaplen
    for header, data in pcap.records():
        count += 1
        packets.number = count
        size += 16 + len(data)
        _record_lengths(packets, len(data), original_length(header, 12)[0], snaplen)
        buf = bytearray(data)
        if fast is not None and fast(data, buf):
            if len(queue) >= MEDIA_WAIT:
                # Media behind a burst of signalling: the burst is one text batch, scanned
                # now. Below the bound media waits in the queue, so that the signalling of
                # many short calls (a load test: a few media packets a call) is scanned in
                # a few big batches instead of one small one per call: each batch costs
                # every rule's fixed cost once.
                batch.flush()
                out.drain()
            if queue:
                push(Slot(header, buf, b""))
            else:  # nothing waits: straight out, no Slot (the common case, kept cheap)
                write(header)
                write(buf)
                stats.bytes_out += 16 + len(buf)
            continue
        slot = Slot(header, buf, b"")
        rewrite(linktype, data, slot)
        push(slot)
    stats.packets += count
    stats.bytes_in += size


class _Pcapng:
    """pcapng block by block: packets through the PacketScrubber, text options scanned,
    addresses in interface and name-resolution blocks mapped, secrets dropped."""

    def __init__(
        self,
        pcapng: PcapngFile,
        packets: PacketScrubber,
        out: _Output,
        stats: Stats,
        stamp: str | None = None,
    ) -> None:
        self.pcapng = pcapng
        self.stamp = stamp
        self.packets = packets
        self.out = out
        self.stats = stats
        self.linktypes: list[tuple[int, int]] = []  # (link type, snap length) per interface
        self.dropped: set[str] = set()

    def run(self) -> None:
        handlers: dict[int, Callable[[Block], None]] = {
            SHB: self._section,
            IDB: self._interface,
            EPB: self._enhanced_packet,
            SPB: self._simple_packet,
            PB: self._obsolete_packet,
            NRB: self._name_resolution,
            ISB: self._statistics,
        }
        for block in self.pcapng.blocks():
            self.stats.bytes_in += 12 + len(block.body)
            handler = handlers.get(block.type)
            if handler is not None:
                handler(block)
            elif block.type == SJE:
                text = self.packets.text.datagram(block.body)
                self._emit(Block(SJE, text, block.endian))
            else:
                self._drop(block)

    def _drop(self, block: Block) -> None:
        what = "decryption secrets (TLS key log)" if block.type == DSB else f"block type 0x{block.type:x}"
        if what not in self.dropped:
            self.dropped.add(what)
            self.stats.warnings.append(f"pcapng {what} dropped: not scrubbable, may hold credentials")

    def _emit(self, block: Block) -> None:
        self.out.push(Slot(block.encode(), bytearray(), b""))

    def _text(self, value: bytes) -> bytes:
        return self.packets.text.datagram(value)

    def _options(
        self,
        raw: bytes,
        endian: str,
        text_codes: frozenset[int],
        drop: frozenset[int] = frozenset(),
        stamp: str | None = None,
    ) -> bytes:
        """Options with text scanned and `drop` dropped; with `stamp`, an earlier run's
        stamp comment is replaced by this one."""
        kept: list[tuple[int, bytes]] = []
        for code, value in read_options(raw, endian):
            if code in _CUSTOM_OPTIONS or code in drop:
                continue
            if stamp is not None and code == _COMMENT and value.startswith(STAMP_PREFIX):
                continue
            if code in text_codes:
                value = self._text(value)
            kept.append((code, value))
        if stamp is not None:
            kept.append((_COMMENT, stamp.encode("utf-8")))
        return write_options(kept, endian)

    def _section(self, block: Block) -> None:
        self._too_short(block, 16)
        self.linktypes = []
        body = block.body
        # Block lengths may change (scrubbed options), so the section length becomes "unknown".
        fixed = body[:8] + _SECTION_LENGTH_UNKNOWN
        options = self._options(body[16:], block.endian, frozenset({_COMMENT}), stamp=self.stamp)
        self._emit(Block(SHB, fixed + options, block.endian))
        if self.stamp is not None:
            # The seal (see seal.py) is the first section's: later ones get the stamp alone.
            self.stamp = self.stamp.split(SEAL_SEPARATOR, 1)[0]

    def _interface(self, block: Block) -> None:
        self._too_short(block, 8)
        endian = block.endian
        linktype, snaplen = struct.unpack_from(endian + "H2xI", block.body, 0)
        self.linktypes.append((linktype, snaplen))
        kept: list[tuple[int, bytes]] = []
        addresses = self.packets.addresses
        for code, value in read_options(block.body[8:], endian):
            if code in _CUSTOM_OPTIONS or code == 7:  # EUI-64 address: dropped
                continue
            if code in _IDB_TEXT:
                value = self._text(value)
            elif code == 4 and len(value) == 8:
                value = addresses.ipv4(value[:4]) + value[4:]
            elif code == 5 and len(value) == 17:
                value = addresses.ipv6(value[:16]) + value[16:]
            elif code == 6 and len(value) == 6:
                value = addresses.mac(value)
            kept.append((code, value))
        self._emit(Block(IDB, block.body[:8] + write_options(kept, endian), endian))

    def _enhanced_packet(self, block: Block) -> None:
        self._packet(block, "I8xII")  # interface, timestamp, captured and original length

    def _obsolete_packet(self, block: Block) -> None:
        self._packet(block, "H10xII")  # interface, drops, timestamp, captured and original length

    def _too_short(self, block: Block, need: int) -> None:
        if len(block.body) < need:
            raise InputError(
                f"{self.pcapng.name}: corrupt capture: block type 0x{block.type:x} after packet"
                f" {self.pcapng.packets_read - (block.type in (PB, SPB, EPB))} is too short"
                f" ({len(block.body) + 12} bytes)"
            )

    def _packet(self, block: Block, fixed: str) -> None:
        """An enhanced or obsolete packet block: 20 bytes of fixed fields (`fixed` reads
        the interface, captured and original length from them), the data, then its options."""
        body, endian = block.body, block.endian
        self._too_short(block, 20)
        interface, caplen, original = struct.unpack_from(endian + fixed, body, 0)
        end = 20 + caplen
        if end > len(body):
            raise InputError(
                f"{self.pcapng.name}: corrupt capture: packet {self.pcapng.packets_read} overruns its block"
            )
        if interface >= len(self.linktypes):
            raise InputError(
                f"{self.pcapng.name}: corrupt capture: packet {self.pcapng.packets_read} names"
                f" interface {interface}, which no interface block describes"
            )
        data, after = body[20:end], body[end + (-caplen % 4) :]
        self.packets.number = self.pcapng.packets_read
        _record_lengths(self.packets, caplen, original, self.linktypes[interface][1])
        slot = Slot(b"", bytearray(data), b"")
        # The packet first: what it teaches (a SIP user name) is then found in its comment.
        self.packets.packet(self.linktypes[interface][0], data, slot)
        if after:
            self.packets.batch.flush()
        options = self._options(after, endian, frozenset({_COMMENT}), drop=frozenset({3}))  # epb_hash: stale
        pad = b"\x00" * (-len(data) % 4)
        length = 32 + len(data) + len(pad) + len(options)
        slot.prefix = struct.pack(endian + "II", block.type, length) + body[:20]
        slot.suffix = pad + options + struct.pack(endian + "I", length)
        self.stats.packets += 1
        self.out.push(slot)

    def _simple_packet(self, block: Block) -> None:
        body, endian = block.body, block.endian
        self._too_short(block, 4)
        if not self.linktypes:
            raise InputError(
                f"{self.pcapng.name}: corrupt capture: a packet comes before any interface block"
            )
        (original,) = struct.unpack_from(endian + "I", body, 0)
        linktype, snaplen = self.linktypes[0]
        caplen = min(original, len(body) - 4, snaplen or original)
        self.packets.number = self.pcapng.packets_read
        self.packets.cut_short = caplen < original
        data = body[4 : 4 + caplen]
        slot = Slot(
            struct.pack(endian + "II", SPB, 12 + len(body)) + body[:4],
            bytearray(data),
            self._after_simple_packet(body[4 + caplen :]) + struct.pack(endian + "I", 12 + len(body)),
        )
        self.packets.packet(linktype, data, slot)
        self.stats.packets += 1
        self.out.push(slot)

    def _after_simple_packet(self, rest: bytes) -> bytes:
        """What a simple packet block holds after its packet: padding, or, where the
        original length lies, bytes of no packet at all (scanned as text, never copied)."""
        if not rest.strip(b"\x00"):
            return rest
        self.packets.anomalies.note(
            "spb-rest",
            self.packets.number,
            f"simple packet block holds {len(rest)} bytes after its packet: scanned as text",
        )
        return self.packets.text.datagram(rest)

    def _statistics(self, block: Block) -> None:
        body = block.body
        self._emit(
            Block(
                ISB, body[:12] + self._options(body[12:], block.endian, frozenset({_COMMENT})), block.endian
            )
        )

    def _name_resolution(self, block: Block) -> None:
        """Addresses mapped; the names of a mapped address get pseudonyms (a real name
        next to a pseudonymised address would undo the pseudonym); other names scanned."""
        body, endian = block.body, block.endian
        addresses = self.packets.addresses
        field = self.packets.field
        out = bytearray()
        pos = 0
        unpack = struct.Struct(endian + "HH").unpack_from
        while pos + 4 <= len(body):
            kind, length = unpack(body, pos)
            value = body[pos + 4 : pos + 4 + length]
            if kind == 0:
                break
            size = {1: 4, 2: 16, 3: 6}.get(kind)
            if size is None or len(value) < size:
                pos += 4 + length + (-length % 4)
                continue  # unknown record: dropped
            address = value[:size]
            mapped = (addresses.ipv4 if kind == 1 else addresses.ipv6 if kind == 2 else addresses.mac)(
                address
            )
            names = []
            for name in value[size:].split(b"\x00"):
                if not name:
                    continue
                if mapped != address:
                    names.append(field(Entity.USERNAME, "capture.name_resolution", name))
                else:
                    names.append(self._text(name))
            record = mapped + b"".join(n + b"\x00" for n in names)
            out += struct.pack(endian + "HH", kind, len(record)) + record + b"\x00" * (-len(record) % 4)
            pos += 4 + length + (-length % 4)
        out += struct.pack(endian + "HH", 0, 0)
        options_at = pos + 4
        text_codes = frozenset({_COMMENT, 2})  # comment, ns_dnsname
        options = self._options(body[options_at:], endian, text_codes, drop=frozenset({3, 4}))
        self._emit(Block(NRB, bytes(out) + options, endian))
