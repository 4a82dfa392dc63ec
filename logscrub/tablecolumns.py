"""Headerless call-record tables, their columns told by the values they hold.

A PBX's call accounting (SMDR) and a dialler's campaign export write one call a line,
fields between delimiters, with no header:

    22.12.06|16:11:20|2|1265||00:01:49|2583238||2||||5|
    379393547,Phạm Thành Nam,anh,Khoản vay tiền mặt,...,2019-07-22 16:44:37,ANSWERED,...,đúng rồi /ngày mai /

No key says what a field is, and a seven-digit local number or a four-digit extension
alone is no phone number a pattern may take. The table as a whole says it: a column
whose values are all numbers, one of them a number in the international or national
form a phone has, is the table's column of numbers (the dialled party), and every number
in it is one. Given such a column, the table is one of calls, and its other columns are
told the same way: one of names (two to five capitalised words, many different) holds
people; one of free text, many different from row to row, holds what they said or
wrote. Columns of few values, of short numbers (the PBX's extensions and trunks: what a
call is followed by), of counters, amounts, times or ids stay as they are.

A table is three or more lines with the same number of fields (four or more) under one
delimiter. The state per stream is the open table's shape and column kinds, so a table
that goes on in the next block is judged as it was.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from .detectors.prose import is_common_word
from .model import Entity, Finding
from .phonespell import parse_confident
from .rulepack import Rule

RULE_ID = "table.value_columns"
PRIORITY = 57  # below keyed fields (a header's judgement wins), above bare patterns
_DELIMITERS = ("|", ";", "\t", ",")
_MIN_ROWS = 3
_MIN_FIELDS = 4
_SAMPLE_ROWS = 200  # rows a table's columns are told by; the rest are judged as they say
# A line holding a number of seven digits or more before a delimiter (after another, or
# first): where a table of calls can be. The same condition as LINE_ANCHOR, so that the
# output is the same with Hyperscan and without. `re`, starting on a character class,
# scans a MB in about 6 ms (the `regex` module with `^` alternatives took 35); linear, so
# no time limit.
_GATE = re.compile(r"[|;\t,\n][ \t]*\+?\d{7,15}[ \t]*[|;\t,]")
_GATE_AT_START = re.compile(r"[ \t]*\+?\d{7,15}[ \t]*[|;\t,]")
# The same condition for the engine's Hyperscan line filter, which selects the lines at
# no extra pass (a number that ends its line is left out: Hyperscan takes no `$` there,
# and a table of calls has more fields after the party's).
LINE_ANCHOR = r"(?:^|[|;\t,])[ \t]*\+?[0-9]{7,15}[ \t]*[|;\t,]"
LINE_RULE = Rule(id=RULE_ID, entity=Entity.PHONE_NUMBER, source="tablecolumns.py", line_anchor=LINE_ANCHOR)
_NUMBER = regex.compile(r"\+?\d{3,15}")
_NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}'’.-]*"
_NAME = regex.compile(rf"{_NAME_WORD}(?:[ ]{_NAME_WORD}){{1,4}}")
# Free text: words of letters, with the spaces and punctuation of speech or writing; no
# ids, paths or state names (`1-2 (nhanh_2_2a)/`).
_PROSE = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}\p{N} '’.,!?/:;()-]*")
_WORD = regex.compile(r"\p{L}+")
# A handle in a column of names (`ZACKYATTACKY`), or the placeholder of a name not known
# (`<unknown>`, left as it is: see _judge).
_PLACEHOLDER = regex.compile(r"<[\w ]{1,20}>")
_HANDLE = regex.compile(rf"[\p{{L}}\p{{N}}_.@-]{{2,40}}|{_PLACEHOLDER.pattern}")
_Row = list[tuple[int, int]]  # the spans of a line's fields


@dataclass(frozen=True)
class _Shape:
    delimiter: str
    fields: int


@dataclass(frozen=True)
class _Kinds:
    """What each column of a table holds: an entity, or None to keep it."""

    shape: _Shape
    columns: tuple[Entity | None, ...]


class ValueColumns:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self, default_region: str | None = None) -> None:
        self._region = default_region
        self._open: _Kinds | None = None  # the table the last block ended in

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        """The findings of the next block of the stream, its every line a candidate."""
        return self.findings_in_runs(text, [(0, len(text))])

    def findings_in_runs(self, text: str, runs: Sequence[tuple[int, int]]) -> list[Finding]:
        """The same, where only the lines of `runs` ([start, end) spans of whole lines,
        in order: the engine's line filter, see LINE_RULE) can hold a table's number."""
        found: list[Finding] = []
        carried, self._open = self._open, None
        pos = 0
        if carried is not None:
            rows = _rows(text, 0, carried.shape)
            if rows:
                pos = self._judge(text, rows, carried, found)
        for run_start, run_end in runs:
            if run_end < pos:
                continue
            start = max(pos, run_start)
            if start == 0 and _GATE_AT_START.match(text):
                pos = start = self._table_at(text, 0, found)
            for hit in _GATE.finditer(text, max(0, start - 1), min(len(text), run_end + 1)):
                # (a hit on a newline belongs to the line after it)
                line_start = text.rfind("\n", 0, hit.start() + (text[hit.start()] == "\n")) + 1
                if line_start < pos:
                    continue
                pos = self._table_at(text, line_start, found)
        return found

    def _table_at(self, text: str, line_start: int, found: list[Finding]) -> int:
        """Judge the table around the line at line_start, if there is one; returns where
        the search for the next one goes on."""
        line_end = _line_end(text, line_start)
        resume = line_end + 1
        for delimiter in _DELIMITERS:
            fields = _split(text, line_start, line_end, delimiter)
            if len(fields) < _MIN_FIELDS:
                continue
            shape = _Shape(delimiter, len(fields))
            start = _table_start(text, line_start, shape)
            rows = _rows(text, start, shape)
            if len(rows) < _MIN_ROWS or _under_header(text, start, delimiter):
                continue  # (a table with a header is csvcolumns.py's: its names say more)
            kinds = self._kinds(text, rows, shape)
            if kinds is None:
                # A table without a column of parties: its other lines are not looked at
                # again (each would find the same table).
                resume = max(resume, _line_end(text, rows[-1][-1][1]) + 1)
                continue
            return self._judge(text, rows, kinds, found)
        return resume

    def _judge(self, text: str, rows: list[_Row], kinds: _Kinds, found: list[Finding]) -> int:
        for row in rows:
            for entity, (start, end) in zip(kinds.columns, row, strict=True):
                if entity is None or start == end:
                    continue
                if entity is Entity.PHONE_NUMBER and not _NUMBER.fullmatch(text, start, end):
                    continue
                if _PLACEHOLDER.fullmatch(text, start, end):
                    continue
                found.append(Finding(start, end, entity, RULE_ID, PRIORITY))
        last = rows[-1][-1][1]
        end = _line_end(text, last)
        if end >= len(text):
            self._open = kinds  # the table may go on in the next block
        return end + 1

    def _kinds(self, text: str, rows: list[_Row], shape: _Shape) -> _Kinds | None:
        sample = rows[:_SAMPLE_ROWS]
        values = [[text[s:e].strip() for s, e in (row[i] for row in sample)] for i in range(shape.fields)]
        columns: list[Entity | None] = [None] * shape.fields
        timed = any(_times(column) for column in values)
        numbers = [i for i, column in enumerate(values) if self._numbers(column, timed)]
        if not numbers:
            return None
        for i in numbers:
            columns[i] = Entity.PHONE_NUMBER
        for i, column in enumerate(values):
            if columns[i] is None:
                columns[i] = _other_kind(column)
        return _Kinds(shape, tuple(columns))

    def _numbers(self, column: list[str], timed: bool) -> bool:
        """A column of phone numbers: numbers only, not all alike, not mostly round
        amounts, not a counter; and one of them a phone number by its form, or, in a table of timed
        records (a call's time), most of them as long as a subscriber's number."""
        filled = [v for v in column if v]
        if len(filled) < _MIN_ROWS or not all(_NUMBER.fullmatch(v) for v in filled):
            return False
        if len(set(filled)) < 2 or 2 * sum(1 for v in filled if v.endswith("000")) >= len(filled):
            return False  # one value or amounts (`120000000`, `5321000`)
        if counted(filled):
            return False
        if any(len(v.lstrip("+")) >= 9 and parse_confident(v, self._region) is not None for v in filled):
            return True
        return timed and 2 * sum(1 for v in filled if len(v.lstrip("+")) >= 7) > len(filled)


def _other_kind(column: list[str]) -> Entity | None:
    """Beside a column of numbers: extensions, names or text; None for anything else."""
    filled = [v for v in column if v]
    if len(filled) < _MIN_ROWS:
        return None
    names: list[str] = []
    others: list[str] = []
    for value in filled:
        (names if _NAME.fullmatch(value) else others).append(value)
    if (
        3 * len(names) >= 2 * len(filled)
        and all(_HANDLE.fullmatch(v) for v in others)
        and all(not all(is_common_word(w) for w in _WORD.findall(v)) for v in set(names))
    ):
        # Names, even one name again and again (the partner of every session of a remote-
        # access log), and a handle where a person has no name set: each name has a word
        # that is no common word, as a state's words are.
        return Entity.PERSON_NAME
    distinct = len(set(filled))
    if distinct < 3 or distinct * 3 < len(filled):
        return None  # a column of few values is a type, a state, a trunk
    if all(v.isdigit() for v in filled):
        # Short numbers beside the dialled party are the PBX's own extensions, trunks and
        # codes: what a support engineer follows a call by (the shared call-accounting
        # log keeps them), and not learned anywhere (learned.py).
        return None
    if all(_PROSE.fullmatch(v) and len(_WORD.findall(v)) >= 2 for v in filled):
        words = [w for v in filled for w in _WORD.findall(v)]
        if 10 * sum(1 for w in words if is_common_word(w)) >= 9 * len(words):
            return None  # status texts (`Temporarily Unavailable`, `Not Found`): the app's
        return Entity.MESSAGE_BODY
    return None


_HEADER_FIELD = regex.compile(r"[ \t]*[\"#]?[ \t]*[A-Za-z_][A-Za-z0-9_ .()/-]{0,40}\"?[ \t]*")


def _under_header(text: str, start: int, delimiter: str) -> bool:
    """Whether the line before start names the fields (`line,peername,caller,called,...`)."""
    if start == 0:
        return False
    previous = text.rfind("\n", 0, start - 1) + 1
    names = text[previous : start - 1].rstrip("\r").split(delimiter)
    return len(names) >= 3 and all(_HEADER_FIELD.fullmatch(name) for name in names)


_TIME = regex.compile(
    r"(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    # day first with its time (`17-01-2016 18:08:34` of TeamViewer's connection list)
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}[ T]\d{1,2}:\d{2}(?::\d{2})?"
)


def _times(column: list[str]) -> bool:
    """A column of times or dates (a call's start, its duration)."""
    filled = [v for v in column if v]
    return len(filled) >= _MIN_ROWS and all(_TIME.fullmatch(v) for v in filled)


def counted(values: list[str]) -> bool:
    """Ids counted up row by row (a sequence, a unique id), or times: not parties."""
    numbers = [int(v.lstrip("+")) for v in values]
    # Counted up: rising, and close together (a party's numbers may rise by chance, but
    # they lie millions apart).
    if all(b > a for a, b in itertools.pairwise(numbers)) and (
        numbers[-1] - numbers[0] < 1000 * len(numbers)
    ):
        return True
    # Unix times in seconds or milliseconds, and `20161012135917` stamps.
    return all(_time_like(v) for v in values)


def _time_like(value: str) -> bool:
    return (len(value) in (10, 13) and value[0] == "1") or (len(value) == 14 and value[:2] in ("19", "20"))


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _table_start(text: str, line_start: int, shape: _Shape) -> int:
    """The first line of the run of lines of this shape that holds line_start."""
    start = line_start
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if len(_split(text, previous, start - 1, shape.delimiter)) != shape.fields:
            break
        start = previous
    return start


def _rows(text: str, start: int, shape: _Shape) -> list[_Row]:
    """The field spans of the lines of this shape from start on."""
    rows = []
    size = len(text)
    while start < size:
        end = _line_end(text, start)
        fields = _split(text, start, end, shape.delimiter)
        if len(fields) != shape.fields:
            break
        rows.append(fields)
        start = end + 1
    return rows


def _split(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """The spans of a line's fields (quotes and blanks around them left out)."""
    if end > start and text[end - 1] == "\r":
        end -= 1
    spans = []
    pos = start
    while True:
        cut = text.find(delimiter, pos, end)
        field_end = end if cut < 0 else cut
        s, e = pos, field_end
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        if e - s >= 2 and text[s] == '"' and text[e - 1] == '"':
            s, e = s + 1, e - 1
        spans.append((s, e))
        if cut < 0:
            return spans
        pos = cut + 1
