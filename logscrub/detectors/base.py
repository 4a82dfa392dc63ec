"""What every detector shares: the Detector protocol, context checks and rule timeouts."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple, Protocol

import regex

from ..errors import RuleTimeoutError
from ..model import Entity, Finding
from ..rulepack import Rule
from .hyperscan_db import text_view
from .linefilter import LineFilter, Runs
from .literals import build_literals
from .validators import VALIDATORS, Validator, digits_of, line_prefix

PHONE_MIN_DIGITS = 7  # shorter numbers are extensions: replaced as accounts
_NUMERIC = regex.compile(r"(?:\+|%2[Bb])?[\d \-.()]*\d[\d \-.()]*")


StructuredWord = tuple[int, int, int]
"""(kind, key length, word length) of a key-value detector word."""
StructuredHit = tuple[int, StructuredWord]
"""(end index, inclusive; the word's StructuredWord) of a key-value word in the text."""


@dataclass
class IndexHits:
    keywords: dict[str, list[int]]
    structured: list[StructuredHit]


class _Keyword(NamedTuple):
    word: str
    word_start: bool  # must start a word (context words starting with a letter)


class KeywordIndex:
    """One multi-literal pass over a block serves every rule that needs literals: context
    words of context-first rules, long prefilter literals, and the key words of the
    key-value detector. (A regex alternation or an `in` scan per rule costs several ms
    per MB each.) Matching is ASCII-caseless."""

    def __init__(
        self,
        context_words: Iterable[str] = (),
        literals: Iterable[str] = (),
        structured_words: Mapping[str, StructuredWord] | None = None,
        use_hyperscan: bool = False,
    ) -> None:
        # Context words must start a word; prefilter literals may stand anywhere (a prefilter
        # may over-select, never under-select).
        context = dict.fromkeys(context_words)  # ordered: the compiled database is cached by content
        keywords = {w: _Keyword(w, w[:1].isalpha()) for w in context}
        keywords.update({w: _Keyword(w, False) for w in literals})
        structured = dict(structured_words or {})
        self.has_structured = bool(structured)
        # A word may be both a keyword and a key word.
        self.words: dict[str, tuple[_Keyword | None, StructuredWord | None]] = {
            w: (keywords.get(w), structured.get(w)) for w in {**keywords, **structured}
        }
        presence_only = [
            w
            for w, (keyword, key_word) in self.words.items()
            if key_word is None and keyword is not None and not keyword.word_start and w not in context
        ]
        self.literals = build_literals(
            self.words, caseless=True, use_hyperscan=use_hyperscan, cache=True, presence_only=presence_only
        )

    def search(self, scan: ScanText) -> IndexHits:
        """Keyword -> start positions (a keyword starting with a letter must start a word:
        `phone` in `linphone` or `AcmePhone` is no phone context) and key-value hits."""
        keywords: dict[str, list[int]] = {}
        structured: list[StructuredHit] = []
        lower = scan.lower
        words = self.words
        for end, word in self.literals.find(scan):
            keyword, key_word = words[word]
            if key_word is not None:
                structured.append((end - 1, key_word))
            if keyword is None:
                continue
            start = end - len(word)
            if keyword.word_start and start > 0 and lower[start - 1].isalpha():
                continue
            keywords.setdefault(word, []).append(start)
        return IndexHits(keywords, structured)


class ScanText:
    """The text of one block plus lazily computed views that several detectors share."""

    __slots__ = ("__dict__", "keyword_index", "line_filter", "text")

    def __init__(
        self,
        text: str,
        keyword_index: KeywordIndex | None = None,
        line_filter: LineFilter | None = None,
    ) -> None:
        self.text = text
        self.keyword_index = keyword_index or _NO_KEYWORDS
        self.line_filter = line_filter

    @cached_property
    def view(self) -> bytes:
        """One byte per character, for Hyperscan (see hyperscan_db.text_view)."""
        return text_view(self.text)

    @cached_property
    def index_hits(self) -> IndexHits:
        return self.keyword_index.search(self)

    @property
    def keyword_positions(self) -> dict[str, list[int]]:
        return self.index_hits.keywords

    @cached_property
    def line_runs(self) -> dict[str, Runs]:
        """Candidate line runs per rule covered by the line filter (empty without one)."""
        if self.line_filter is None:
            return {}
        return self.line_filter.runs(self.text, self.view)

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

    def __init__(self, rule: Rule, validators: Sequence[str] | None = None) -> None:
        """`validators`: names to check instead of the rule's own."""
        self.rule = rule
        names = rule.validators if validators is None else validators
        self.validators: tuple[Validator, ...] = tuple(VALIDATORS[name] for name in names)
        # A handle in a name field (Rule.handle_entity) is held to the rule's other checks,
        # not to the shape of a name.
        handle = [name for name in names if name not in _NAME_SHAPES]
        self._handle = self if len(handle) == len(names) else RuleChecks(rule, handle)
        # The whole value must have a name's shape before its parts are judged as names.
        self.whole_value_first = not _WHOLE_SHAPES.isdisjoint(names)
        # Another rule for the same key, tried when this one finds nothing in a value
        # (`address` holds an SMS party's number in Android's store, a street in an address
        # book): see with_fallback.
        self.fallback: RuleChecks | None = None

    def with_fallback(self, other: RuleChecks) -> RuleChecks:
        """These checks for one key, with `other` tried after them (and after any fallback
        they already have)."""
        twin = copy.copy(self)
        twin.fallback = other if self.fallback is None else self.fallback.with_fallback(other)
        return twin

    def accepts_handle(self, text: str, start: int, end: int) -> bool:
        """`accepts`, but for validators of a name's shape (see Rule.handle_entity)."""
        return self._handle.accepts(text, start, end)

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
            and len(digits_of(value)) >= PHONE_MIN_DIGITS
        ):
            return rule.numeric_entity
        return rule.entity


_NAME_SHAPES = frozenset({"person_name", "person_name_or_number"})
# Validators of a whole value's shape (names.titled_name: a name under `from` or `to`).
_WHOLE_SHAPES = frozenset({"titled_name"})


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
        raise rule_timeout(rule_id, timeout) from None


def rule_timeout(rule_id: str, timeout: float) -> RuleTimeoutError:
    """Running out of time is a failure, never "no match"."""
    return RuleTimeoutError(f"rule {rule_id!r} exceeded its time limit of {timeout:g}s")
