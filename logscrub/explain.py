"""`logscrub explain`: every finding of a log, line by line, with its entity, rule and fate.

For support engineers who wonder why something was (or was not) replaced, and for rule
authors. Findings are the same as `scrub` finds in the same stream (learned values
included); each says what the policy does with it. Values are what the explanation is
about, so they are shown only when the output is the local terminal (or on request);
nothing here is written to a report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from .encodings import detect_stream
from .engine import Engine
from .learned import LearnedValues
from .model import Entity, Finding, Stats
from .textstream import LineSegmenter, decoded_blocks

ALREADY_SCRUBBED = "already scrubbed"


class Explained(NamedTuple):
    start: int  # offsets within the line (or the piece of a long line)
    end: int
    entity: Entity
    rule_id: str
    action: str  # the operator (pseudonym, mask, label, keep) or "already scrubbed"


@dataclass(frozen=True)
class ExplainedLine:
    number: int  # 1-based
    text: str  # the line without its line end (a long line comes in pieces: see column)
    findings: tuple[Explained, ...]
    column: int = 1  # where `text` starts in its line (1 unless a long line was windowed)


class ExplainSink:
    """The check / explain sink: the pieces `scrub` reads, as lines with their findings.

    A line longer than the policy's max_line_length comes in pieces (the windows `scrub`
    scans), each with the same line number and its starting column, so memory stays
    bounded as in `scrub`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lines: list[ExplainedLine] = []
        self.number = 1  # the line the next piece starts in
        self.column = 1  # the column it starts at

    def take(self, text: str, findings: list[Finding], skip: int) -> None:
        index = 0
        start = skip
        size = len(text)
        while start < size:
            newline = text.find("\n", start)
            end = size if newline < 0 else newline
            on_line: list[Explained] = []
            while index < len(findings) and findings[index].start <= end:
                f = findings[index]
                on_line.append(
                    Explained(
                        f.start - start, f.end - start, f.entity, f.rule_id, _action(self.engine, text, f)
                    )
                )
                index += 1
            piece = text[start:end]
            self.lines.append(
                ExplainedLine(
                    self.number, piece.rstrip("\r") if newline >= 0 else piece, tuple(on_line), self.column
                )
            )
            if newline < 0:
                self.column += end - start
                break
            self.number += 1
            self.column = 1
            start = end + 1


def explain_stream(
    engine: Engine, src: BinaryIO, learned: LearnedValues | None = None
) -> Iterator[ExplainedLine]:
    """Each line of `src` with the findings on it, in order, read exactly as `scrub`
    reads it (the same segmenter, windows and learned values; `learned`: the run's)."""
    sink = ExplainSink(engine)
    segmenter = LineSegmenter(engine, Stats(), learned=learned, sink=sink)
    encoding, src = detect_stream(src)
    for chunk, text in decoded_blocks(src, engine.policy.block_size, encoding):
        segmenter.feed(text, final=not chunk)
        yield from sink.lines
        sink.lines.clear()


def _action(engine: Engine, text: str, finding: Finding) -> str:
    if engine.replacer.is_replacement(finding.entity, text[finding.start : finding.end]):
        return ALREADY_SCRUBBED
    return str(engine.operator_for(finding.entity, finding.rule_id).value)


# --- rendering ---------------------------------------------------------------------

_HIGHLIGHT, _RESET, _DIM = "\x1b[7m", "\x1b[0m", "\x1b[2m"


# Lines longer than this are shown as one excerpt per finding, not whole.
LONG_LINE = 400
_EXCERPT = 40  # characters shown either side of a finding in a long line


def render(line: ExplainedLine, *, show_values: bool, color: bool) -> list[str]:
    """The line (values masked unless `show_values`) and one caret line per finding; a
    long line (a JSON dump on one line) as one excerpt per finding, with its column.

    One display column per character: tabs become spaces and invalid bytes '?', so the
    carets stand under the value (wide East Asian characters still shift them)."""
    if len(line.text) > LONG_LINE:
        return _render_long(line, show_values=show_values, color=color)
    shown = list(_printable(line.text))
    if not show_values:
        for f in line.findings:
            shown[f.start : f.end] = "*" * (f.end - f.start)
    gutter = f"{line.number:>6} | "
    if color:
        for f in sorted(line.findings, key=lambda f: -f.start):
            shown[f.start : f.end] = [_HIGHLIGHT + "".join(shown[f.start : f.end]) + _RESET]
    out = [gutter + "".join(shown)]
    blank = " " * (len(gutter) - 2) + "| "
    for f in line.findings:
        carets = " " * f.start + "^" * max(1, f.end - f.start)
        out.append(f"{blank}{carets} {_note(f, color)}")
    return out


def _render_long(line: ExplainedLine, *, show_values: bool, color: bool) -> list[str]:
    out: list[str] = []
    for f in line.findings:
        lo, hi = max(0, f.start - _EXCERPT), min(len(line.text), f.end + _EXCERPT)
        value = line.text[f.start : f.end] if show_values else "*" * (f.end - f.start)
        before, after = _printable(line.text[lo : f.start]), _printable(line.text[f.end : hi])
        shown_value = _printable(value)
        if color:
            shown_value = _HIGHLIGHT + shown_value + _RESET
        gutter = f"{line.number:>6}:{line.column + f.start:<8} | "
        out.append(
            f"{gutter}{'…' if lo else ''}{before}{shown_value}{after}{'…' if hi < len(line.text) else ''}"
        )
        carets = " " * (len(before) + (1 if lo else 0)) + "^" * max(1, f.end - f.start)
        out.append(f"{' ' * (len(gutter) - 2)}| {carets} {_note(f, color)}")
    return out


def _note(f: Explained, color: bool) -> str:
    note = f"{f.entity.value} {f.rule_id} -> {f.action}"
    return _DIM + note + _RESET if color else note


def _printable(text: str) -> str:
    return "".join(
        " " if ch == "\t" else "?" if "\ud800" <= ch <= "\udfff" or ch < " " or "\x7f" <= ch <= "\x9f" else ch
        for ch in text
    )
