"""The walk shared by trackers of line-based chat logs (pidginlog.py, lineexport.py): inside
a log every line is read in order; outside one, only the line that may open one is."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Finding


class LineTracker:
    """Per-stream tracker; feed it each block of whole lines, in order. A subclass says
    where the next log may start (`_next_start`) and reads each line (`_line`), setting
    `_inside` while the lines read are its log."""

    def __init__(self) -> None:
        self._inside = False  # the lines read are the tracker's log
        self._continued = 0  # lines the last message may still run on for

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        size = len(text)
        while pos < size:
            if not self._inside:
                # Outside a log only what may open one matters: straight to the next one.
                start = self._next_start(text, pos)
                if start < 0:
                    break
                pos = start
            end = text.find("\n", pos)
            end = size if end < 0 else end
            self._line(text, pos, end, found)
            pos = end + 1
        return found

    def _next_start(self, text: str, pos: int) -> int:
        """The start of the next line at or after `pos` that may open a log, or -1."""
        raise NotImplementedError

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        raise NotImplementedError


def blank_trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span text[start:end] without the blanks at its ends (a value on a line of its
    own, indented or with a trailing blank or carriage return)."""
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t\r":
        end -= 1
    return start, end
