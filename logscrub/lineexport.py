"""LINE's saved chat history (the "Save chat" / "Export chat history" text file).

A user who reports a LINE chat problem attaches the export. After a header, each day
starts with a heading and each message is the time, the sender and the text, separated
by tabs:

    [LINE] Chat history with Kanya
    Saved on: 8/28/2019, 23:10

    Wed, 8/28/2019
    08:38	Kanya	see you at the station
    08:39	Kanya	"two lines,
    the second one"
    22:56	Somchai	[Sticker]

The Japanese app writes `[LINE] 山田とのトーク履歴`, `2019/08/28(水)`, the Thai one dates in
the Buddhist era (`Wed, 28/08/2562 BE`). The sender is a person's display name, the text a
message (a text over several lines is quoted and runs on without a time); what LINE writes
in place of a message (`[Sticker]`, `[Photo]`, `☎ Missed call`) stays. A heading or the
header is what says the lines are such an export: a time, a tab and a name alone could be
a tab-separated log. The state per stream is whether the lines read are an export, and
whether the last one was inside a message.
"""

from __future__ import annotations

import heapq
import re

import regex

from .linetracker import LineTracker
from .model import Entity, Finding

RULE_ID = "chat.line_export"
PRIORITY = 88  # the text goes whole, as a message body does
_HEADER = regex.compile(r"\[LINE\][ ][^\r\n]{1,200}\r?$")
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_DAY = regex.compile(
    rf"(?:{_WEEKDAY},[ ]\d{{1,2}}/\d{{1,2}}/\d{{4}}(?:[ ]BE)?"
    rf"|\d{{4}}/\d{{1,2}}/\d{{1,2}}\((?:{_WEEKDAY}|[月火水木金土日])\)"
    rf"|\d{{4}}\.\d{{2}}\.\d{{2}}[ ]\p{{L}}+)[ \t]*\r?$"
)
_MESSAGE = regex.compile(
    r"(?:(?:午前|午後|AM|PM)[ ]?)?\d{1,2}:\d{2}(?:[ ]?(?:AM|PM))?"
    r"\t(?P<sender>[^\t\r\n]{0,100})\t(?P<text>[^\r\n]*)"
)
# What LINE writes in place of a message: a bracketed word (`[Sticker]`, `[写真]`,
# `[สติกเกอร์]`) or a call event (`☎ Missed call`, `☎ Call time 0:23`).
_PLACEHOLDER = regex.compile(r"\[[^\[\]\r\n]{1,24}\]|☎[^\r\n]{0,40}")
_CONTINUATION_LIMIT = 200  # lines one message may run on for


class LineExports(LineTracker):
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def _next_start(self, text: str, pos: int) -> int:
        """The start of the next line that opens an export (a `[LINE]` header or a day
        heading), or -1. Only lines with a heading's weekday are looked at: a search with a
        literal start is cheap on any log."""
        header = text.find("[LINE] ", pos)
        header = text.rfind("\n", 0, header) + 1 if header >= 0 else -1
        hints = (hint.finditer(text, pos, header if header >= 0 else len(text)) for hint in _DAY_HINTS)
        for hint in heapq.merge(*hints, key=_start):
            line = text.rfind("\n", 0, hint.start()) + 1
            end = text.find("\n", hint.end())
            if _DAY.match(text, line, len(text) if end < 0 else end):
                return line
        return header

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        if _HEADER.match(text, start, end) or _DAY.match(text, start, end):
            self._inside, self._continued = True, 0
            return
        if not self._inside:
            return
        line_end = end - 1 if text[end - 1 : end] == "\r" else end
        message = _MESSAGE.fullmatch(text, start, line_end)
        if message is not None:
            sender_start, sender_end = message.span("sender")
            if text[sender_start:sender_end].strip():
                found.append(Finding(sender_start, sender_end, Entity.PERSON_NAME, RULE_ID, PRIORITY))
            text_start, text_end = message.span("text")
            body = text[text_start:text_end].strip()
            if body and _PLACEHOLDER.fullmatch(body) is None:
                found.append(Finding(text_start, text_end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
            self._continued = _CONTINUATION_LIMIT
            return
        if not text[start:line_end].strip():
            self._continued = 0  # a blank line: before the next day's heading
            return
        if self._continued:
            found.append(Finding(start, line_end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
            self._continued -= 1
        else:
            self._inside = False  # something else follows the export


# A heading's weekday, as two patterns that each start with a literal: Python's `re`
# jumps between a literal's occurrences, but tries an alternation of words at every
# capital letter of the text (a tenth of a second per 10 MB of log, for nothing).
_DAY_HINTS = (
    re.compile(r", \d(?<=(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d)"),
    re.compile(r"\((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|[月火水木金土日])\)"),
)


def _start(match: re.Match[str]) -> int:
    return match.start()
