"""Values learned from confident findings, replaced wherever they reappear later in a stream.

A user name found in `username=alice7` also sits in `Auth info found for [alice7]`, a
phone number found in `"to": "9879576875"` also in `recording_9879576875.wav`; no rule
can know every such place. Once a rule has found a value, later occurrences of the same
text (as a whole token) are findings too. "Later" is measured in stream order, so where
blocks are cut does not change the output. State is per stream and bounded.

Values learned in earlier blocks ride along in the block's shared Aho-Corasick pass (see
detectors.base.KeywordIndex); values learned in the current block are looked for after the
place they were first found with a small automaton of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from .detectors.base import KeywordIndex
from .model import Entity, Finding

LEARNED_PRIORITY = 35
_LIMIT = 20_000
_LEARNABLE = {
    Entity.PHONE_NUMBER,
    Entity.USERNAME,
    Entity.PERSON_NAME,
    Entity.EMAIL_ADDRESS,
    Entity.DEVICE_ID,
    Entity.TOKEN,
    Entity.CREDENTIAL,
}
_RULE_IDS = {entity: f"learned.{entity.value.lower()}" for entity in Entity}


def _worth_learning(entity: Entity, value: str, priority: int) -> bool:
    """Long or distinctive values only: learning `admin` or `home` would replace ordinary words."""
    if entity not in _LEARNABLE or "\n" in value or value.isspace():
        return False
    has_digit = any(c.isdigit() for c in value)
    if entity is Entity.PHONE_NUMBER:
        # Short extensions (1215) only when a keyed or SIP rule vouched for them.
        digits = sum(c.isdigit() for c in value)
        return digits >= 7 or (digits >= 4 and priority >= 70)
    if entity is Entity.PERSON_NAME:
        return len(value) >= 4 and value[:1].isupper()
    if entity in (Entity.TOKEN, Entity.CREDENTIAL):
        return len(value) >= 6 and (has_digit or not value.isalpha())
    return (has_digit and len(value) >= 4) or len(value) >= 6


def _ascii_lower(value: str) -> str:
    """Lowered like ScanText.lower (ASCII letters only), so offsets and hits agree."""
    return value.encode("utf-8", "surrogateescape").lower().decode("utf-8", "surrogateescape")


class LearnedValues:
    """The learned values of one stream."""

    def __init__(self, index: KeywordIndex | None = None, limit: int = _LIMIT) -> None:
        self.index = index or KeywordIndex()
        self.limit = limit
        self.values: dict[str, Entity] = {}
        self._by_lower: dict[str, list[str]] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def __len__(self) -> int:
        return len(self.values)

    def automaton(self) -> ahocorasick.Automaton | None:
        """The index's automaton extended with every value learned so far (None: none yet)."""
        if not self.values:
            return None
        if self._automaton is None:
            self._automaton = self.index.build(self._by_lower)
        return self._automaton

    def from_hits(self, text: str, hits: Iterable[tuple[int, str]], taken: set[int]) -> list[Finding]:
        """Findings for the learned-value hits of the shared pass over this block.

        Occurrences starting where a rule already found something (`taken`) are skipped:
        most learned values reappear exactly where rules find them anyway.
        """
        found: list[Finding] = []
        for end_index, lowered in hits:
            end = end_index + 1
            start = end - len(lowered)
            if start in taken:
                continue
            value = text[start:end]
            entity = self.values.get(value)  # the hit is case-insensitive; the value is not
            if entity is not None and _whole_token(text, start, end):
                found.append(Finding(start, end, entity, _RULE_IDS[entity], LEARNED_PRIORITY))
        return found

    def learn(self, text: str, findings: Iterable[Finding]) -> dict[str, int]:
        """Learn from this block's findings; returns new values -> where they were first found."""
        new: dict[str, int] = {}
        for finding in findings:
            if finding.priority <= LEARNED_PRIORITY or len(self.values) >= self.limit:
                continue
            value = text[finding.start : finding.end]
            if value in self.values or not _worth_learning(finding.entity, value, finding.priority):
                continue
            self.values[value] = finding.entity
            self._by_lower.setdefault(_ascii_lower(value), []).append(value)
            new[value] = finding.end
            self._automaton = None
        return new

    def find_new(self, text: str, new: dict[str, int], taken: set[int]) -> list[Finding]:
        """Occurrences of values learned in this block, after the place each was first found."""
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for value in new:
            automaton.add_word(value, value)
        automaton.make_automaton()
        found: list[Finding] = []
        for end_index, value in automaton.iter(text):
            end = end_index + 1
            start = end - len(value)
            if start in taken or start < new[value] or not _whole_token(text, start, end):
                continue
            entity = self.values[value]
            found.append(Finding(start, end, entity, _RULE_IDS[entity], LEARNED_PRIORITY))
        return found


def _whole_token(text: str, start: int, end: int) -> bool:
    return not ((start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()))
