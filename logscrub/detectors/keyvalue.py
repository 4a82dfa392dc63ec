"""Key-based detection for structured text: key=value, `key: value`, JSON (also escaped
JSON inside JSON strings), XML elements and attributes, INI/YAML, URL query strings.

All key rules of a run are merged into three regexes so each block is scanned once per
form, not once per key. The separator form is anchored on `:`/`=` with a lookbehind for
the key: the engine then only tests keys where a separator stands, which is much faster
than trying every key at every position.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from ..model import Finding
from ..rulepack import Rule
from .base import RuleChecks, ScanText, run_regex

_FLAGS = regex.V0 | regex.IGNORECASE

# Quoted values: plain JSON/INI quotes, and JSON escaped inside another JSON string (\").
_DOUBLE = regex.compile(r'"((?:[^"\\\r\n]|\\.){0,4096})"')
_SINGLE = regex.compile(r"'((?:[^'\\\r\n]|\\.){0,4096})'")
_ESCAPED = regex.compile(r'\\+"((?:(?!\\+")[^\r\n]){0,4096})\\+"')
_UNQUOTED = {
    "token": regex.compile(r"[^\s,;&<>\"'|)\]}]{1,4096}"),
    # A name or label: words up to a delimiter or the next `key=`.
    "phrase": regex.compile(r"[^\s,;&<>\"|{}\[\]=]{1,80}(?:[ \t]+[^\s,;&<>\"|{}\[\]=:]{1,80}(?![=:\w]))*"),
    "line": regex.compile(r"[^\r\n]{1,4096}"),
}


class KeyValueDetector:
    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self.timeout = timeout
        self.exact: dict[str, RuleChecks] = {}
        self.suffix: list[tuple[str, RuleChecks]] = []
        for rule in rules:
            checks = RuleChecks(rule)
            for key in rule.keys:
                if rule.key_match == "suffix":
                    self.suffix.append((key, checks))
                else:
                    self.exact.setdefault(key, checks)
        self.suffix.sort(key=lambda item: -len(item[0]))
        exact = sorted(self.exact)
        suffix = [k for k, _ in self.suffix] or ["\x00never\x00"]
        # A suffix key must start a word part: sip_password, proxy-secret, sipPassword, not bypass.
        key = (
            r"(?:(?<![\w-])\L<exact>|[\w-]*?(?:[_.-]|(?-i:(?<=[a-z])(?=[A-Z])))\L<suffix>"
            r"|(?<![\w-])\L<suffix>)"
        )
        self.separator = regex.compile(
            r"(?<=(?<![\w-])(?P<key>" + key + r")(?P<kq>\\{0,3}[\"'])?[ \t]*)(?P<sep>=>|[:=])[ \t]*",
            _FLAGS,
            exact=exact,
            suffix=suffix,
        )
        self.element = regex.compile(
            r"<(?P<key>" + key + r")(?:[ \t][^<>\r\n]*)?>(?P<value>[^<\r\n]{1,4096})</",
            _FLAGS,
            exact=exact,
            suffix=suffix,
        )
        self.attribute = regex.compile(
            r"\b(?:name|key|id)=[\"'](?P<key>" + key + r")[\"'][^<>\r\n]*?"
            r"(?:\bvalue=[\"'](?P<value>[^\"'\r\n]{1,4096})[\"']|>(?P<value>[^<\r\n]{1,4096})<)",
            _FLAGS,
            exact=exact,
            suffix=suffix,
        )

    def rule_for(self, key: str) -> RuleChecks | None:
        key = key.lower()
        checks = self.exact.get(key)
        if checks is not None:
            return checks
        for suffix, suffix_checks in self.suffix:
            if key.endswith(suffix):
                return suffix_checks
        return None

    def find(self, scan: ScanText) -> Iterator[Finding]:
        text = scan.text
        for match in run_regex(self.separator, text, self.timeout, "keys.separator"):
            checks = self.rule_for(match.group("key"))
            if checks is None:
                continue
            span = self._value_span(text, match.end(), checks.rule.value_mode)
            if span is None:
                continue
            if checks.rule.value_mode == "line" and not self._structured(text, match):
                continue
            yield from self._finding(checks, text, *span)
        if "</" in text:
            for match in run_regex(self.element, text, self.timeout, "keys.element"):
                checks = self.rule_for(match.group("key"))
                if checks is not None:
                    yield from self._finding(checks, text, *match.span("value"))
        if "=" in text:
            for match in run_regex(self.attribute, text, self.timeout, "keys.attribute"):
                checks = self.rule_for(match.group("key"))
                if checks is not None:
                    yield from self._finding(checks, text, *match.span("value"))

    @staticmethod
    def _finding(checks: RuleChecks, text: str, start: int, end: int) -> Iterator[Finding]:
        # Trim surrounding blanks so `key = value ` replaces only `value`.
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end > start and checks.accepts(text, start, end):
            rule = checks.rule
            yield Finding(start, end, checks.entity_for(text[start:end]), rule.id, rule.priority)

    @staticmethod
    def _value_span(text: str, pos: int, mode: str) -> tuple[int, int] | None:
        if pos >= len(text):
            return None
        first = text[pos]
        if first in "{[\r\n":
            return None  # a nested structure, not a value; its own keys are scanned separately
        if first == "\\":
            match = _ESCAPED.match(text, pos)
            return (match.start(1), match.end(1)) if match else None
        if first in "\"'":
            match = (_DOUBLE if first == '"' else _SINGLE).match(text, pos)
            if match:
                return (match.start(1), match.end(1))
            # An unterminated quote: fail closed and take the rest of the line.
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            while end > pos + 1 and text[end - 1] in "\r \t":
                end -= 1
            return (pos + 1, end) if end > pos + 1 else None
        match = _UNQUOTED[mode].match(text, pos)
        return (match.start(), match.end()) if match else None

    @staticmethod
    def _structured(text: str, match: regex.Match[str]) -> bool:
        """Free-text values (message bodies) need a structural key, not prose like `incoming message: ...`."""
        if match.group("kq") or match.group("sep") != ":":
            return True
        line_start = text.rfind("\n", 0, match.start("key")) + 1
        return text[line_start : match.start("key")].strip(" \t-") == ""
