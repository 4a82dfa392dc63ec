"""Many literals found in one pass: Hyperscan when installed, else Aho-Corasick.

Used for the keyword pass (context words, key words of the key-value detector, long
prefilter literals) and for a stream's learned values. Both backends report the same
hits, as (end offset in the text, literal), ordered by end and then longest first.
Caseless means ASCII-caseless in both: the Aho-Corasick backend searches the
ASCII-lowered text (the caller lowers the words), Hyperscan's byte mode folds only ASCII
letters.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Protocol

import ahocorasick

from . import hyperscan_db

Hit = tuple[int, str]
"""(end offset in the text, exclusive; the literal)."""


class Scanned(Protocol):
    """What a literal matcher reads from a block (detectors.base.ScanText)."""

    @property
    def text(self) -> str: ...

    @property
    def lower(self) -> str: ...

    @property
    def view(self) -> bytes: ...


class Literals(Protocol):
    def find(self, scan: Scanned) -> list[Hit]: ...


def build_literals(
    words: Iterable[str],
    *,
    caseless: bool,
    use_hyperscan: bool,
    cache: bool = False,
    presence_only: Collection[str] = (),
) -> Literals:
    """`cache`: see hyperscan_db.Database (only for words that come from rules).
    `presence_only`: words whose first hit in a block is enough (prefilter literals);
    Hyperscan then stops reporting them, Aho-Corasick reports them all anyway."""
    unique = [w for w in dict.fromkeys(words) if w]
    if use_hyperscan:
        return HyperscanLiterals(unique, caseless, cache, frozenset(presence_only))
    return AhoCorasickLiterals(unique, caseless)


class AhoCorasickLiterals:
    def __init__(self, words: list[str], caseless: bool) -> None:
        self.caseless = caseless
        self._automaton: Any = None
        if words:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
            for word in words:
                automaton.add_word(word, word)
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, scan: Scanned) -> list[Hit]:
        if self._automaton is None:
            return []
        haystack = scan.lower if self.caseless else scan.text
        # Inclusive end indexes, in end order and longest first at one end (output links).
        return [(end + 1, word) for end, word in self._automaton.iter(haystack)]


# Hyperscan compiles long literals slowly (learned tokens and JWTs run to hundreds of
# characters), so only a prefix of a long word is compiled and the rest compared here.
_PREFIX = 24
# A learned number comes in a dozen spellings (`+14155550123`, `0014155550123`,
# `4155550123`, `+1 415 555 0123`, `415 555 0123`, ...) that share their tails: words
# that share a numeric tail of _SUFFIX characters are compiled as that tail once and
# confirmed here, fewer literals to compile (compiling is ~20 µs a literal).
_SUFFIX = 8
_SUFFIX_DIGITS = 6


class HyperscanLiterals:
    """Each word is found by a key, a part of it that Hyperscan matches: the word itself, a
    prefix of a long word, a numeric tail shared with other words, or the longest run
    without NUL (the Hyperscan binding reads a literal up to its first NUL byte). A hit of
    a key that is not its whole word is confirmed against the text."""

    def __init__(
        self,
        words: list[str],
        caseless: bool,
        cache: bool = False,
        presence_only: frozenset[str] = frozenset(),
    ) -> None:
        self.caseless = caseless
        by_tail: dict[str, list[str]] = {}
        for word in words if not caseless else ():  # (numbers are learned values, never caseless)
            if _SUFFIX < len(word) <= _PREFIX and word[-1].isdigit() and _numeric_tail(word):
                by_tail.setdefault(word[-_SUFFIX:], []).append(word)
        tails = {word: tail for tail, ws in by_tail.items() if len(ws) > 1 for word in ws}
        by_key: dict[str, list[str]] = {}
        # Where the key starts in a word whose key is not its prefix (a tail, a NUL-free run).
        self.offsets: dict[str, int] = {}
        for word in words:
            tail = tails.get(word) if tails else None
            if tail is not None:
                key = tail
                self.offsets[word] = len(word) - len(tail)
            elif "\x00" in word:
                key = max(word.split("\x00"), key=len)[:_PREFIX]
                if not key:
                    continue  # nothing but NUL bytes: no value to look for
                self.offsets[word] = word.index(key)
            else:
                key = word[:_PREFIX]
            group = by_key.get(key)
            if group is None:
                by_key[key] = [word]
            else:
                group.append(word)
        self.keys = list(by_key)
        self.words = list(by_key.values())
        # Confirmed against the text: words longer than their key, and words with
        # characters outside Latin-1 (runs of 0x80 in the text view).
        self.confirm = [
            len(ws) > 1 or len(ws[0]) > len(key) or not (ws[0].isascii() or _latin1(ws[0]))
            for key, ws in by_key.items()
        ]
        self.any_confirm = any(self.confirm)
        flag = hyperscan_db.flag("HS_FLAG_CASELESS") if caseless else 0
        single = hyperscan_db.flag("HS_FLAG_SINGLEMATCH")  # report a presence-only literal once
        self._database = hyperscan_db.Database(
            [hyperscan_db.text_view(k) for k in self.keys],
            [flag | (single if by_key[k] == [k] and k in presence_only else 0) for k in self.keys],
            literal=True,
            cache=cache,
        )

    def find(self, scan: Scanned) -> list[Hit]:
        hits = self._database.scan(scan.view)
        if not hits:
            return []
        words = self.words
        if not self.any_confirm:
            found = [(end, words[index][0]) for index, end in hits]
        else:
            haystack = scan.lower if self.caseless else scan.text
            confirm = self.confirm
            keys = self.keys
            offsets = self.offsets
            found = []
            for index, end in hits:
                if not confirm[index]:
                    found.append((end, words[index][0]))
                    continue
                key_start = end - len(keys[index])
                for word in words[index]:
                    start = key_start - offsets.get(word, 0) if offsets else key_start
                    if start >= 0 and haystack.startswith(word, start):
                        found.append((start + len(word), word))
        found.sort(key=_hit_order)
        return found


def _numeric_tail(word: str) -> bool:
    return sum(ch.isdigit() for ch in word[-_SUFFIX:]) >= _SUFFIX_DIGITS


def _latin1(word: str) -> bool:
    try:
        word.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _hit_order(hit: Hit) -> tuple[int, int]:
    return hit[0], -len(hit[1])
