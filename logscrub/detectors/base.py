"""What every detector shares: the Detector protocol, context checks and rule timeouts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import ahocorasick
import regex

from ..errors import RuleTimeoutError
from ..model import Entity, Finding
from ..rulepack import Rule
from .validators import VALIDATORS, Validator, line_prefix

_PHONE_MIN_DIGITS = 7
_NUMERIC = regex.compile(r"(?:\+|%2[Bb])?[\d \-.()]*\d[\d \-.()]*")


StructuredHit = tuple[int, tuple[int, int, int]]
"""(end index, (kind, key length, word length)) of a key-value word in the lowered text."""


@dataclass
class IndexHits:
    keywords: dict[str, list[int]]
    structured: list[StructuredHit]
    learned: list[tuple[int, str]]  # (end index, lowered learned value)


class KeywordIndex:
    """One Aho-Corasick pass over a block's lowered text serves every rule that needs
    literals: context words of context-first rules, long prefilter literals, and the key
    words of the key-value detector. (A regex alternation or an `in` scan per rule costs
    several ms per MB each.)"""

    def __init__(
        self,
        context_words: Iterable[str] = (),
        literals: Iterable[str] = (),
        structured_words: Mapping[str, tuple[int, int, int]] | None = None,
    ) -> None:
        # Context words must start a word; prefilter literals may stand anywhere (a prefilter
        # may over-select, never under-select).
        words: dict[str, tuple[object, ...]] = {
            w: (_KEYWORD, w, len(w), w[:1].isalpha()) for w in context_words
        }
        words.update({w: (_KEYWORD, w, len(w), False) for w in literals})
        self.has_structured = bool(structured_words)
        for word, payload in (structured_words or {}).items():
            # A word that is also a keyword keeps both roles.
            keyword = words.get(word)
            words[word] = (_STRUCTURED, payload, keyword)
        self.words = words
        self.automaton = self.build(()) if words else None

    def build(self, learned: Iterable[str]) -> ahocorasick.Automaton:
        """This index's automaton, plus (lowered) learned values of one stream, so that a
        stream's learned values cost no extra pass over its text."""
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for word, entry in self.words.items():
            automaton.add_word(word, entry)
        for value in learned:
            automaton.add_word(value, (_LEARNED, value, self.words.get(value)))
        automaton.make_automaton()
        return automaton

    def search(self, lower: str, automaton: ahocorasick.Automaton | None = None) -> IndexHits:
        """Keyword -> start positions (a keyword starting with a letter must start a word:
        `phone` in `linphone` or `AcmePhone` is no phone context), key-value hits and
        learned-value hits."""
        keywords: dict[str, list[int]] = {}
        structured: list[StructuredHit] = []
        learned: list[tuple[int, str]] = []
        automaton = automaton or self.automaton
        if automaton is not None:
            for end, entry in automaton.iter(lower):
                if entry[0] == _LEARNED:
                    learned.append((end, entry[1]))
                    entry = entry[2]
                    if entry is None:
                        continue
                if entry[0] == _STRUCTURED:
                    structured.append((end, entry[1]))
                    entry = entry[2]
                    if entry is None:
                        continue
                _, keyword, length, word_start = entry
                start = end + 1 - length
                if word_start and start > 0 and lower[start - 1].isalpha():
                    continue
                keywords.setdefault(keyword, []).append(start)
        return IndexHits(keywords, structured, learned)


_KEYWORD, _STRUCTURED, _LEARNED = 0, 1, 2


class ScanText:
    """The text of one block plus lazily computed views that several detectors share."""

    __slots__ = ("__dict__", "automaton", "keyword_index", "text")

    def __init__(
        self,
        text: str,
        keyword_index: KeywordIndex | None = None,
        automaton: ahocorasick.Automaton | None = None,
    ) -> None:
        self.text = text
        self.keyword_index = keyword_index or _NO_KEYWORDS
        self.automaton = automaton  # the index's words plus a stream's learned values

    @cached_property
    def index_hits(self) -> IndexHits:
        return self.keyword_index.search(self.lower, self.automaton)

    @property
    def keyword_positions(self) -> dict[str, list[int]]:
        return self.index_hits.keywords

    @cached_property
    def lower(self) -> str:
        """ASCII-lowercased text with the same length and offsets as `text`.

        bytes.lower() touches only ASCII letters, so the round trip keeps every other
        character (str.lower() may change lengths, e.g. for U+0130) and is twice as fast.
        """
        return self.text.encode("utf-8", "surrogateescape").lower().decode("utf-8", "surrogateescape")

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """[start, end) of the line holding `pos` (end excludes the newline)."""
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        return start, len(text) if end < 0 else end


_NO_KEYWORDS = KeywordIndex()


class Detector(Protocol):
    def find(self, scan: ScanText) -> Iterable[Finding]: ...


class RuleChecks:
    """Context keys, deny-context keys and validators of one rule, applied to a candidate."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.validators: tuple[Validator, ...] = tuple(VALIDATORS[name] for name in rule.validators)

    def accepts(self, text: str, start: int, end: int) -> bool:
        rule = self.rule
        if rule.context or rule.deny_context:
            before = line_prefix(text, start, rule.context_window).lower()
            if rule.context and not any(key in before for key in rule.context):
                return False
            if rule.deny_context and any(key in before for key in rule.deny_context):
                return False
        value = text[start:end]
        for check in self.validators:  # noqa: SIM110 - a plain loop is faster on this hot path
            if not check(value, text, start, end):
                return False
        return True

    def entity_for(self, value: str) -> Entity:
        """The rule's entity, or its `numeric_entity` for a numeric value of phone length.

        Short numeric user names (extensions such as 1006) keep the rule's entity: a
        phone-shaped pseudonym of four digits could equal another real extension."""
        rule = self.rule
        if (
            rule.numeric_entity is not None
            and _NUMERIC.fullmatch(value)
            and sum(c.isdigit() for c in value) >= _PHONE_MIN_DIGITS
        ):
            return rule.numeric_entity
        return rule.entity


def run_regex(
    pattern: regex.Pattern[str],
    text: str,
    timeout: float,
    rule_id: str,
    pos: int = 0,
    endpos: int | None = None,
) -> Iterator[regex.Match[str]]:
    """finditer with a time limit; running out of time is a failure, never "no match"."""
    try:
        yield from pattern.finditer(text, pos, len(text) if endpos is None else endpos, timeout=timeout)
    except TimeoutError:
        raise RuleTimeoutError(f"rule {rule_id!r} exceeded its time limit of {timeout:g}s") from None
