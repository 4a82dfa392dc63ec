"""SQL dumps and statements: `INSERT INTO cdr (src, dst, clid) VALUES ('1001', ...)`.

PBX and billing databases (asteriskcdrdb, A2Billing, FusionPBX) reach support as SQL dumps
and as statements in logs. A value in a VALUES tuple is known by its column, as a CSV field
is by its header: the column list of the INSERT, or, for `INSERT INTO t VALUES (...)`, the
columns of the `CREATE TABLE t (...)` seen earlier in the stream (mysqldump writes both).
Each value is judged by the key rule its column names (`src`, `email`, `password`,
`caller_name`), as that key's field anywhere. A column list without VALUES on its line
applies to the VALUES on the next one; a VALUES that ends its line applies to the rows
that follow, one a line (phpMyAdmin). The state per stream is the known tables' columns
(bounded), a pending column list and the columns of rows being read.
"""

from __future__ import annotations

from collections.abc import Mapping

import regex

from .candidates import read_candidate_lines, trigger_lines
from .detectors.keyvalue import KeyValueDetector
from .model import Finding

_NAME = r"[`\"\[]?(?P<{0}>[A-Za-z_][\w$]{{0,63}})[`\"\]]?"
_QUALIFIED = rf"(?:[`\"\[]?[A-Za-z_][\w$]{{0,63}}[`\"\]]?\.)?{_NAME.format('table')}"
_INSERT = regex.compile(
    rf"(?i)\b(?:INSERT|REPLACE)(?:[ \t]+IGNORE)?[ \t]+INTO[ \t]+{_QUALIFIED}[ \t]*"
    r"(?:\((?P<columns>[^()\r\n]{1,4096})\))?"
)
_CREATE = regex.compile(
    rf"(?i)\bCREATE[ \t]+TABLE[ \t]+(?:IF[ \t]+NOT[ \t]+EXISTS[ \t]+)?{_QUALIFIED}[ \t]*\("
)
_COLUMN_DEF = regex.compile(rf"[ \t]*{_NAME.format('column')}[ \t]+[A-Za-z]")
_VALUES = regex.compile(r"(?i)\bVALUES[ \t]*")
# One SQL literal: a quoted string ('' or \' inside), a number, NULL or another bare word.
_LITERAL = regex.compile(
    r"[ \t]*(?:'(?P<single>(?:[^'\\\r\n]|''|\\.)*)'"
    r'|"(?P<double>(?:[^"\\\r\n]|""|\\.)*)"'
    r"""|(?P<bare>[^,()'"\r\n]*?))[ \t]*(?=[,)])"""
)
_SEPARATORS = regex.compile(r"[ \t]*(?:,[ \t]*)?")
_KNOWN_TABLES = 256


class SqlInserts:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    # The words a statement starts with (ASCII-caseless, at a word start).
    TRIGGERS = ("insert", "create table", "replace into")

    def __init__(self, keys: KeyValueDetector) -> None:
        self._keys = keys
        self._tables: dict[str, list[str]] = {}
        self._creating: tuple[str, list[str]] | None = None  # a CREATE TABLE being read
        self._pending: list[str] | None = None  # an INSERT's columns waiting for VALUES
        self._rows: list[str] | None = None  # the columns of rows written one a line after VALUES

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []

        def read(start: int, end: int) -> bool:
            self._line(text, start, end, found)
            return self._statement_open

        # Most blocks hold no SQL: the trigger words come from the shared keyword pass.
        read_candidate_lines(text, trigger_lines(text, self.TRIGGERS, positions), read, self._statement_open)
        return found

    @property
    def _statement_open(self) -> bool:
        """Whether a statement goes on past the line read last (CREATE TABLE, or VALUES due)."""
        return self._creating is not None or self._pending is not None or self._rows is not None

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        if self._creating is not None:
            self._column_definition(text, start, end)
            return
        if self._rows is not None:
            # phpMyAdmin's dumps: `INSERT INTO t (cols) VALUES` then one `(...),` a line,
            # the last ending in `;`.
            line = text[start:end].strip()
            if line.startswith("("):
                self._tuples(text, start, end, self._rows, found)
                if line.endswith(";"):
                    self._rows = None
                return
            self._rows = None
        create = _CREATE.search(text, start, end)
        if create is not None:
            self._creating = (create["table"].lower(), [])
            return
        columns = self._pending
        self._pending = None
        insert = _INSERT.search(text, start, end)
        values_from = start
        if insert is not None:
            listed = insert["columns"]
            columns = _column_names(listed) if listed else self._tables.get(insert["table"].lower())
            values_from = insert.end()
        if columns is None:
            return
        values = _VALUES.search(text, values_from, end)
        if values is None:
            if insert is not None:
                self._pending = columns  # `INSERT INTO t (cols)` / `VALUES (...)` on the next line
            return
        if not text[values.end() : end].strip():
            self._rows = columns  # the rows follow, one a line
            return
        self._tuples(text, values.end(), end, columns, found)

    def _column_definition(self, text: str, start: int, end: int) -> None:
        assert self._creating is not None
        table, columns = self._creating
        line = text[start:end].strip()
        if line.startswith(")") or line.endswith(";"):
            if len(self._tables) < _KNOWN_TABLES:
                self._tables[table] = columns
            self._creating = None
            return
        match = _COLUMN_DEF.match(text, start, end)
        keyword = match is not None and match["column"].upper() in (
            "PRIMARY",
            "KEY",
            "UNIQUE",
            "CONSTRAINT",
            "INDEX",
        )
        if match is not None and not keyword:
            columns.append(match["column"])

    def _tuples(self, text: str, pos: int, end: int, columns: list[str], found: list[Finding]) -> None:
        """Every `(v1, v2, ...)` from pos to the line end, each value by its column."""
        while pos < end:
            opening = text.find("(", pos, end)
            if opening < 0:
                return
            pos = opening + 1
            for column in columns:
                literal = _LITERAL.match(text, pos, end)
                if literal is None:
                    return
                group = next((g for g in ("single", "double", "bare") if literal.start(g) >= 0), "bare")
                s, e = literal.span(group)
                checks = self._keys.rule_for(column)
                if checks is not None and e > s and text[s:e].upper() != "NULL":
                    found.extend(self._keys.judge(checks, text, s, e))
                pos = literal.end()
                if pos < end and text[pos] == ")":
                    break
                separator = _SEPARATORS.match(text, pos, end)
                pos = separator.end() if separator is not None else pos
            close = text.find(")", pos, end)
            if close < 0:
                return
            pos = close + 1


def _column_names(listed: str) -> list[str]:
    return [name.strip().strip('`"[]') for name in listed.split(",")]
