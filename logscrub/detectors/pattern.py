"""Regex rules: literal prefilter, pattern, context keys and validators.

A pattern marks what to replace with the group `value`, or with several `value_*` groups
(the span runs from the first to the last; lets a lookbehind anchor the match on a rare
character), or else the whole match. Extra named groups listed under `groups` become
findings of their own entity (for example the user and password of a URL's userinfo).
"""

from __future__ import annotations

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
        self.value_groups = tuple(
            tuple(name for name in p.groupindex if name == "value" or name.startswith("value_"))
            for p in self.patterns
        )

    def find(self, scan: ScanText) -> Iterator[Finding]:
        rule = self.rule
        if self.prefilter:
            haystack = scan.lower if rule.ignore_case else scan.text
            if not any(literal in haystack for literal in self.prefilter):
                return
        text = scan.text
        for pattern, value_groups in zip(self.patterns, self.value_groups, strict=False):
            for match in run_regex(pattern, text, self.timeout, rule.id):
                yield from self._findings(match, value_groups, text)

    def _findings(
        self, match: regex.Match[str], value_groups: tuple[str, ...], text: str
    ) -> Iterator[Finding]:
        rule = self.rule
        if value_groups:
            spans = [match.span(g) for g in value_groups if match.start(g) >= 0]
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
