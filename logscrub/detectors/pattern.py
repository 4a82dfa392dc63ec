"""Regex rules: literal prefilter, optional anchor, pattern, context keys and validators.

A pattern marks what to replace with the group `value`, or with several `value_*` groups
(the span covers them and the match itself; lets a lookbehind hold part of the value so
the match is anchored on a rare character such as '@' or '::'), or else the whole match.
Extra named groups listed under `groups` become findings of their own entity (for
example the user and password of a URL's userinfo).

Speed: Python regex engines try a pattern at every position unless it starts with a
literal, so a rule may name a cheap `anchor` regex that every true match contains; the
full pattern then runs only on the line around each anchor hit. A rule with `context`
keys and no prefilter or anchor is run only on lines that contain one of its keys.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cached_property

import regex

from ..model import Finding
from ..rulepack import Rule, regex_flags
from .base import RuleChecks, ScanText, rule_timeout, run_regex


class PatternDetector:
    def __init__(self, rule: Rule, timeout: float) -> None:
        self.rule = rule
        self.checks = RuleChecks(rule)
        self.timeout = timeout
        # Prefilter literals are matched case-insensitively against the lowered block when
        # the rule ignores case; they may over-select, never under-select.
        self.prefilter = tuple(p.lower() for p in rule.prefilter) if rule.ignore_case else rule.prefilter
        # Long literals are looked up in the shared keyword pass instead of one scan each:
        # an absent literal costs a full scan of the block. Short ones (".", "@") are found
        # at once by `in`. Only when every literal of the rule is long and ASCII.
        self.indexed_prefilter = (
            tuple(p.lower() for p in rule.prefilter)
            if rule.prefilter and all(len(p) >= 3 and p.isascii() for p in rule.prefilter)
            else ()
        )
        # Context-first: keywords are looked up in the block's shared KeywordIndex.
        self.context_first = bool(rule.context) and not rule.prefilter and not rule.anchor

    # The regexes are compiled when the rule first has a candidate: the regex module
    # compiles in Python (~0.4 ms a pattern), and most logs give most rules none.

    @cached_property
    def patterns(self) -> tuple[regex.Pattern[str], ...]:
        flags = regex_flags(self.rule.ignore_case)
        return tuple(regex.compile(p, flags) for p in self.rule.patterns)

    @cached_property
    def anchor(self) -> regex.Pattern[str] | None:
        return (
            regex.compile(self.rule.anchor, regex_flags(self.rule.ignore_case)) if self.rule.anchor else None
        )

    @cached_property
    def value_groups(self) -> tuple[tuple[str, ...], ...]:
        return tuple(
            tuple(name for name in p.groupindex if name == "value" or name.startswith("value_"))
            for p in self.patterns
        )

    @cached_property
    def _joinable(self) -> bool:
        """Rules without extra groups or trimming whose patterns mark the whole match or
        `value` only (most rules) take the inlined loop of _find_joined; the others go
        through _collect."""
        return not (self.rule.groups or self.rule.trim_to_valid) and all(
            groups in ((), ("value",)) for groups in self.value_groups
        )

    def find(self, scan: ScanText) -> list[Finding]:
        rule = self.rule
        text = scan.text
        line_filter = scan.line_filter
        if line_filter is not None and line_filter.covers(rule.id):
            runs = scan.line_runs.get(rule.id, ())
            if not runs:
                return []  # (before `_joinable`, which compiles the patterns)
            return self._find_joined(text, runs) if self._joinable else self._find_in(text, runs)
        if self.prefilter:
            if self.indexed_prefilter:
                # Looked up in the block's shared keyword pass (ASCII-lowered: may over-select).
                hits = scan.keyword_positions
                if not any(literal in hits for literal in self.indexed_prefilter):
                    return []
            else:
                haystack = scan.lower if rule.ignore_case else scan.text
                if not any(literal in haystack for literal in self.prefilter):
                    return []
        if self.anchor is not None:
            lines = _distinct_lines(
                scan, [m.start() for m in run_regex(self.anchor, text, self.timeout, rule.id)]
            )
        elif self.context_first:
            hits = scan.keyword_positions
            lines = _distinct_lines(scan, sorted(p for key in rule.context for p in hits.get(key, ())))
        else:
            lines = [(0, len(text))]
        if not lines:
            return []
        return self._find_joined(text, lines) if self._joinable else self._find_in(text, lines)

    def _find_in(self, text: str, spans: Iterable[tuple[int, int]]) -> list[Finding]:
        """Rules with extra groups, trimming or `value_*` parts, span by span."""
        found: list[Finding] = []
        timeout = self.timeout
        try:
            for start, end in spans:
                end = _through_line_end(text, end)
                for pattern, value_groups in zip(self.patterns, self.value_groups, strict=True):
                    for match in pattern.finditer(text, start, end, timeout=timeout):
                        self._collect(match, value_groups, text, found)
        except TimeoutError:
            raise rule_timeout(self.rule.id, timeout) from None
        return found

    def _find_joined(self, text: str, runs: Sequence[tuple[int, int]]) -> list[Finding]:
        """The common shape (the whole match or the `value` group), inlined: this loop runs
        once per candidate. Several candidate runs are joined by newlines and scanned in one
        call per pattern: each regex call with a time limit costs a few microseconds, and a
        block has thousands of candidate runs. The findings are those of scanning run by
        run: runs are whole lines, patterns never match across a line end, and what a
        lookaround sees at each run's edges (a newline, or the start of the text) is what
        it sees in place."""
        if not runs:
            return []
        joined_starts: list[int] = [0]
        offsets: list[int] = [0]  # original start - joined start, per run
        if len(runs) == 1:
            haystack, pos, endpos = text, runs[0][0], _through_line_end(text, runs[0][1])
        else:
            pieces: list[str] = []
            length = 0
            if runs[0][0] > 0:
                pieces.append("\n")  # `^` matches at the real start of the text only
                length = 1
            joined_starts, offsets = [], []
            for start, end in runs:
                joined_starts.append(length)
                offsets.append(start - length)
                pieces.append(text[start:end])
                if end < len(text):  # (the text's own end has no newline to see)
                    pieces.append("\n")
                length += end - start + 1
            haystack = "".join(pieces)
            pos, endpos = 0, len(haystack)
        found: list[Finding] = []
        rule = self.rule
        accepts = self.checks.accepts
        entity_for = self.checks.entity_for
        numeric = rule.numeric_entity is not None
        timeout = self.timeout
        try:
            for pattern, value_groups in zip(self.patterns, self.value_groups, strict=True):
                group = value_groups[0] if value_groups else 0
                for match in pattern.finditer(haystack, pos, endpos, timeout=timeout):
                    js, je = match.span(group)
                    if je <= js:
                        continue
                    shift = offsets[bisect_right(joined_starts, js) - 1]
                    s, e = js + shift, je + shift
                    if accepts(text, s, e):
                        entity = entity_for(text[s:e]) if numeric else rule.entity
                        found.append(Finding(s, e, entity, rule.id, rule.priority))
        except TimeoutError:
            raise rule_timeout(rule.id, timeout) from None
        found.sort()
        return found

    def _collect(
        self, match: regex.Match[str], value_groups: tuple[str, ...], text: str, found: list[Finding]
    ) -> None:
        rule = self.rule
        if not value_groups:
            start, end = match.span()
        elif value_groups == ("value",):
            start, end = match.span("value")
        else:
            spans = [match.span(g) for g in value_groups if match.start(g) >= 0]
            if "value" not in value_groups:
                spans.append(match.span())  # value_* parts join up with the match between them
            if not spans:
                return
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
        accepted = end > start and self.checks.accepts(text, start, end)
        while not accepted and rule.trim_to_valid:
            # A greedy match may have swallowed a following number (`+1 202 555 0199 45`):
            # drop trailing groups until what is left validates.
            cut = max(text.rfind(sep, start, end) for sep in " \t.-/")
            if cut <= start:
                break
            end = cut
            while end > start and not text[end - 1].isalnum():
                end -= 1
            accepted = end > start and self.checks.accepts(text, start, end)
        if accepted:
            found.append(Finding(start, end, self.checks.entity_for(text[start:end]), rule.id, rule.priority))
        for group, entity in rule.groups.items():
            g_start, g_end = match.span(group)
            if g_end > g_start:
                found.append(Finding(g_start, g_end, entity, rule.id, rule.priority))


def _distinct_lines(scan: ScanText, positions: Iterable[int]) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    last_end = -1
    for pos in positions:
        if pos <= last_end:
            continue  # still on the line already taken
        start, end = scan.line_bounds(pos)
        lines.append((start, end))
        last_end = end
    return lines


def _through_line_end(text: str, end: int) -> int:
    r"""A candidate run's end (its last line's end, before the newline) with that newline:
    a pattern's lookahead (`(?=[,}\s])`) sees what follows the line, as it does when the
    whole text is scanned (without Hyperscan) and in a run joined to others."""
    return end + 1 if end < len(text) else end
