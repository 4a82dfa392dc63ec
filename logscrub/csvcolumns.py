"""CSV tables (CDR exports, contact lists): a column is known by its header.

`2026-03-04 09:12:01,42,+14155550123,4155550188,"Jane Roe",...` holds a name no pattern
can tell from any other quoted text; the header line `start,duration,src,dst,caller_name`
says what each column is. When a stream's first line is such a header (three or more plain
column names, one of them a key the key-value rules know), each following record's fields
are judged by the rule for their column, until a line no longer has the table's shape.
The state per stream is the header's column rules.
"""

from __future__ import annotations

import regex

from .detectors.base import RuleChecks
from .detectors.keyvalue import KeyValueDetector
from .model import Finding

_NAME = regex.compile(r'[ \t]*"?(?P<name>[A-Za-z_][A-Za-z0-9_ .-]{0,40}?)"?[ \t]*')
_DELIMITERS = (",", ";", "\t")
_FIELD = {
    d: regex.compile(rf'[ \t]*(?:"(?P<quoted>(?:[^"]|"")*)"|(?P<plain>[^{d}"\r\n]*))[ \t]*(?:{d}|\r?$)')
    for d in _DELIMITERS
}


class CsvColumns:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self, keys: KeyValueDetector) -> None:
        self._keys = keys
        self._first = True
        self._columns: list[RuleChecks | None] | None = None
        self._delimiter = ","

    def findings(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        if self._first:
            self._first = False
            end = text.find("\n")
            end = len(text) if end < 0 else end
            self._read_header(text[:end].rstrip("\r"))
            pos = end + 1
        if self._columns is None:
            return found
        size = len(text)
        while pos < size:
            end = text.find("\n", pos)
            end = size if end < 0 else end
            if not self._record(text, pos, end, found):
                self._columns = None
                break
            pos = end + 1
        return found

    def _read_header(self, line: str) -> None:
        for delimiter in _DELIMITERS:
            names = line.split(delimiter)
            if len(names) < 3:
                continue
            matches = [_NAME.fullmatch(n) for n in names]
            if not all(matches):
                return
            columns = [self._keys.rule_for(m["name"].strip()) for m in matches if m is not None]
            if any(columns):
                self._columns, self._delimiter = columns, delimiter
            return

    def _record(self, text: str, start: int, end: int, found: list[Finding]) -> bool:
        """Judge one record; False when the line is not a record of this table."""
        columns = self._columns
        assert columns is not None
        pattern = _FIELD[self._delimiter]
        pos = start
        spans: list[tuple[int, int]] = []
        while pos <= end and len(spans) <= len(columns):
            match = pattern.match(text, pos, end)
            if match is None:
                return False
            group = "quoted" if match.start("quoted") >= 0 else "plain"
            spans.append(match.span(group))
            if match.end() >= end and text[match.end() - 1 : match.end()] != self._delimiter:
                break
            pos = match.end()
        if len(spans) != len(columns):
            return start == end  # a blank line ends nothing; a different shape ends the table
        for checks, (s, e) in zip(columns, spans, strict=True):
            if checks is not None and e > s and checks.accepts(text, s, e):
                rule = checks.rule
                found.append(Finding(s, e, checks.entity_for(text[s:e]), rule.id, rule.priority))
        return True
