"""Decorations that split a value without being part of it: ANSI escape sequences (a
coloured console log writes `+1415\\x1b[31m5550123`), zero-width and other format
characters (U+200B, a soft hyphen, a word joiner, bidi marks) that a chat app or a copy
from a web page leaves inside an email address or a number.

Detection sees through them: the engine scans the text with its decorations taken out and
maps what it finds back onto the text as it was. A value with a decoration inside is
replaced whole (the decoration with it); every other byte stays where it was.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL` or `ESC \\`), and two-character escapes;
# zero-width space / joiners, bidi marks and embeddings, word joiner and invisible
# operators, soft hyphen, zero-width no-break space (a BOM inside a text).
_FORMAT_CHARS = (
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
)
DECORATION = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,256}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
    f"|[{_FORMAT_CHARS}]"
)


def decorated(text: str) -> bool:
    """Whether `text` holds a decoration: a fast test (a substring search per character is
    a memchr; one regex pass over a block would cost a hundred times more)."""
    if "\x1b" in text:
        return True
    return not text.isascii() and any(ch in text for ch in _FORMAT_CHARS)


class Undecorated:
    """`text` with its decorations taken out (`clean`), and the way back to `text`."""

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        # For each decoration: the index in `clean` of the character after it, and how
        # many characters of `text` were taken out up to and including it.
        self._at: list[int] = []
        self._removed: list[int] = []
        pos = removed = 0
        for match in DECORATION.finditer(text):
            parts.append(text[pos : match.start()])
            removed += match.end() - match.start()
            self._at.append(match.end() - removed)
            self._removed.append(removed)
            pos = match.end()
        parts.append(text[pos:])
        self.clean = "".join(parts)

    def _shift(self, index: int) -> int:
        """Characters taken out before the character at `index` of `clean`."""
        i = bisect_right(self._at, index)
        return self._removed[i - 1] if i else 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `text` that clean[start:end] came from: from its first character to
        its last, with the decorations between them (not those around them)."""
        return start + self._shift(start), end - 1 + self._shift(end - 1) + 1
