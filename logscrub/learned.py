"""Values learned from confident findings, replaced wherever they reappear later in a stream.

A user name found in `username=alice7` also sits in `Auth info found for [alice7]`, a
phone number found in `"to": "9879576875"` also in `recording_9879576875.wav`; no rule
can know every such place. Once a rule has found a value, later occurrences of the same
text (as a whole token) are findings too. "Later" is measured in stream order, so where
blocks are cut does not change the output. State is per stream and bounded.

Values are matched exactly (case-sensitively). The values learned in a block get a
multi-literal matcher of their own, used at once for their later occurrences in that
block; matchers of earlier blocks are merged like a binary counter (see `learn`), so each
block is scanned by a few matchers and each value is compiled O(log n) times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .detectors.literals import Literals, Scanned, build_literals
from .detectors.prose import is_common_word
from .detectors.validators import digits_of
from .model import Entity, Finding

LEARNED_PRIORITY = 35
_MAX_LEVELS = 6
_LIMIT = 20_000
_LEARNABLE = {
    Entity.PHONE_NUMBER,
    Entity.USERNAME,
    Entity.PERSON_NAME,
    Entity.EMAIL_ADDRESS,
    Entity.DEVICE_ID,
    Entity.TOKEN,
    Entity.CREDENTIAL,
    Entity.MAC_ADDRESS,
}
_RULE_IDS = {entity: f"learned.{entity.value.lower()}" for entity in Entity}


def _worth_learning(entity: Entity, value: str, priority: int) -> bool:
    """Long or distinctive values only: learning `admin` or `home` would replace ordinary words."""
    if entity not in _LEARNABLE or "\n" in value or value.isspace():
        return False
    digits = len(digits_of(value))
    has_digit = digits > 0
    if entity is Entity.PHONE_NUMBER:
        # Short extensions (1215) only when a keyed or SIP rule vouched for them.
        return digits >= 7 or (digits >= 4 and priority >= 70)
    if entity in (Entity.USERNAME, Entity.PERSON_NAME) and value.isalpha() and is_common_word(value):
        # `asterisk` (a system user), `Reception`: replacing every later `asterisk` would
        # break `res_rtp_asterisk.c` and `realm="asterisk"`.
        return False
    if entity is Entity.PERSON_NAME:
        return len(value) >= 4 and value[:1].isupper()
    if entity in (Entity.TOKEN, Entity.CREDENTIAL):
        return len(value) >= 6 and (has_digit or not value.isalpha())
    return (has_digit and len(value) >= 4) or len(value) >= 6


@dataclass(frozen=True)
class NewValues:
    """Values learned in one block that reach back: where each was first found (block
    offset), and a matcher for them that may also find other values (see lookback.Lookback)."""

    first: dict[str, int]
    matcher: Literals


class LearnedValues:
    """The learned values of one stream."""

    def __init__(self, use_hyperscan: bool = False, limit: int = _LIMIT) -> None:
        self.use_hyperscan = use_hyperscan
        self.limit = limit
        self.values: dict[str, Entity] = {}
        # Matchers over disjoint groups of values, sizes shrinking geometrically (like a
        # binary counter): O(log n) matchers to scan, each value compiled O(log n) times.
        self._levels: list[tuple[list[str], Literals]] = []
        self._recent: list[NewValues] = []

    def __len__(self) -> int:
        return len(self.values)

    def find_earlier(self, scan: Scanned, taken: set[int]) -> list[Finding]:
        """Findings for values learned in earlier blocks that occur in this one.

        Occurrences starting where a rule already found something (`taken`) are skipped:
        most learned values reappear exactly where rules find them anyway.
        """
        found: list[Finding] = []
        for _, matcher in self._levels:
            self._collect(scan, matcher.find(scan), taken, None, found)
        return found

    def learn(self, scan: Scanned, findings: Iterable[Finding], taken: set[int]) -> list[Finding]:
        """Learn from this block's findings; returns the occurrences of the new values in
        this block after the place each was first found."""
        text = scan.text
        new: dict[str, int] = {}
        first: dict[str, int] = {}
        for finding in findings:
            if finding.priority <= LEARNED_PRIORITY or len(self.values) >= self.limit:
                continue
            value = text[finding.start : finding.end]
            if value in self.values or not _worth_learning(finding.entity, value, finding.priority):
                continue
            self.values[value] = finding.entity
            new[value] = finding.end
            first[value] = finding.start
        if not new:
            return []
        matcher = self._build(new)
        found: list[Finding] = []
        self._collect(scan, matcher.find(scan), taken, new, found)
        self._levels.append((list(new), matcher))
        # Short numbers (an extension, `1300`) are common configuration values too: they
        # count after the place they were found, but do not reach back. (The matcher finds
        # them still; lookback skips what `first` does not name.)
        first = {value: at for value, at in first.items() if not value.isdigit() or len(value) >= 7}
        if first:
            self._recent.append(NewValues(first, matcher))
        # Aho-Corasick builds cheaply but every automaton is one more pass over each block:
        # keep one. Hyperscan scans cheaply but compiles slowly: merge two matchers when the
        # newer is as large as the older (a binary counter: each value is compiled O(log n)
        # times), or when there are too many to scan.
        levels = self._levels
        while len(levels) > 1 and (
            not self.use_hyperscan or len(levels) > _MAX_LEVELS or len(levels[-2][0]) <= len(levels[-1][0])
        ):
            (older, _), (newer, _) = levels.pop(-2), levels.pop()
            merged = older + newer
            levels.append((merged, self._build(merged)))
        return found

    def take_new(self) -> list[NewValues]:
        """The values learned since the last call (for lookback), and forget them there."""
        recent, self._recent = self._recent, []
        return recent

    def occurrences(self, new: NewValues, scan: Scanned) -> list[Finding]:
        """Every whole-token occurrence of the values in `new` in `scan`."""
        found: list[Finding] = []
        self._collect(scan, new.matcher.find(scan), set(), None, found)
        return found

    def _collect(
        self,
        scan: Scanned,
        hits: Iterable[tuple[int, str]],
        taken: set[int],
        not_before: dict[str, int] | None,
        found: list[Finding],
    ) -> None:
        text = scan.text
        for end, value in hits:
            start = end - len(value)
            if start in taken or (not_before is not None and start < not_before[value]):
                continue
            if _whole_token(text, start, end, value):
                entity = self.values[value]
                found.append(Finding(start, end, entity, _RULE_IDS[entity], LEARNED_PRIORITY))

    def _build(self, values: Iterable[str]) -> Literals:
        return build_literals(values, caseless=False, use_hyperscan=self.use_hyperscan)


def _whole_token(text: str, start: int, end: int, value: str) -> bool:
    """Not inside a longer word. Values with digits may touch `_` (`recording_9879576875.wav`);
    words may not (`res_rtp_asterisk.c` is an identifier, not the user `asterisk`)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalnum():
        return False
    return not (value.isalpha() and "_" in (before, after))
