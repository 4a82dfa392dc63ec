"""Mork databases: the address books of Thunderbird and Mozilla mail (`abook.mab`,
`history.mab`) that a user attaches with a mail or contact-sync problem.

A Mork file names its columns in a dictionary (`< <(a=c)> (83=FirstName)(93=CellularNumber) >`),
keeps the values in another (`<(81=Sasha Medvedev)(93=2642666)>`) and builds each card as a
row of cells that point a column at a value (`[1(^83^81)(^93^93)]`) or hold one
(`(^8D=0)`). No value says what it is; the row does, through the column's name. So the
cells are read as Mork's grammar has them, and a value is judged by the columns that
point at it, with the address book's own schema (names, e-mail addresses, phone numbers,
postal addresses, notes, photo file names); the column names, the row ids and the values
of other columns (flags, counters, a company) stay.

The state per stream is whether it is a Mork file and the column dictionary read so far.
A value is judged when a row in the same block points at it (Mork writes a card's values
just before its rows; a value whose rows come in a later block of a very large file is
not found, see docs/FORMATS.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import regex

from .model import Entity, Finding

RULE_ID = "mork.cell"
PRIORITY = 74
# The magic comment every Mork file starts with.
_MAGIC = "<mdb:mork"
# A dictionary cell `(83=FirstName)`: a hex id, `=`, the value up to an unescaped `)`
# (Mork escapes `)`, `\` and `$` with `\`, and writes other bytes as `$xx`). Writers fold
# long cells, even between the id and the `=`.
_CELL = regex.compile(r"\((?P<id>[0-9A-Fa-f]{1,8})\s*=(?P<value>(?:\\.|[^)\\])*)\)", regex.DOTALL)
# A row cell pointing a column at a value `(^83^81)`, or holding one `(^8D=0)`.
_ROW_CELL = regex.compile(
    r"\(\^(?P<column>[0-9A-Fa-f]{1,8})(?:\^(?P<atom>[0-9A-Fa-f]{1,8})|=(?P<value>(?:\\.|[^)\\])*))\)",
    regex.DOTALL,
)
# A column dictionary: its meta-dictionary sets the atom scope to columns.
_EXTENSION = regex.compile(r"\.[A-Za-z0-9]{1,5}$")
_COLUMN_DICT = regex.compile(r"<\s*<\s*\(\s*a\s*=\s*c\s*\)\s*>")

# The columns of Thunderbird's and Mozilla's address-book schema that hold a person's data.
_NAMES = (
    "FirstName", "LastName", "DisplayName", "PhoneticFirstName", "PhoneticLastName",
    "SpouseName", "FamilyName",
)  # fmt: skip
_ACCOUNTS = (
    "NickName", "_AimScreenName", "_Yahoo", "_MSN", "_GoogleTalk", "_Skype", "_JabberId", "_QQ", "_ICQ",
)  # fmt: skip
_EMAILS = ("PrimaryEmail", "SecondEmail", "LowercasePrimaryEmail", "DefaultEmail")
_PHONES = ("WorkPhone", "HomePhone", "FaxNumber", "PagerNumber", "CellularNumber")
_PLACES = (
    "HomeAddress", "HomeAddress2", "HomeCity", "HomeZipCode",
    "WorkAddress", "WorkAddress2", "WorkCity", "WorkZipCode",
)  # fmt: skip
_TEXTS = ("Notes", "Custom1", "Custom2", "Custom3", "Custom4")
_FILES = ("PhotoName",)
COLUMN_ENTITIES: Mapping[str, Entity] = {
    **dict.fromkeys(_NAMES, Entity.PERSON_NAME),
    **dict.fromkeys(_ACCOUNTS, Entity.USERNAME),
    **dict.fromkeys(_EMAILS, Entity.EMAIL_ADDRESS),
    **dict.fromkeys(_PHONES, Entity.PHONE_NUMBER),
    **dict.fromkeys(_PLACES, Entity.GEO_LOCATION),
    **dict.fromkeys(_TEXTS, Entity.MESSAGE_BODY),
    **dict.fromkeys(_FILES, Entity.TOKEN),
}


class MorkFiles:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self) -> None:
        self._mork: bool | None = None  # None until the stream's first block is seen
        self._columns: dict[str, str] = {}  # column id (upper case) -> name

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        if self._mork is None:
            self._mork = _MAGIC in text[:256]
        if not self._mork:
            return []
        column_dicts = self._read_column_dicts(text)
        atoms: dict[str, tuple[int, int]] = {}  # value id -> span of the value, in this block
        for cell in _CELL.finditer(text):
            if not any(start <= cell.start() < end for start, end in column_dicts):
                atoms[cell["id"].upper()] = cell.span("value")
        found: list[Finding] = []
        for cell in _ROW_CELL.finditer(text):
            entity = COLUMN_ENTITIES.get(self._columns.get(cell["column"].upper(), ""))
            if entity is None:
                continue
            span = atoms.get(cell["atom"].upper()) if cell["atom"] is not None else cell.span("value")
            if span is not None:
                _judge(text, span[0], span[1], entity, found)
        return found

    def _read_column_dicts(self, text: str) -> list[tuple[int, int]]:
        """Learn the column names of the block's column dictionaries; returns their spans."""
        spans = []
        for start in _COLUMN_DICT.finditer(text):
            end = _dict_end(text, start.end())
            spans.append((start.start(), end))
            for cell in _CELL.finditer(text, start.end(), end):
                self._columns[cell["id"].upper()] = cell["value"].strip()
        return spans


def _dict_end(text: str, pos: int) -> int:
    """Where the dictionary open at pos ends: its `>` outside a cell."""
    depth = 0
    i = pos
    size = len(text)
    while i < size:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ">" and depth == 0:
            return i
        i += 1
    return size


def _judge(text: str, start: int, end: int, entity: Entity, found: list[Finding]) -> None:
    """A value of a person's column, line by line (a folded value goes on after a `\\`);
    values of one character or empty (`0`, `1`, flags) are none."""
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    if end - start < 2:
        return
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        piece_end = end if newline < 0 else newline
        s, e = pos, piece_end
        while e > s and text[e - 1] in " \t\r\\":
            e -= 1
        while s < e and text[s] in " \t":
            s += 1
        if entity is Entity.TOKEN:
            e = s + len(_EXTENSION.sub("", text[s:e]))  # a photo's name keeps its `.png`
        if e > s:
            found.append(Finding(s, e, entity, RULE_ID, PRIORITY))
        pos = piece_end + 1
