"""Pidgin's (libpurple's, Finch's) plain-text conversation logs.

A user who reports a chat problem attaches the conversation's log file:

    Conversation with jo.doe@example.com at Sun 04 Jan 2009 08:50:02 PM PST on me@example.com/Home (jabber)
    (08:50:02 PM) Jo Doe: are you there
    (08:55:40 PM) me@example: yes
    (01/05/2009 12:01:10 AM) Jo Doe has signed off.

After the header line (its accounts are the rule chatlog.pidgin_header's), every line
starts with the time in brackets, then the sender's alias and the text; a line without a
time continues the message before it. The alias is a person's name or an account; the
text is a message. Status lines (`has signed on.`, `is now known as ...`) name the buddy
in Pidgin's own wording. The state per stream is whether the lines read are such a log,
and whether the last one was inside a message.
"""

from __future__ import annotations

import regex

from .linetracker import LineTracker
from .model import Entity, Finding

RULE_ID = "chat.pidgin_text"
PRIORITY = 88  # the text goes whole, as a message body does
# The header Pidgin writes at the top of a text log.
_HEADER = regex.compile(
    r"Conversation with [^\s<>]{1,128} at [^<>\r\n]{6,64}? on [^\s<>]{1,128} \([\w-]{2,24}\)\r?$"
)
_TIME = r"\((?:\d{1,2}/\d{1,2}/\d{2,4} )?\d{1,2}:\d{2}:\d{2}(?: ?[AaPp][Mm])?\) "
_MESSAGE = regex.compile(_TIME + r"(?P<sender>[^:\r\n]{1,100}?): (?P<text>[^\r\n]*)")
_STATUS = regex.compile(
    _TIME + r"(?P<who>[^\r\n]{1,100}?) (?:has signed on|has signed off|has gone away|is no longer away"
    r"|has become idle|is no longer idle|has left the conversation|entered the room|left the room"
    r"|is now known as (?P<whom>[^\r\n]{1,100}?))\.\r?$"
)
_TIMED = regex.compile(_TIME)
_ACCOUNT = regex.compile(r"[^\s]*[@_.\d][^\s]*")
_CONTINUATION_LIMIT = 200  # lines one message may run on for


class PidginTextLogs(LineTracker):
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def _next_start(self, text: str, pos: int) -> int:
        header = text.find("Conversation with ", pos)  # (the header is all that opens a log)
        return header if header < 0 else text.rfind("\n", 0, header) + 1

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        if _HEADER.match(text, start, end):
            self._inside, self._continued = True, 0
            return
        if not self._inside:
            return
        message = _MESSAGE.match(text, start, end)
        if message is not None:
            sender_start, sender_end = message.span("sender")
            _sender(text, sender_start, sender_end, found)
            text_start, text_end = message.span("text")
            if text[text_end - 1 : text_end] == "\r":
                text_end -= 1
            if text[text_start:text_end].strip():
                found.append(Finding(text_start, text_end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
            self._continued = _CONTINUATION_LIMIT
            return
        status = _STATUS.match(text, start, end)
        if status is not None:
            for group in ("who", "whom"):
                who_start, who_end = status.span(group)
                if who_start >= 0:
                    _sender(text, who_start, who_end, found)
            self._continued = 0
            return
        if _TIMED.match(text, start, end):
            self._continued = 0  # a system line of Pidgin's (`The following message ...`)
            return
        line_end = end - 1 if text[end - 1 : end] == "\r" else end
        if self._continued and text[start:line_end].strip():
            found.append(Finding(start, line_end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
            self._continued -= 1
        elif not text[start:line_end].strip():
            return
        else:
            self._inside = False  # something else follows the log


def _sender(text: str, start: int, end: int, found: list[Finding]) -> None:
    """The alias of a buddy or of the user: an account (`neeraj@gmail`, `jo_doe42`) or a name."""
    value = text[start:end].strip()
    if not value:
        return
    start = text.index(value, start)
    entity = Entity.USERNAME if _ACCOUNT.fullmatch(value) else Entity.PERSON_NAME
    found.append(Finding(start, start + len(value), entity, RULE_ID, PRIORITY))
