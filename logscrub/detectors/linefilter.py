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

from ..rulepack import Rule
from . import hyperscan_db

Runs = list[tuple[int, int]]
"""[start, end) spans of nearby candidate lines (end excludes the last newline)."""

# Candidate lines closer than this are scanned as one span: running a pattern over a few
# hundred characters costs less than one more Python-level call.
MERGE_GAP = 160


def line_selector(rule: Rule) -> str | None:
    """The Hyperscan expression selecting the lines that can hold a match of `rule`: its
    line anchor (ASCII-caseless when the rule ignores case).

    Rules without one are left to the detectors: a literal prefilter is found quickly by
    the regex engine itself, and context words come from the keyword pass with word-start
    positions ('dial' in 'dialog' is no phone context). Reporting their many candidate
    lines through Python callbacks would cost more than it saves."""
    if not rule.line_anchor:
        return None
    return f"(?i:{rule.line_anchor})" if rule.ignore_case else f"(?:{rule.line_anchor})"


class LineFilter:
    """A compiled Hyperscan database of line selectors; safe to share across threads."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        selected = [(rule.id, line_selector(rule)) for rule in rules]
        self.rule_ids: tuple[str, ...] = tuple(rule_id for rule_id, expr in selected if expr is not None)
        # Blocks are scanned with a newline appended, so every line ends in one (`\z` as
        # an alternative would make compiling twice as slow).
        expressions = [f"{expr}[^\\n]*\\n".encode() for _, expr in selected if expr is not None]
        self._database = hyperscan_db.Database(expressions, [0] * len(expressions), cache=True)

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
        ids = self.rule_ids
        return {ids[index]: runs for index, runs in by_rule.items()}
