"""Candidate lines for every anchored pattern rule from one Hyperscan pass over a block.

Python regex engines try a pattern at every position of the text, so N rules cost N
passes. Hyperscan matches all rules' anchors at once, and the exact pattern then runs
only on the lines that can hold a match. Each anchor is compiled as
`anchor[^\\n]*\\n`, which ends only at a line end: Hyperscan reports each
(rule, line) pair once, so the number of Python callbacks is the number of candidate
lines, not of anchor hits.

Without Hyperscan, or with it turned off, detectors choose lines their own way (literal
prefilter, `anchor` regex, context words) and the output is the same: a line anchor, like
every selector, is a necessary condition for a match on its line, and patterns never
match across a line end.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import RuleError
from ..rulepack import Rule
from . import hyperscan_db
from .hyperscan_db import text_view

Runs = list[tuple[int, int]]
"""[start, end) spans of nearby candidate lines (end excludes the last newline)."""

# Candidate lines closer than this are scanned as one span: running a pattern over a few
# hundred characters costs less than one more Python-level call.
MERGE_GAP = 160


def line_selector(rule: Rule) -> bytes | None:
    """The Hyperscan expression selecting the lines that can hold a match of `rule`:

    - its line anchor (ASCII-caseless when the rule ignores case);
    - its prefilter literals when they are all long (three characters or more), so rare;
    - for a rule selected by context words alone, those words, a word starting with a
      letter not preceded by an ASCII letter (as the keyword pass requires, see
      detectors.base.KeywordIndex; a Latin-1 letter before it only over-selects).

    Rules with a short literal prefilter ('@', '.') are left to the detectors: the regex
    engine finds such a literal quickly by itself, and reporting their many candidate
    lines through Python callbacks would cost more than it saves."""
    if rule.line_anchor:
        group = "(?i:" if rule.ignore_case else "(?:"
        return f"{group}{within_line(rule.line_anchor)})".encode()
    if rule.prefilter and all(len(p) >= 3 for p in rule.prefilter):
        literals = [_literal(p.lower() if rule.ignore_case else p) for p in rule.prefilter]
        return (b"(?i:" if rule.ignore_case else b"(?:") + b"|".join(literals) + b")"
    if rule.context and not rule.prefilter and not rule.anchor:
        starts = [_literal(w) for w in rule.context if w[:1].isalpha()]
        others = [_literal(w) for w in rule.context if not w[:1].isalpha()]
        branches = []
        if starts:
            branches.append(b"(?:^|[^A-Za-z])(?:" + b"|".join(starts) + b")")
        branches.extend(others)
        return b"(?i:" + b"|".join(branches) + b")"
    return None


def within_line(anchor: str) -> str:
    """`anchor` with a line end added to every negated class (`[^0-9]` -> `[^\\n0-9]`): the
    regex module never matches a rule's pattern across a line end, and Hyperscan, whose
    expressions end at the next newline, must not either. A negated class that took the
    newline would end the match on the next line, which would be selected instead of the
    line holding the anchor (a number ending the last line of a block was missed so). An
    anchor that means "or the line's end" says so with `$`."""
    out: list[str] = []
    index = 0
    in_class = False
    while index < len(anchor):
        char = anchor[index]
        if char == "\\":
            out.append(anchor[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if anchor.startswith("[^", index):
                index += 2
                if anchor.startswith("]", index):
                    out.append("[^]")  # a `]` first in a class is a member: it stays first
                    index += 1
                else:
                    out.append("[^")
                out.append("\\n")
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _rule_error(owner: dict[bytes, Rule], flag: int, error: Exception) -> RuleError:
    """Name the rule whose selector Hyperscan refused (a load-time error, like a bad regex)."""
    for selector, rule in owner.items():
        try:
            hyperscan_db.Database([selector + b"[^\\n]*\\n"], [flag])
        except hyperscan_db.DatabaseError as exc:
            return RuleError(f"{rule.source}: rule {rule.id!r}: line_anchor not accepted by Hyperscan: {exc}")
    return RuleError(f"rule line anchors not accepted by Hyperscan: {error}")


def _literal(word: str) -> bytes:
    """`word` as it stands in the text view, every byte but ASCII letters and digits
    hex-escaped (characters outside Latin-1 are 0x80 there, which over-selects)."""
    return b"".join(
        bytes([b]) if chr(b).isascii() and chr(b).isalnum() else b"\\x%02x" % b for b in text_view(word)
    )


class LineFilter:
    """A compiled Hyperscan database of line selectors; safe to share across threads."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        # Rules with the same selector ('sip:' for user and password) share one expression.
        by_selector: dict[bytes, list[str]] = {}
        owner: dict[bytes, Rule] = {}
        for rule in rules:
            selector = line_selector(rule)
            if selector is not None:
                by_selector.setdefault(selector, []).append(rule.id)
                owner.setdefault(selector, rule)
        self.rule_ids: frozenset[str] = frozenset(i for ids in by_selector.values() for i in ids)
        self._rules_of: list[list[str]] = list(by_selector.values())
        # Blocks are scanned with a newline appended, so every line ends in one (`\z` as
        # an alternative would make compiling twice as slow).
        expressions = [selector + b"[^\\n]*\\n" for selector in by_selector]
        multiline = hyperscan_db.flag("HS_FLAG_MULTILINE")  # ^ and $ at every line end, as in rule anchors
        try:
            self._database = hyperscan_db.Database(expressions, [multiline] * len(expressions), cache=True)
        except hyperscan_db.DatabaseError as exc:
            raise _rule_error(owner, multiline, exc) from None

    def covers(self, rule_id: str) -> bool:
        return rule_id in self.rule_ids

    def runs(self, text: str, view: bytes) -> dict[str, Runs]:
        """Rule id -> runs of its candidate lines in `text` (`view` is its text view, see
        hyperscan_db). Rules this filter covers but that have no candidate line are absent."""
        by_rule: dict[int, Runs] = {}
        rfind = text.rfind
        for rule_index, end in self._database.scan(view + b"\n"):
            line_end = end - 1  # `end` is just past the line's newline
            runs = by_rule.get(rule_index)
            if runs is None:
                by_rule[rule_index] = [(rfind("\n", 0, line_end) + 1, line_end)]
                continue
            last_start, last_end = runs[-1]
            if line_end - last_end <= MERGE_GAP:
                # Close to the last run (reports come in end order): extend it.
                runs[-1] = (last_start, line_end)
            else:
                runs.append((rfind("\n", 0, line_end) + 1, line_end))
        rules_of = self._rules_of
        return {rule_id: runs for index, runs in by_rule.items() for rule_id in rules_of[index]}
