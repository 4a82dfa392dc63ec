"""CSV tables (CDR exports, contact lists): a column is known by its header.

`2026-03-04 09:12:01,42,+14155550123,4155550188,"Jane Roe",...` holds a name no pattern
can tell from any other quoted text; the header line `start,duration,src,dst,caller_name`
says what each column is. When a stream's first line is such a header (three or more plain
column names, one of them a key the key-value rules know), each following record's fields
are judged by the rule for their column, until a line no longer has the table's shape.
The state per stream is the header's column rules.

Some tables have no header but a fixed layout: Asterisk's `Master.csv` (cdr_csv: account
code, src, dst, context, clid, channel, dstchannel, app, appdata, start, answer, end,
duration, billsec, disposition, amaflags, ...) is told by its disposition column, and its
columns are judged as if its header were there.
"""

from __future__ import annotations

import regex

from .detectors.base import RuleChecks
from .detectors.keyvalue import KeyValueDetector
from .model import Finding

_NAME = regex.compile(r'[ \t]*"?(?P<name>[A-Za-z_][A-Za-z0-9_ .-]{0,40}?)"?[ \t]*')
_DELIMITERS = (",", ";", "\t")
# Asterisk cdr_csv: the column names of its fixed layout, and the dispositions that tell it.
_ASTERISK_CDR = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
)
_DISPOSITIONS = frozenset({"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"})
_FIELD = {
    # A quote inside a quoted field that does not end it (`""Satya" <1101>"`, as some CDR
    # exports write a caller ID) is content, as a doubled one is.
    d: regex.compile(
        rf'[ \t]*(?:"(?P<quoted>(?:[^"]|""|"(?![ \t]*(?:{d}|\r?$)))*)"'
        rf'|(?P<plain>[^{d}"\r\n]*))[ \t]*(?:{d}|\r?$)'
    )
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
            # A header is skipped; a headerless table's first line is a record too.
            pos = 0 if self._read_header(text[:end].rstrip("\r")) else end + 1
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

    def _read_header(self, line: str) -> bool:
        """Take the table's layout from its first line; True when that line is a record."""
        if self._read_asterisk_cdr(line):
            return True
        for delimiter in _DELIMITERS:
            names = line.split(delimiter)
            if len(names) < 3:
                continue
            matches = [_NAME.fullmatch(n) for n in names]
            if not all(matches):
                return False
            columns = [self._keys.rule_for(m["name"].strip()) for m in matches if m is not None]
            if any(columns):
                self._columns, self._delimiter = columns, delimiter
            return False
        return False

    def _read_asterisk_cdr(self, line: str) -> bool:
        """A headerless Asterisk Master.csv record: its columns by their fixed names."""
        values = _split(line, ",")
        if values is None or len(values) < 16 or values[14] not in _DISPOSITIONS:
            return False
        names = list(_ASTERISK_CDR) + [""] * (len(values) - len(_ASTERISK_CDR))
        self._columns = [self._keys.rule_for(n) if n in ("src", "dst") else None for n in names]
        self._delimiter = ","
        return True

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


def _split(line: str, delimiter: str) -> list[str] | None:
    """The fields of one CSV line (quotes removed), or None when it is no CSV line."""
    pattern = _FIELD[delimiter]
    values: list[str] = []
    pos = 0
    while pos <= len(line):
        match = pattern.match(line, pos)
        if match is None:
            return None
        values.append(match["quoted"] if match.start("quoted") >= 0 else match["plain"])
        if match.end() >= len(line):
            break
        pos = match.end()
    return values
