"""Greetings and sign-offs: the names around a pasted ticket or mail.

Logs reach support inside tickets and mails, and people sign them: `Thanks a lot !` then,
a blank line or two later, `Mathieu`; or `Regards, Jane Roe` on one line. A closing
phrase alone on its line (or followed by a comma and the name, or ending a short line:
`Thanks anyway and best regards,`) opens a short window; the
next non-blank line, when it is one to three capitalised words that name someone (not
`Support Team`, see detectors/names.py), is the signer's name. A greeting at the start of
a line names the addressee: `Hi DanB,`, `Dear Ms Roe,`, `Hello @timmeade` (a mention). The
state per stream is the number of lines the window stays open.
"""

from __future__ import annotations

from collections.abc import Mapping

import regex

from .candidates import read_candidate_lines, trigger_lines
from .detectors.names import person_parts
from .detectors.prose import is_common_word, is_proper_noun
from .model import Entity, Finding

RULE_ID = "prose.signoff"
PRIORITY = 66
_CLOSING = regex.compile(
    r"(?i)[ \t>]*(?:many[ \t]+|thanks[ \t]+and[ \t]+|with[ \t]+)?(?:thanks|thank[ \t]+you|thx|cheers|regards|"
    r"best[ \t]+regards|kind[ \t]+regards|warm[ \t]+regards|best[ \t]+wishes|best|sincerely|greetings|br|"
    r"merci|danke|gracias|grazie|obrigad[oa]|saludos|gruß|grüße|cordialement)(?![\p{L}])"
    r"(?:[ \t]+(?:a[ \t]+lot|so[ \t]+much|in[ \t]+advance|again))?[ \t]*[,.!]*[ \t]*"
)
# A closing phrase that ends a short line (`Thanks anyway and best regards,`, `Thank you
# for your help, kind regards`): the mail closers only, as `thanks` ends many a question.
_CLOSING_END = regex.compile(
    r"(?i)(?<![\p{L}])(?:(?:best|kind|warm|warmest|many)[ \t]+regards|regards|best[ \t]+wishes"
    r"|cheers|sincerely|greetings)[ \t]*[,.!]*[ \t]*$"
)
_CLOSING_END_LINE = 80  # characters: a sentence that ends with the closer, not a paragraph
_GREETING = regex.compile(
    r"(?i)[ \t>]*(?:hi|hello|hey|dear|hallo|bonjour|hola|ciao|ola|olá)(?:[ \t]*,)?[ \t]+"
    r"(?P<title>(?:mr|mrs|ms|dr)\.?[ \t]+)?"
    r"(?P<mention>@)?(?P<name>[^\s,!:;.]+(?:[ \t]+[^\s,!:;.]+){0,2}?)[ \t]*(?:[,!:]|$)"
)
_NAME = regex.compile(r"\p{Lu}[\p{L}'’-]{1,20}(?:[ \t]+\p{Lu}[\p{Ll}'’.-]{0,20}){0,2}")
_HANDLE = regex.compile(r"[a-z][a-z0-9_.-]{2,38}")
_WINDOW = 3  # lines after the closing phrase, blank ones included


class SignOffs:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    # The words a closing phrase starts with (ASCII-caseless, at a word start).
    TRIGGERS = (
        "hi ",
        "hi,",
        "hello",
        "hey ",
        "dear ",
        "hallo",
        "bonjour",
        "hola ",
        "thank",
        "thx",
        "cheers",
        "regards",
        "best",
        "sincerely",
        "greetings",
        "merci",
        "danke",
        "gracias",
        "grazie",
        "obrigad",
        "saludos",
        "gruß",
        "grüße",
        "cordialement",
    )

    def __init__(self) -> None:
        self._open = 0  # lines the window stays open for

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []

        def read(start: int, end: int) -> bool:
            self._line(text, start, end, found)
            return self._open > 0

        read_candidate_lines(text, trigger_lines(text, self.TRIGGERS, positions), read, self._open > 0)
        return found

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        greeting = _GREETING.match(text, start, end) if end - start <= 200 else None
        if greeting is not None:
            s, e = greeting.span("name")
            if greeting["mention"] or _handle(text, s, e):
                found.append(Finding(s, e, Entity.USERNAME, RULE_ID, PRIORITY))  # `Hi @timmeade`
            else:
                self._name(text, s, e, found, titled=greeting["title"] is not None)
            return
        if end - start <= _CLOSING_END_LINE and _CLOSING_END.search(text, start, end) is not None:
            self._open = _WINDOW  # `Thanks anyway and best regards,`: the name follows
            return
        closing = _CLOSING.match(text, start, end) if end - start <= 60 else None
        if closing is not None:
            rest = closing.end()
            if rest == end:
                self._open = _WINDOW  # the name follows on a line of its own
                return
            self._open = 0
            if text[rest - 1] in ", \t":
                self._name(text, rest, end, found)  # `Regards, Jane Roe`
            return
        if not self._open:
            return
        self._open -= 1
        if text[start:end].strip():
            self._open = 0
            self._name(text, start, end, found)

    @staticmethod
    def _name(text: str, start: int, end: int, found: list[Finding], titled: bool = False) -> None:
        while start < end and text[start] in " \t>":
            start += 1
        while end > start and text[end - 1] in " \t.!":
            end -= 1
        if _NAME.fullmatch(text, start, end) is None:
            return
        value = text[start:end]
        if not titled and " " not in value and is_common_word(value) and not is_proper_noun(value):
            return  # `Update`, `Edit`: a word, not a signature
        parts = person_parts(value)
        spans = [(0, end - start)] if parts is None else parts
        for s, e in spans:
            found.append(Finding(start + s, start + e, Entity.PERSON_NAME, RULE_ID, PRIORITY))


def _handle(text: str, start: int, end: int) -> bool:
    """A greeting's lowercase word that is no word: the addressee's handle (`Hi, eofster,`
    of a maintainer's reply; not `Hi all,`, `hi there`)."""
    return (
        _HANDLE.fullmatch(text, start, end) is not None
        and text[end : end + 1] in (",", "!")
        and not is_common_word(text[start:end])
    )
