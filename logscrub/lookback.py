"""Learned values reach back: a value found late in a stream is also replaced a little
before the place it was found.

Logs often mention a user or a number a few lines before the line a rule understands
(Asterisk logs `Called PJSIP/mhofmann` just before the INVITE to `sip:mhofmann@...`).
Scanned text is therefore held back, bounded, before it is written: when a value is
learned at stream position p, its occurrences from p - window on are findings too. Only
text that no later value can reach (more than `window` characters behind the newest
scanned text) is released, so memory stays bounded and the output does not depend on how
the stream was cut into blocks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from .detectors.base import ScanText
from .engine import resolve_overlaps
from .learned import LearnedValues, NewValues
from .model import Finding


@dataclass
class _Held:
    start: int  # stream offset of text[0]
    text: str
    findings: list[Finding]

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class Lookback:
    """Holds (text, findings) blocks of one stream until no later value can reach them."""

    def __init__(self, learned: LearnedValues, window: int) -> None:
        self.learned = learned
        self.window = window
        self.held: deque[_Held] = deque()
        self.offset = 0

    def add(self, text: str, findings: list[Finding]) -> Iterator[tuple[str, list[Finding]]]:
        """Take the next scanned block (findings from Engine.findings with `self.learned`);
        yields the blocks that are final now, in stream order."""
        block = _Held(self.offset, text, findings)
        self.offset += len(text)
        for new in self.learned.take_new():
            self._reach_back(new, block)
        self.held.append(block)
        while self.held and self.held[0].end <= self.offset - self.window:
            done = self.held.popleft()
            yield done.text, done.findings

    def flush(self) -> Iterator[tuple[str, list[Finding]]]:
        """Everything held, in order (at the end of the stream, or before text that is
        written without lookback: values learned there do not reach back)."""
        self.learned.take_new()
        while self.held:
            done = self.held.popleft()
            yield done.text, done.findings

    def _reach_back(self, new: NewValues, current: _Held) -> None:
        """Occurrences of values learned in `current` (at block offsets new.first[value])
        in the window before their first finding: there and in the held blocks. Only the
        lines the window covers are scanned again."""
        first = {value: current.start + at for value, at in new.first.items()}
        fragments = {value: at for value, at in first.items() if value in self.learned.fragments}
        widths = {len(value) for value in fragments}
        reach, last = min(first.values()) - self.window, max(first.values())
        for block in [*self.held, current]:
            if block.end <= reach or block.start >= last:
                continue
            text = block.text
            lo = text.rfind("\n", 0, max(0, reach - block.start)) + 1
            hi = text.find("\n", min(len(text), last - block.start))
            hi = len(text) if hi < 0 else hi
            extra = []
            for finding in self.learned.occurrences(new.matcher, ScanText(text[lo:hi])):
                start, end = finding.start + lo, finding.end + lo
                found_at = first.get(text[start:end])
                if found_at is None and fragments:
                    # A message's fragment, widened to all it shares with the message: the
                    # fragments in it tell where the message was found.
                    found_at = _earliest_fragment(text[start:end], fragments, widths)
                if found_at is not None and found_at - self.window <= block.start + start < found_at:
                    extra.append(finding._replace(start=start, end=end))
            if extra:
                block.findings = resolve_overlaps([*block.findings, *extra])


def _earliest_fragment(span: str, fragments: dict[str, int], widths: set[int]) -> int | None:
    """The earliest place among the fragments (of the lengths `widths`) that occur in span.
    A message's fragments have one length (see LearnedValues.forms), so span's substrings
    of that length are looked up: testing every fragment against every widened echo cost a
    twentieth of a whole run."""
    if sum(len(span) - width + 1 for width in widths) >= len(fragments):
        return min((at for value, at in fragments.items() if value in span), default=None)
    places = [
        fragments[piece]
        for width in widths
        for i in range(len(span) - width + 1)
        if (piece := span[i : i + width]) in fragments
    ]
    return min(places, default=None)
