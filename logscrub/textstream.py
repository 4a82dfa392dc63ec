"""Streaming text path: bytes in, bytes out, bounded memory, byte-faithful.

Input is decoded in its own encoding (UTF-8 with `surrogateescape`, or UTF-16 / UTF-32 as
its bytes tell, see encodings.py) and written back in it, so invalid bytes survive the
round trip exactly. Text is handed to the engine in segments of whole lines of at most
`max_line_length` characters; a line longer than that is scanned in overlapping
windows (never passed through unscanned). Because detection never crosses a line end,
where segments are cut does not change the output; read sizes never matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, Protocol

from .encodings import UTF8, TextEncoding, detect_stream
from .engine import Engine
from .errors import InputError
from .learned import LearnedValues
from .lookback import Lookback
from .model import Finding, Stats

# Whole lines held back at the end of what was read so far (see LineSegmenter.feed).
_TAIL = 1 << 16
BINARY_WARNING = "binary content (NUL bytes) found; scanned as text (policy binary=scan)"


class Sink(Protocol):
    """What consumes a segmented stream: the scrub writer, check, explain.

    `take` gets each piece of the stream once, in order: `text[skip:]` is new (the first
    `skip` characters are context from the line before, already taken), with its final
    findings (spans into `text`, all at or after `skip`)."""

    def take(self, text: str, findings: list[Finding], skip: int) -> None: ...


class ScrubSink:
    """The scrub writer: each piece with its findings replaced, to `emit`."""

    def __init__(self, engine: Engine, stats: Stats, emit: Callable[[str], None]) -> None:
        self.engine = engine
        self.stats = stats
        self.emit = emit

    def take(self, text: str, findings: list[Finding], skip: int) -> None:
        scrubbed = self.engine.scrub(text, self.stats, findings)
        phones = self.engine.phones
        if phones is not None and phones.pending:
            phones.settle(scrubbed, skip, self.stats.bytes_out)
        self.emit(scrubbed[skip:] if skip else scrubbed)


class _LearnOnly:
    """The sink of a learning pass: what the engine learned while finding is all it wants."""

    def take(self, text: str, findings: list[Finding], skip: int) -> None:
        pass


class LineSegmenter:
    """Feeds whole-line segments and long-line windows of a text stream to the engine,
    and what it finds to a sink. The one way text is read, whoever consumes it."""

    def __init__(
        self,
        engine: Engine,
        stats: Stats,
        emit: Callable[[str], None] | None = None,
        learned: LearnedValues | None = None,
        sink: Sink | None = None,
    ) -> None:
        """`emit`: where scrubbed text goes (the scrub writer), unless `sink` is given.
        `learned`: the run's learned values (shared by every stream of the run); by
        default the stream has its own."""
        self.engine = engine
        self.stats = stats
        if sink is None:
            assert emit is not None
            sink = ScrubSink(engine, stats, emit)
        self.sink = sink
        self.limit = engine.policy.max_line_length
        self.overlap = engine.policy.window_overlap
        self.pending = ""
        self.learned = learned if learned is not None else engine.new_learned_values()
        self.trackers = engine.new_trackers()
        self.lookback = Lookback(self.learned, engine.policy.lookback)
        # Original text just before `pending` on the same line: lookbehind context for a
        # window that starts in the middle of a long line. Empty at a line start.
        self.context = ""

    def warm_up(self, text: str) -> None:
        """Read `text` (whole lines from before where this stream starts: a part of a split
        log, see parts.py) for what it teaches the trackers and the learned store,
        writing and counting nothing."""
        assert not self.pending and not self.context
        sink, stats = self.sink, self.stats
        self.sink, self.stats = _LearnOnly(), Stats()
        try:
            self.feed(text, final=True)
        finally:
            self.sink, self.stats = sink, stats

    def feed(self, text: str, final: bool = False) -> None:
        pending = self.pending + text if self.pending else text
        pos = 0
        size = len(pending)
        limit = self.limit
        while pos < size:
            room = limit - len(self.context)
            if final and size - pos <= room:
                self._scan(pending[pos:])  # the last lines, an unfinished one with them
                pos = size
                break
            # Until the input ends, the last _TAIL characters of whole lines wait with the
            # unfinished line: the end of the input is then scanned with the lines before it
            # (the object a JSON key stands in, a file that ends without a newline).
            horizon = size if final else size - min(_TAIL, room)
            end = min(pos + room + 1, size)
            cut = pending.rfind("\n", pos, min(end, horizon))
            if cut >= 0:
                self._scan(pending[pos : cut + 1])
                pos = cut + 1
            elif size - pos > room and pending.find("\n", pos, end) < 0:
                pos += self._window(pending[pos : pos + room])
            else:
                break
        self.pending = pending[pos:]
        if final:
            self._release(self.lookback.flush())

    def _release(self, blocks: Iterator[tuple[str, list[Finding]]]) -> None:
        take = self.sink.take
        for text, findings in blocks:
            take(text, findings, 0)

    def _scan(self, segment: str) -> None:
        """Scan whole lines (the first may continue a long line whose start was windowed)."""
        context = self.context
        if not context:
            findings = self.engine.findings(segment, self.learned, self.trackers)
            self._release(self.lookback.add(segment, findings))
        else:
            # The end of a windowed long line: written at once, without lookback, like the
            # windows before it (values learned there do not reach back).
            text = context + segment
            skip = len(context)
            findings = [f for f in self.engine.findings(text, self.learned) if f.start >= skip]
            self.learned.take_new()
            self.sink.take(text, findings, skip)
        self.context = ""

    def _window(self, chunk: str) -> int:
        """Scan one window of an over-long line; return how much of `chunk` was emitted."""
        self._release(self.lookback.flush())  # held text comes first
        context = self.context
        text = context + chunk
        skip = len(context)
        commit = len(text) - self.overlap
        findings = [f for f in self.engine.findings(text, self.learned) if skip <= f.start < commit]
        self.learned.take_new()
        if findings:
            commit = max(commit, max(f.end for f in findings))
        self.sink.take(text[:commit], findings, skip)
        self.context = text[max(0, commit - self.overlap) : commit]
        self.stats.long_line_windows += 1
        return commit - skip


def decoded_blocks(
    src: BinaryIO, block_size: int, encoding: TextEncoding = UTF8
) -> Iterator[tuple[bytes, str]]:
    """(chunk, its text) per read of `src`; the last pair is (b"", what the decoder held back),
    so a character split across reads is decoded whole and invalid bytes survive."""
    decoder = encoding.decoder()
    while chunk := src.read(block_size):
        yield chunk, decoder.decode(chunk)
    yield b"", decoder.decode(b"", final=True)


def scrub_binary_stream(
    engine: Engine,
    src: BinaryIO,
    dst: BinaryIO,
    stats: Stats,
    name: str,
    learned: LearnedValues | None = None,
    *,
    warm_up: str = "",
    encoding: TextEncoding | None = None,
) -> None:
    """A log scrubbed into `dst`. A part of a split log (see parts.py) gives its `encoding`
    (its first bytes are the middle of a text) and the text before it its trackers need,
    read first without output (`warm_up`)."""
    if encoding is None:
        encoding, src = detect_stream(src)
    encode = encoding.encode

    def emit(text: str) -> None:
        data = encode(text)
        stats.bytes_out += len(data)
        dst.write(data)

    read_text_stream(engine, src, stats, name, LineSegmenter(engine, stats, emit, learned), encoding, warm_up)


def learn_text_stream(
    engine: Engine,
    src: BinaryIO,
    name: str,
    learned: LearnedValues,
    *,
    warm_up: str = "",
    encoding: TextEncoding | None = None,
) -> None:
    """A learning pass over a log: read as `scrub` reads it, its values learned into
    `learned`, nothing replaced or written (`warm_up`, `encoding`: as for
    scrub_binary_stream)."""
    stats = Stats()
    segmenter = LineSegmenter(engine, stats, learned=learned, sink=_LearnOnly())
    read_text_stream(engine, src, stats, name, segmenter, encoding, warm_up)


def read_text_stream(
    engine: Engine,
    src: BinaryIO,
    stats: Stats,
    name: str,
    segmenter: LineSegmenter,
    encoding: TextEncoding | None = None,
    warm_up: str = "",
) -> None:
    """The text reader: `src` decoded (in `encoding`, by default the one its bytes tell)
    and fed to `segmenter` (which hands it to its sink), after `warm_up` (see
    LineSegmenter.warm_up)."""
    policy = engine.policy
    if warm_up:
        segmenter.warm_up(warm_up)
    if encoding is None:
        encoding, src = detect_stream(src)
    newline = encoding.newline
    for chunk, text in decoded_blocks(src, policy.block_size, encoding):
        if not chunk:
            segmenter.feed(text, final=True)
            break
        stats.bytes_in += len(chunk)
        stats.lines += chunk.count(newline)
        if not encoding.wide and not stats.binary and b"\x00" in chunk:
            if policy.binary == "fail":
                raise InputError(f"{name}: binary input (NUL bytes) refused by policy binary=fail")
            stats.binary = True
            stats.warnings.append(BINARY_WARNING)
        segmenter.feed(text)
