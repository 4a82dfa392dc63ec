"""People's names inside English prose: `trying to convince Harshita to go vote`.

Logs carry free text too: chat and SMS text the app echoes, call notes, prompts sent to
voice bots, exception messages written for humans. Inside a sentence a capitalised word
that is not the sentence's first word is a proper noun or part of a title; a proper noun
that is no common English word is most often a person (log prose seldom names places).

So a candidate (one to three capitalised words after a lowercase word, see the rule
`prose.person_name`) is a name when
- it stands in prose: a sentence of at least six words, mostly plain words, with English
  function words (the, to, and ...), which log messages and key=value lines lack;
- it does not follow a determiner (`the Linphone app`, `a Yealink phone`: products);
- its first word is not a common English word, months, days, languages or the names of
  the technology these logs are full of (`via Twilio`, `on Android`).

"Common English word" means: a lowercase entry of Webster's word list (english-words;
its proper nouns are capitalised, so `adrian` is no word but `district` is) that is also
among the most frequent words of pyspellchecker's English frequency list (Webster's has
`nesh` and `bob`; frequency tells common words from archaic ones). Both lists load
lazily, once per process, when the first candidate is judged.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .. import cachefiles
from .validators import json_unescape, validator

# Frequency rank under which a Webster's word counts as common. Above it words are rare
# enough (`nesh`, `wold`) that a capitalised use mid-sentence is more likely a name.
_COMMON_RANK = 100_000
# Webster's lists lemmas only: `containers`, `updating` are judged by `container`, `update`.
_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("ly", ""),
    ("er", ""),
    ("ers", ""),
)

_MIN_WORDS = 6
_MIN_FUNCTION_WORDS = 3
_MIN_PLAIN_SHARE = 0.75

FUNCTION_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him himself
    his how i if in into is it its itself just me more most my myself no nor not now
    of off on once only or other our ours out over own same she should so some such
    than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# A line with prose holds one of these written between spaces (words that log messages
# seldom use, unlike `to`, `for` or `is`). The rule's anchor and line_anchor select lines
# by the same words, so both backends select the same lines; a test keeps them equal.
SPACED_WORDS = tuple("the and you your that with about".split())  # noqa: SIM905
_SPACED = regex.compile(" (?:" + "|".join(SPACED_WORDS) + ") ")

# Before these a capitalised word is a product, a place or an organisation, not a person
# (`that` is left out: as a conjunction it often stands before a name).
_DETERMINERS = frozenset(
    """
    the a an this these those our your their its each every any some no via using
    on
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Capitalised words that are no common English word but rarely a person in these logs.
_NOT_NAMES = frozenset(
    """
    january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday english french
    german spanish italian russian chinese japanese arabic hebrew portuguese dutch
    polish turkish greek hindi korean ukrainian european american asian african
    android ios iphone ipad macos windows linux ubuntu debian unix chrome chromium
    firefox safari edge google apple microsoft samsung huawei xiaomi amazon aws azure
    firebase twilio vonage nexmo plivo sinch bandwidth telnyx messagebird whatsapp
    telegram viber signal skype zoom teams slack webex jitsi linphone asterisk
    freeswitch kamailio opensips yealink polycom grandstream cisco avaya snom gigaset
    fanvil zoiper bria pjsip pjsua sofia belledonne flexisip sipp wireshark tcpdump
    opus speex silk ilbc webrtc java kotlin swift python node php golang rust
    javascript typescript json xml yaml http https jan feb mar apr jun jul aug sep
    sept oct nov dec mon tue wed thu fri sat sun internet wifi bluetooth ethernet
    celsius fahrenheit unicode utf metadata multithreading makefile github gitlab
    bitbucket facebook instagram twitter youtube linkedin paypal stripe docker
    kubernetes postgres postgresql mysql sqlite redis nginx apache openssl
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# The word before a candidate: all lowercase, standing alone (not `linphone.Core`, `iOS`).
_PREVIOUS_WORD = regex.compile(r"(?:^|\s)(\p{Ll}[\p{Ll}\p{M}]+),? $")
_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['\u2019][\p{L}\p{M}]+)*")
_PLAIN_TOKEN = regex.compile(r"[\"'(]?[\p{L}\p{M}]+(?:['\u2019-][\p{L}\p{M}]+)*[,.!?;:'\")]*")
# What ends a sentence or a field on a line: sentence punctuation before white space,
# quotes, tabs, brackets and field separators.
_BOUNDARY = regex.compile(r"[.!?;:](?=\s|$)|[\t\"|\[\]{}()<>=]|\s-\s")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Derived once and kept in the cache directory: building it from both lists takes
    about half a second, reading it back a few milliseconds."""
    from importlib.metadata import version

    directory = cachefiles.cache_dir()
    name = f"words-{version('english-words')}-{version('pyspellchecker')}-{_COMMON_RANK}-{len(_SUFFIXES)}.txt"
    path = directory / name if directory is not None else None
    if path is not None:
        try:
            return frozenset(path.read_text(encoding="utf-8").split())
        except (OSError, UnicodeError):
            pass
    words = _derive_common_words()
    if path is not None:
        cachefiles.store(path, "\n".join(sorted(words)).encode("utf-8"))
    return words


def _derive_common_words() -> frozenset[str]:
    from english_words import get_english_words_set
    from spellchecker import SpellChecker

    frequencies = SpellChecker(language="en", distance=1).word_frequency.dictionary
    frequent = sorted(frequencies, key=frequencies.__getitem__, reverse=True)[:_COMMON_RANK]
    webster_lower = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    return frozenset(
        w for w in frequent if w in webster_lower or any(lemma in webster_lower for lemma in _lemmas(w))
    )


def _lemmas(word: str) -> list[str]:
    return [word[: -len(suffix)] + ending for suffix, ending in _SUFFIXES if word.endswith(suffix)]


def is_proper_noun(word: str) -> bool:
    """Whether Webster's lists `word` (any case) capitalised: a given name (`Jane`, `Will`)
    or a place, though it may also be a common word."""
    return word.lower() in _proper_nouns()


@lru_cache(maxsize=1)
def _proper_nouns() -> frozenset[str]:
    from importlib.metadata import version

    directory = cachefiles.cache_dir()
    path = directory / f"proper-{version('english-words')}.txt" if directory is not None else None
    if path is not None:
        try:
            return frozenset(path.read_text(encoding="utf-8").split())
        except (OSError, UnicodeError):
            pass
    from english_words import get_english_words_set

    words = frozenset(
        w.lower() for w in get_english_words_set(["web2"], lower=False, alpha=True) if w[:1].isupper()
    )
    if path is not None:
        cachefiles.store(path, "\n".join(sorted(words)).encode("utf-8"))
    return words


def is_common_word(word: str) -> bool:
    """Whether `word` (any case) is a common English word (see the module docstring)."""
    return word.lower() in _common_words()


@lru_cache(maxsize=16384)
def _may_be_name(word: str) -> bool:
    lower = word.lower()
    return lower not in _NOT_NAMES and lower not in FUNCTION_WORDS and not is_common_word(lower)


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence around text[start:end], split at the candidate: (before, after)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start]
    boundaries = list(_BOUNDARY.finditer(before))
    if boundaries:
        before = before[boundaries[-1].end() :]
    boundary = _BOUNDARY.search(text, end, line_end)
    after = text[end : boundary.start() if boundary else line_end]
    return before, after


def in_prose(before: str, value: str, after: str) -> bool:
    """Whether the sentence `before value after` is English prose."""
    tokens = f"{before} {value} {after}".split()
    if len(tokens) < _MIN_WORDS:
        return False
    plain = sum(1 for t in tokens if _PLAIN_TOKEN.fullmatch(t))
    if plain < _MIN_PLAIN_SHARE * len(tokens):
        return False
    function = sum(1 for t in tokens if t.lower().strip(",.!?;:'\"()") in FUNCTION_WORDS)
    return function >= _MIN_FUNCTION_WORDS


# A version after a capitalised word (`with Odoo 10.`, `on Kazoo 4.3`, `Zoiper v5`): the
# word names a product; a person is seldom followed by a bare number (a phone number is
# longer, or written with separators).
_VERSION_AFTER = regex.compile(r"[ \t]+[vV]?\d{1,3}(?:\.\d{1,4}){0,3}(?![\w-]|[.,]\d)")


@validator("prose_name")
def _prose_name(value: str, text: str, start: int, end: int) -> bool:
    words = _WORD.findall(value)
    if not words or not _may_be_name(words[0]):
        return False
    if _VERSION_AFTER.match(text, end) is not None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if _SPACED.search(text, line_start, len(text) if line_end < 0 else line_end) is None:
        return False
    before, after = _sentence(text, start, end)
    previous = _PREVIOUS_WORD.search(before)
    if previous is None or previous.group(1) in _DETERMINERS:
        return False
    return in_prose(before, value, after)


@validator("not_common_words")
def _not_common_words(value: str, text: str, start: int, end: int) -> bool:
    """Text of common English words only (`Incoming call`, `COUNTRY DIRECTOR`) is an app's
    or a role's wording; a name or anything else among them makes it a person's."""
    words = _WORD.findall(json_unescape(value))  # `\u05d4...`: Hebrew
    return not words or not all(is_common_word(word) for word in words)


@validator("not_common_word")
def _not_common_word(value: str, text: str, start: int, end: int) -> bool:
    """A single common English word (`Release`, `Timeout`) names no person."""
    words = _WORD.findall(value)
    return not (len(words) == 1 and is_common_word(words[0]))


@validator("not_word_in_prose")
def _not_word_in_prose(value: str, text: str, start: int, end: int) -> bool:
    """A common English word that a sentence goes on from (`access token: Session has
    expired ...` of an API's error) is the sentence's, not the key's value."""
    return not (value.isalpha() and is_common_word(value) and _PROSE_GOES_ON.match(text, end) is not None)


_PROSE_GOES_ON = regex.compile(r" [a-z]{2,}\b")


@validator("not_plain_common_word")
def _not_plain_common_word(value: str, text: str, start: int, end: int) -> bool:
    """A value that is one common English word as it stands (`connected`); with a digit or
    other characters in it (`Tablet7`, `quick_start`) it is a chosen name."""
    return not (value.isalpha() and is_common_word(value))
