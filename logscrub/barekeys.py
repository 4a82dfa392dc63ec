"""A key alone on its line and its value alone on the next one.

Structured records lose their syntax when they are rendered from a wiki, copied out of a
web page or a table, or dumped by tools that print a name and a value per line: the
FreeSWITCH event header `<event-header name="sip_auth_username">device_1</event-header>`
becomes

    event-header name=
    sip_auth_username
    device_1
    /event-header

A line holding only a key that a key rule knows, written as an identifier
(`sip_auth_username`, `authPassword`, `account.1.password`; a single plain word such as
`Password` is as often a heading), followed by a line holding one token, is that key's
value, judged by the key's rule as a `key=value` field would be. A line of names only
(`sip_auth_username` / `sip_auth_realm`, a list of variables) pairs no value: an
identifier of letters and separators alone, or another known key, is no value. The state
per stream is the rule of a key line that ended the last block.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .detectors.base import RuleChecks
from .detectors.keyvalue import KeyValueDetector
from .model import Finding

# A line holding one identifier, after a newline (a literal the regex engine finds fast;
# `(?m)^` would be tried at every position). Its value is the next line.
_KEY_LINE = re.compile(r"\n[ \t]*([A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)*)[ \t]*\r?(?=\n|$)")
_FIRST_KEY_LINE = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)*)[ \t]*\r?(?=\n|$)")
_VALUE_LINE = re.compile(r"[ \t]*([^\s<>(){}\[\]/#;\"'][^\s]{0,255})[ \t]*\r?(?=\n|$)")
# A name made of words and separators only (`sip_auth_realm`, `event-header`): a list of
# names, not a value (a value with a digit, `device_1`, or of other characters is one).
_NAME_ONLY = re.compile(r"[A-Za-z]+(?:[_.-][A-Za-z]+)+")
_CAMEL = re.compile(r"[a-z][A-Z]")


def _identifier(key: str) -> bool:
    """Written as a program writes a key: with a separator or in camelCase."""
    return any(c in key for c in "_.-") or _CAMEL.search(key) is not None


class BareKeys:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self, keys: KeyValueDetector) -> None:
        self._keys = keys
        self._pending: RuleChecks | None = None  # the rule of a key line that ended the last block

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pending, self._pending = self._pending, None
        if pending is not None:
            self._value(pending, text, 0, found)
        first = _FIRST_KEY_LINE.match(text)
        if first is not None:
            self._pair(text, first, found)
        for match in _KEY_LINE.finditer(text):
            self._pair(text, match, found)
        return found

    def _pair(self, text: str, match: re.Match[str], found: list[Finding]) -> None:
        key = match.group(1)
        if not _identifier(key):
            return
        checks = self._keys.rule_for(key)
        if checks is None:
            return
        if match.end() >= len(text):
            self._pending = checks  # the value starts the next block
            return
        self._value(checks, text, match.end() + 1, found)

    def _value(self, checks: RuleChecks, text: str, pos: int, found: list[Finding]) -> None:
        value = _VALUE_LINE.match(text, pos)
        if value is None:
            return
        token = value.group(1)
        if _NAME_ONLY.fullmatch(token) or (
            not any(c.isdigit() for c in token) and self._keys.rule_for(token) is not None
        ):
            return  # a list of names, or the next key of a key / value layout (`device_1` is a value)
        found.extend(self._keys.judge(checks, text, *value.span(1)))
