"""TCP payloads scanned as one ordered stream per direction.

A value split across two segments is found because each direction's bytes are fed, in
sequence order, to one TextStream; a segment's packet is written once the stream has
scrubbed all of its bytes. Retransmitted bytes get the scrubbed bytes of their first
copy (so a retransmission cannot leak what the first copy had replaced); a segment whose
bytes differ from what the stream already holds, or that lies before the bounded
history, is scanned on its own. Out-of-order segments wait (bounded) for the gap to
fill; a gap that never fills is skipped, and the stream continues after it.

Buffering is bounded: a stream outputs at line ends and at the end of each SIP or HTTP
message (Content-Length), and the capture scrubber forces out whatever holds up its
output queue for too long (see Slot and CaptureScrubber).

TLS is recognised by its record header at the start of a direction and passed through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import regex

from .text import TextScanner, TextStream
from .websocket import WebSocketView, is_upgrade

HISTORY = 1 << 16  # scrubbed bytes kept behind the stream's end, for retransmissions
MAX_FUTURE = 256  # out-of-order segments held per direction before the gap is skipped
_WRAP = 1 << 32
_HEADER_END = regex.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = regex.compile(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d{1,9})[ \t]*\r?$")
_COMPRESSED = regex.compile(rb"(?im)^content-encoding[ \t]*:[ \t]*(?:x-)?(?:gzip|deflate|br|compress|zstd)\b")
_COMPRESSED_WARNING = "compressed HTTP bodies (Content-Encoding) blanked: they cannot be scanned"
_MESSAGE_START = regex.compile(rb"[A-Z]+ \S+ (?:SIP|HTTP)/\d\.\d\r?\n|(?:SIP|HTTP)/\d(?:\.\d)? \d{3}")


class Forceable(Protocol):
    def force(self) -> None: ...


class Slot:
    """One packet on its way to the output: done when nothing in it waits any more."""

    __slots__ = ("buf", "finish", "owners", "prefix", "suffix", "waits")

    def __init__(self, prefix: bytes, buf: bytearray, suffix: bytes) -> None:
        self.prefix = prefix
        self.buf = buf
        self.suffix = suffix
        self.waits = 0
        self.owners: list[Forceable] = []  # what it waits for (a stream, a text batch)
        # Run once the last wait ends (checksums over the final payload).
        self.finish: Callable[[], None] | None = None

    def release(self) -> None:
        self.waits -= 1
        if self.waits == 0 and self.finish is not None:
            self.finish()
            self.finish = None


class _View:
    """The part of a slot's buffer that holds stream bytes [start, end)."""

    __slots__ = ("end", "pos", "slot", "start")

    def __init__(self, slot: Slot, start: int, end: int, pos: int) -> None:
        self.slot = slot
        self.start = start
        self.end = end
        self.pos = pos


def _is_tls(data: bytes) -> bool:
    return len(data) >= 5 and 20 <= data[0] <= 23 and data[1] == 3 and data[2] <= 4


class Direction:
    """The bytes one side of a connection sent, in sequence order."""

    def __init__(self, scanner: TextScanner, learn: Callable[[bytes], None]) -> None:
        self.scanner = scanner
        self.learn = learn  # told each newly scrubbed range's original bytes (SDP)
        self.origin: int | None = None  # sequence number of stream offset 0
        self.next = 0  # stream offset of the next byte expected
        self.base = 0  # stream offset of raw[0] and clean[0]
        self.raw = bytearray()  # original bytes [base, next)
        self.clean = bytearray()  # scrubbed bytes [base, resolved)
        self.waiting: list[_View] = []
        # Out-of-order segments by stream offset; a list, since a segment retransmitted
        # before the gap fills arrives at the same offset again (each copy's packet waits).
        self.future: dict[int, list[tuple[bytes, _View]]] = {}
        self.encrypted: bool | None = None
        self.stream: TextStream = scanner.stream()
        self.message_start = 0  # where the next SIP / HTTP message begins
        self.framed = True  # False once the stream stops looking like SIP / HTTP messages
        self.websocket: WebSocketView | None = None  # after an HTTP upgrade to WebSocket
        self.opaque: list[tuple[int, int]] = []  # stream ranges of compressed bodies, blanked

    @property
    def resolved(self) -> int:
        return self.base + len(self.clean)

    def offset_of(self, seq: int) -> int:
        if self.origin is None:
            self.origin = seq
        delta = (seq - self.origin - self.next) % _WRAP
        return self.next + (delta - _WRAP if delta >= _WRAP // 2 else delta)

    def syn(self, seq: int) -> None:
        if self.origin is None:
            self.origin = (seq + 1) % _WRAP

    def segment(self, slot: Slot, seq: int, pos: int, data: bytes) -> None:
        """Take a segment with payload `data`, stored at slot.buf[pos:]. The slot waits
        until the stream has scrubbed those bytes."""
        start = self.offset_of(seq)
        end = start + len(data)
        view = _View(slot, start, end, pos)
        slot.waits += 1
        slot.owners.append(self)
        if start > self.next:
            if len(self.future) >= MAX_FUTURE:
                self.skip_gap()
                self.segment_view(view, data)
                return
            self.future.setdefault(start, []).append((data, view))
            return
        self.segment_view(view, data)

    def segment_view(self, view: _View, data: bytes) -> None:
        start, end = view.start, view.end
        if start < self.next:
            overlap = min(end, self.next)
            if (
                start < self.base
                or self.raw[start - self.base : overlap - self.base] != data[: overlap - start]
            ):
                self._alone(view, data)
                return
        if end > self.next:
            self._append(data[self.next - start :])
        self.waiting.append(view)
        self._serve()
        while self.next in self.future:
            self._take_future(self.next)
        for offset in [o for o in self.future if o < self.next]:
            if offset in self.future:  # an earlier call in this loop may have taken it
                self._take_future(offset)

    def _take_future(self, offset: int) -> None:
        for data, view in self.future.pop(offset):
            self.segment_view(view, data)

    def _alone(self, view: _View, data: bytes) -> None:
        view.slot.buf[view.pos : view.pos + len(data)] = self.scanner.datagram(data)
        view.slot.release()
        view.slot.owners.remove(self)

    def _append(self, data: bytes) -> None:
        if self.encrypted is None:
            self.encrypted = self.next == 0 and _is_tls(data)
        self.raw += data
        self.next += len(data)
        if self.encrypted:
            self.clean += data
            return
        before = self.resolved
        if self.websocket is None and self.framed:
            # Framing first: a compressed body's range is known before its bytes go out,
            # and a WebSocket upgrade splits this chunk into HTTP and frames.
            complete, upgrade_at = self._frame()
            if upgrade_at is not None:
                cut = upgrade_at - (self.next - len(data))
                self.stream.feed(data[:cut])
                self.flush()  # the handshake, scanned as text
                self.websocket = WebSocketView()
                self.framed = False
                data = data[cut:]
            else:
                self.stream.feed(data)
                self._take_output()
                if complete and self.stream.held:
                    self.flush()
                data = b""
        if data and self.websocket is not None:
            self.stream.feed(self.websocket.view(data))
            self._take_output()
            if self.websocket.frame_ended:
                self.flush()  # a frame holds a whole SIP message
        elif data:
            self.stream.feed(data)
            self._take_output()
        if self.resolved > before:
            self.learn(bytes(self.raw[max(0, before - self.base - 2048) : self.resolved - self.base]))

    def _take_output(self) -> None:
        out = self.stream.out
        if not out:
            return
        chunk = bytearray(self.websocket.wire(bytes(out))) if self.websocket is not None else out
        if self.opaque:
            self._blank_opaque(chunk)
        self.clean += chunk
        out.clear()

    def _blank_opaque(self, chunk: bytearray) -> None:
        """Zero the bytes of compressed bodies in `chunk` (it starts at self.resolved)."""
        start = self.resolved
        end = start + len(chunk)
        for low, high in self.opaque:
            if low < end and high > start:
                a, b = max(low, start) - start, min(high, end) - start
                chunk[a:b] = bytes(b - a)
        self.opaque = [(low, high) for low, high in self.opaque if high > end]

    def _frame(self) -> tuple[bool, int | None]:
        """Follow SIP / HTTP messages over the bytes held: (whether they end exactly at the
        end of a message, the stream offset where a WebSocket upgrade hands over)."""
        while True:
            at = self.message_start - self.base
            if at < 0:
                self.framed = False
                return False, None
            head = _HEADER_END.search(self.raw, at)
            if head is None:
                if len(self.raw) - at > HISTORY:
                    self.framed = False
                return False, None
            if at == 0 and self.message_start == 0 and not _MESSAGE_START.match(self.raw, at):
                self.framed = False
                return False, None
            headers = self.raw[at : head.end()]
            if is_upgrade(headers):
                self.message_start = self.base + head.end()
                return False, self.message_start
            length = _CONTENT_LENGTH.search(self.raw, at, head.start() + 1)
            size = int(length.group(1)) if length else 0
            end = head.end() + size
            if size and _COMPRESSED.search(headers):
                # gzip / deflate / br text cannot be searched: the body is blanked.
                self.opaque.append((self.base + head.end(), self.base + end))
                warnings = self.scanner.stats.warnings
                if _COMPRESSED_WARNING not in warnings:
                    warnings.append(_COMPRESSED_WARNING)
            if end > len(self.raw):
                return False, None
            self.message_start = self.base + end
            if end == len(self.raw):
                return True, None

    def flush(self) -> None:
        """Scrub and release everything held (message end, FIN, RST, pressure)."""
        if self.encrypted:
            return
        self.stream.flush()
        self._take_output()
        self._serve()

    def skip_gap(self) -> None:
        """Give up on the missing bytes before the earliest out-of-order segment."""
        self.flush()
        if not self.future:
            return
        first = min(self.future)
        self.next = self.base = self.message_start = first
        self.raw.clear()
        self.clean.clear()
        self.framed = False
        self._take_future(first)

    def force(self) -> None:
        """Release what holds up the output queue: flush, then skip a gap if one waits."""
        self.flush()
        if self.future:
            self.skip_gap()

    def _serve(self) -> None:
        resolved = self.resolved
        base = self.base
        still: list[_View] = []
        for view in self.waiting:
            if view.end <= resolved:
                view.slot.buf[view.pos : view.pos + view.end - view.start] = self.clean[
                    view.start - base : view.end - base
                ]
                view.slot.owners.remove(self)
                view.slot.release()
            else:
                still.append(view)
        self.waiting = still
        keep_from = resolved - HISTORY
        if still:
            keep_from = min(keep_from, min(v.start for v in still))
        keep_from = min(keep_from, self.message_start) if self.framed else keep_from
        if keep_from - base > HISTORY:
            cut = keep_from - base
            del self.raw[:cut]
            del self.clean[:cut]
            self.base = keep_from
