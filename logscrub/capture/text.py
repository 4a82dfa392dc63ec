"""Application payloads scanned as text by the same rules as logs, byte for byte in place."""

from __future__ import annotations

import codecs
from collections.abc import Callable

from ..engine import Engine
from ..errors import LogscrubError
from ..learned import LearnedValues
from ..model import Stats
from ..textstream import LineSegmenter


class PayloadLengthError(LogscrubError):
    """A replacement changed a payload's length (a bug: capture replacements are byte-exact)."""


class TextScanner:
    """Scans payloads with a capture engine (Engine.for_captures); one per capture, so the
    values learned in one flow (a SIP user name) are found in every other one."""

    def __init__(self, engine: Engine, stats: Stats, learned: LearnedValues | None = None) -> None:
        """`learned`: the run's learned values (by default the capture has its own)."""
        self.engine = engine
        self.stats = stats
        self.learned = learned if learned is not None else engine.new_learned_values()

    def datagram(self, data: bytes) -> bytes:
        """One whole message (a UDP payload, an isolated segment), scrubbed, same length."""
        out: list[str] = []
        LineSegmenter(self.engine, self.stats, out.append, self.learned).feed(
            data.decode("utf-8", "surrogateescape"), final=True
        )
        result = "".join(out).encode("utf-8", "surrogateescape")
        check_length(data, result)
        return result

    def stream(self) -> TextStream:
        return TextStream(self)


class TextStream:
    """One ordered byte stream (a TCP direction): bytes in, scrubbed bytes out in order,
    each output byte standing where its input byte stood. Output comes at line ends (and
    in windows for very long lines), or everything held at `flush`."""

    def __init__(self, scanner: TextScanner) -> None:
        self.out = bytearray()
        self.held = 0  # input bytes not yet output
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self._segmenter = LineSegmenter(scanner.engine, scanner.stats, self._emit, scanner.learned)

    def _emit(self, text: str) -> None:
        data = text.encode("utf-8", "surrogateescape")
        self.out += data
        self.held -= len(data)

    def feed(self, data: bytes) -> None:
        self.held += len(data)
        self._segmenter.feed(self._decoder.decode(data))

    def flush(self) -> None:
        """Scan and output everything held (the message or the stream ended)."""
        if self.held:
            self._segmenter.feed(self._decoder.decode(b"", final=True), final=True)
            self._decoder.reset()
        if self.held:
            raise PayloadLengthError(
                f"internal error: a stream replacement changed its length by {-self.held}"
            )


def check_length(before: bytes, after: bytes) -> None:
    if len(after) != len(before):
        raise PayloadLengthError(
            f"internal error: a replacement changed a payload's length ({len(before)} -> {len(after)} bytes)"
        )


class TextBatch:
    """Text datagrams scanned together: each engine call has a fixed cost per rule, and
    a call capture's SIP datagrams are small, so scanning them one by one would cost far
    more than the text itself. Datagrams are joined at line ends (a newline is put
    between two only where the first does not end with one), like the SIP messages of a
    trace, and each gets its own bytes back (replacements are byte-exact and never cross
    a line end). Packets wait for their batch; the queue forces it out when they hold it up.
    """

    def __init__(self, scanner: TextScanner, count: int = 64, size: int = 1 << 18) -> None:
        self.scanner = scanner
        self.count = count
        self.size = size
        self.pending: list[tuple[bytes, Callable[[bytes], None]]] = []
        self.held = 0

    def add(self, data: bytes, done: Callable[[bytes], None]) -> None:
        """Scan `data` with the next flush; `done` then gets its scrubbed bytes."""
        self.pending.append((data, done))
        self.held += len(data)
        if len(self.pending) >= self.count or self.held >= self.size:
            self.flush()

    def force(self) -> None:
        self.flush()

    def flush(self) -> None:
        pending = self.pending
        if not pending:
            return
        self.pending = []
        self.held = 0
        pieces: list[bytes] = []
        spans: list[tuple[int, int]] = []
        at = 0
        for data, _ in pending:
            pieces.append(data)
            spans.append((at, at + len(data)))
            at += len(data)
            if not data.endswith(b"\n"):
                pieces.append(b"\n")
                at += 1
        joined = b"".join(pieces)
        scrubbed = self.scanner.datagram(joined)
        for (start, end), (_, done) in zip(spans, pending, strict=True):
            done(scrubbed[start:end])
