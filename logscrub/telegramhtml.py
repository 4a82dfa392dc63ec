"""Telegram Desktop's chat export in HTML (`messages.html`, its default export format).

Each message is a `<div class="message default clearfix">` whose parts are elements of
their own class, each opening tag on a line of its own and its content on the lines
after it:

       <div class="from_name">
    Jane Roe
       </div>

       <div class="text">
    See you at 5<br>bring the keys
       </div>

The sender's display name (`from_name`, with a forwarded message's date in a `details`
span after it) is a person's name; the text (`text`) and a service message's line
(`body details` of `message service`: `Jane Roe joined group by link`) are what people
wrote or did; the names of a chat list (`name bold`) are contacts. The date's tooltip,
the reply links, the media's file names and the initials of an avatar stay. The state
per stream is whether an export was seen, and the element whose content is being read.
"""

from __future__ import annotations

import regex

from .linetracker import LineTracker, blank_trimmed
from .model import Entity, Finding

RULE_ID = "chat.telegram_html"
PRIORITY = 88  # the text goes whole, as a message body does
# What only a Telegram HTML export writes: the class of a message's element.
_MARK = 'class="message '
_OPENING = regex.compile(r'[ \t]*<div class="(?P<kind>from_name|text|body details|name bold)">[ \t]*\r?$')
_CLOSING = regex.compile(r"[ \t]*</div>[ \t]*\r?$")
_ENTITIES = {
    "from_name": Entity.PERSON_NAME,
    "name bold": Entity.PERSON_NAME,
    "text": Entity.MESSAGE_BODY,
    "body details": Entity.MESSAGE_BODY,
}
# A forwarded message's sender is followed by the original's date: `Jane Roe<span ...`.
_NAME_END = regex.compile(r"[ \t]*(?:<span\b|\r?$)")
_CONTENT_LINES = 200  # lines one element's content may run on for


class TelegramHtmlExports(LineTracker):
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._entity: Entity | None = None  # the element being read holds this

    def _next_start(self, text: str, pos: int) -> int:
        mark = text.find(_MARK, pos)
        return mark if mark < 0 else text.rfind("\n", 0, mark) + 1

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        if not self._inside:
            self._inside = text.find(_MARK, start, end) >= 0
            return
        opening = _OPENING.match(text, start, end)
        if opening is not None:
            self._entity, self._continued = _ENTITIES[opening["kind"]], _CONTENT_LINES
            return
        if self._entity is None:
            return
        if _CLOSING.match(text, start, end) is not None or self._continued <= 0:
            self._entity = None
            return
        self._continued -= 1
        value_end = end
        if self._entity is Entity.PERSON_NAME:
            cut = _NAME_END.search(text, start, end)
            value_end = end if cut is None else cut.start()
        start, value_end = blank_trimmed(text, start, value_end)
        if value_end > start:
            found.append(Finding(start, value_end, self._entity, RULE_ID, PRIORITY))
