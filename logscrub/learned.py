"""Values learned from confident findings, replaced wherever they reappear later in a stream.

A user name found in `username=alice7` also sits in `Auth info found for [alice7]`, a
phone number found in `"to": "9879576875"` also in `recording_9879576875.wav`; no rule
can know every such place. Once a rule has found a value, later occurrences of the same
text (as a whole token) are findings too. "Later" is measured in stream order, so where
blocks are cut does not change the output. State is per stream and bounded.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

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


_RULE_IDS = {entity: f"learned.{entity.value.lower()}" for entity in Entity}


class LearnedValues:
    """The learned values of one stream, searched with one Aho-Corasick automaton."""

    def __init__(self, limit: int = _LIMIT) -> None:
        self.limit = limit
        self.values: dict[str, Entity] = {}
        self._since: dict[str, int] = {}  # values learned in the current block -> first end
        self._automaton: ahocorasick.Automaton | None = None

    def __len__(self) -> int:
        return len(self.values)

    def find(self, text: str, taken: frozenset[int] | set[int] = frozenset()) -> list[Finding]:
        """Whole-token occurrences of learned values, each at or after the position from
        which it counts in this block. Occurrences starting where a rule already found
        something (`taken`) are skipped: most learned values reappear where rules find them."""
        automaton = self._current()
        if automaton is None:
            return []
        found: list[Finding] = []
        size = len(text)
        values = self.values
        since = self._since
        for end_index, value in automaton.iter(text):
            end = end_index + 1
            start = end - len(value)
            if start in taken or start < since.get(value, 0):
                continue
            if (start > 0 and text[start - 1].isalnum()) or (end < size and text[end].isalnum()):
                continue
            entity = values[value]
            found.append(Finding(start, end, entity, _RULE_IDS[entity], LEARNED_PRIORITY))
        self._since.clear()  # from the next block on, every learned value counts everywhere
        return found

    def learn(self, text: str, findings: Iterable[Finding]) -> None:
        """Learn from this block's findings; a new value counts from where it was first found."""
        for finding in findings:
            if finding.priority <= LEARNED_PRIORITY or len(self.values) >= self.limit:
                continue
            value = text[finding.start : finding.end]
            if value in self.values or not _worth_learning(finding.entity, value, finding.priority):
                continue
            self.values[value] = finding.entity
            self._since[value] = finding.end
            self._automaton = None

    def _current(self) -> ahocorasick.Automaton | None:
        if self._automaton is None and self.values:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
            for value in self.values:
                automaton.add_word(value, value)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton
