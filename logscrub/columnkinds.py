"""What a CSV column holds when its header names no key: told by the column's values.

A call history exported by an app names its columns as the app's programmer chose
(`call_id,call_type,time,from_to,duration,location`); no lexicon knows every such name,
but the values say what the column is. Two kinds are told, both of people and both
unmistakable as a column, though a single value may not be:

- a column of parties: every value a number of seven digits or more, optionally with
  the contact's name after it in brackets (`4352997375 (Austin Michael Clayton)`), not
  all one value, not a counter or a time, and one of them a phone number by its form;
- a column of street addresses: half of its distinct values or more read as one (`510 W Hwy Dr,
  Wellington, UT 84542`), so the rest are too (`50 S 700 E, Wellington, UT 84542`, a grid
  address no street word marks).

Placeholders of empty cells (`nan` of pandas, `null`, `-`) are no values.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from .phonespell import parse_confident
from .tablecolumns import counted

PARTY = "party"
STREET = "street"

# A party: a number and, in brackets, the name the phone shows for it.
PARTY_VALUE = regex.compile(r"(?P<number>\+?\d{7,15})(?:[ \t]+\((?P<name>[^()\r\n]{1,64})\))?")
EMPTY_VALUES = frozenset({"", "nan", "null", "none", "n/a", "na", "-", "--", "unknown"})
_MIN_VALUES = 3


def empty(value: str) -> bool:
    """Whether a cell holds nothing (blank, or a placeholder of an empty cell)."""
    return value.strip().lower() in EMPTY_VALUES


def filled(values: list[str]) -> list[str]:
    """The values of a column that are no empty cell, blanks stripped."""
    return [value.strip() for value in values if not empty(value)]


def column_kind(values: list[str], is_street: Callable[[str], bool]) -> str:
    """PARTY, STREET or "" (nothing told) for a column's values (a sample of its records)."""
    present = filled(values)
    if len(present) < _MIN_VALUES or len(set(present)) < 2:
        return ""
    if _parties(present):
        return PARTY
    distinct = sorted(set(present))
    streets = sum(1 for v in distinct if is_street(v))
    if streets and 2 * streets >= len(distinct):
        return STREET
    return ""


def _parties(values: list[str]) -> bool:
    matches = [PARTY_VALUE.fullmatch(v) for v in values]
    if not all(matches):
        return False
    numbers = [str(m["number"]) for m in matches if m is not None]
    if len(set(numbers)) < 2 or counted(numbers):
        return False
    return any(len(n.lstrip("+")) >= 9 and parse_confident(n, None) is not None for n in numbers)
