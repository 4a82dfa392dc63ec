"""The engine: text -> detectors -> resolve overlaps -> operators -> text. No I/O here.

The engine sees text blocks (whole lines, never a part of one unless a line is too long
to hold, see textstream) and knows nothing of files or formats.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from .detectors.base import Detector, ScanText
from .detectors.keyvalue import KeyValueDetector
from .detectors.pattern import PatternDetector
from .learned import LearnedValues
from .model import Finding, Operator, Stats
from .operators import Replacer
from .policy import Policy
from .rulepack import Rule


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the best finding where spans overlap: higher priority first, then the longer one.

    Returns the kept findings sorted by start. Runs once per block.
    """
    ranked = sorted(findings, key=lambda f: (-f.priority, -f.length, f.start))
    starts: list[int] = []
    kept: list[Finding] = []
    for finding in ranked:
        i = bisect_left(starts, finding.start)
        if i > 0 and kept[i - 1].end > finding.start:
            continue
        if i < len(kept) and kept[i].start < finding.end:
            continue
        starts.insert(i, finding.start)
        kept.insert(i, finding)
    return kept


class Engine:
    """Compiled rules plus the run's Replacer. Safe to share across threads."""

    def __init__(self, rules: Sequence[Rule], policy: Policy) -> None:
        self.policy = policy
        self.rules = tuple(r for r in rules if r.id not in policy.disabled_rules)
        self.rule_operator: dict[str, Operator | None] = {r.id: r.operator for r in self.rules}
        detectors: list[Detector] = [
            PatternDetector(rule, policy.rule_timeout) for rule in self.rules if not rule.is_key_rule
        ]
        key_rules = [rule for rule in self.rules if rule.is_key_rule]
        if key_rules:
            detectors.append(KeyValueDetector(key_rules, policy.rule_timeout))
        self.detectors = tuple(detectors)
        self.replacer = Replacer(policy)

    def findings(self, text: str, learned: LearnedValues | None = None) -> list[Finding]:
        """Every finding in `text` after overlap resolution, sorted by start.

        With `learned` (the state of one stream), values found before reappearing here are
        findings too, and values found here are learned for the rest of the stream.
        """
        scan = ScanText(text)
        found: list[Finding] = []
        for detector in self.detectors:
            found.extend(detector.find(scan))
        if learned is None:
            return resolve_overlaps(found)
        if learned:
            found.extend(learned.find(text))
        kept = resolve_overlaps(found)
        new = learned.learn(text, kept)
        if new:
            extra = learned.find(text, only=new)
            if extra:
                kept = resolve_overlaps([*kept, *extra])
        return kept

    def scrub(
        self,
        text: str,
        stats: Stats,
        findings: Sequence[Finding] | None = None,
        learned: LearnedValues | None = None,
    ) -> str:
        """Replace what is found in `text`; outside replaced spans the text is unchanged."""
        if findings is None:
            findings = self.findings(text, learned)
        if not findings:
            return text
        replacer = self.replacer
        pieces: list[str] = []
        last = 0
        for finding in findings:
            value = text[finding.start : finding.end]
            if replacer.is_replacement(finding.entity, value):
                continue  # already scrubbed (by this run or an earlier one): idempotent
            operator = self.policy.operator_for(finding.entity, self.rule_operator.get(finding.rule_id))
            if operator is Operator.KEEP:
                continue
            pieces.append(text[last : finding.start])
            pieces.append(replacer.replace(finding.entity, value, operator))
            last = finding.end
            stats.by_entity[finding.entity.value] += 1
            stats.by_rule[finding.rule_id] += 1
        pieces.append(text[last:])
        return "".join(pieces)
