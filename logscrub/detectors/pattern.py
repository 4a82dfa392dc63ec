"""Regex rules: literal prefilter, optional anchor, pattern, context keys and validators.

A pattern marks what to replace with the group `value`, or with several `value_*` groups
(the span covers them and the match itself; lets a lookbehind hold part of the value so
the match is anchored on a rare character such as '@' or '::'), or else the whole match. Extra named groups listed under `groups` become
findings of their own entity (for example the user and password of a URL's userinfo).

Speed: Python regex engines try a pattern at every position unless it starts with a
literal, so a rule may name a cheap `anchor` regex that every true match contains; the
full pattern then runs only on the line around each anchor hit. A rule with `context`
keys and no prefilter or anchor is run only on lines that contain one of its keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from ..model import Finding
from ..rulepack import Rule
from .base import RuleChecks, ScanText, run_regex


class PatternDetector:
    def __init__(self, rule: Rule, timeout: float) -> None:
        flags = regex.V0 | (regex.IGNORECASE if rule.ignore_case else 0)
        self.rule = rule
        self.checks = RuleChecks(rule)
        self.timeout = timeout
        self.patterns = tuple(regex.compile(p, flags) for p in rule.patterns)
        # Prefilter literals are matched case-insensitively against the lowered block when
        # the rule ignores case; they may over-select, never under-select.
        self.prefilter = tuple(p.lower() for p in rule.prefilter) if rule.ignore_case else rule.prefilter
        self.anchor = regex.compile(rule.anchor, flags) if rule.anchor else None
        self.context_lines = (
            re.compile("|".join(re.escape(k) for k in sorted(rule.context, key=len, reverse=True)))
            if rule.context and not rule.prefilter and not rule.anchor
            else None
        )
        self.value_groups = tuple(
            tuple(name for name in p.groupindex if name == "value" or name.startswith("value_")) for p in self.patterns
        )

    def find(self, scan: ScanText) -> Iterator[Finding]:
        rule = self.rule
        if self.prefilter:
            haystack = scan.lower if rule.ignore_case else scan.text
            if not any(literal in haystack for literal in self.prefilter):
                return
        if self.anchor is not None:
            yield from self._in_lines(scan, self._anchor_lines(scan))
        elif self.context_lines is not None:
            yield from self._in_lines(scan, self._context_lines(scan))
        else:
            text = scan.text
            for pattern, value_groups in zip(self.patterns, self.value_groups, strict=True):
                for match in run_regex(pattern, text, self.timeout, rule.id):
                    yield from self._findings(match, value_groups, text)

    def _anchor_lines(self, scan: ScanText) -> list[tuple[int, int]]:
        assert self.anchor is not None
        return _distinct_lines(scan, (m.start() for m in run_regex(self.anchor, scan.text, self.timeout, self.rule.id)))

    def _context_lines(self, scan: ScanText) -> list[tuple[int, int]]:
        assert self.context_lines is not None
        return _distinct_lines(scan, (m.start() for m in self.context_lines.finditer(scan.lower)))

    def _in_lines(self, scan: ScanText, lines: list[tuple[int, int]]) -> Iterator[Finding]:
        text = scan.text
        for start, end in lines:
            for pattern, value_groups in zip(self.patterns, self.value_groups, strict=True):
                for match in run_regex(pattern, text, self.timeout, self.rule.id, start, end):
                    yield from self._findings(match, value_groups, text)

    def _findings(self, match: regex.Match[str], value_groups: tuple[str, ...], text: str) -> Iterator[Finding]:
        rule = self.rule
        if value_groups:
            spans = [match.span(g) for g in value_groups if match.start(g) >= 0]
            if value_groups[0] != "value":
                spans.append(match.span())  # value_* parts join up with the match between them
            if not spans:
                return
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
        else:
            start, end = match.span()
        if end > start and self.checks.accepts(text, start, end):
            entity = self.checks.entity_for(text[start:end])
            yield Finding(start, end, entity, rule.id, rule.priority)
        for group, entity in rule.groups.items():
            g_start, g_end = match.span(group)
            if g_end > g_start:
                yield Finding(g_start, g_end, entity, rule.id, rule.priority)


def _distinct_lines(scan: ScanText, positions: Iterator[int]) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    last_end = -1
    for pos in positions:
        if pos <= last_end:
            continue  # still on the line already taken
        start, end = scan.line_bounds(pos)
        lines.append((start, end))
        last_end = end
    return lines
