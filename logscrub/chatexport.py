"""Exported chats: WhatsApp's `_chat.txt`, KakaoTalk's export and the same shape written by
other messengers.

A user who reports a messaging problem attaches the chat export. Every line starts with
the message's date and time and its sender, then the text:

    [07/02/2023, 23:29:51] ~ Trail Blazer: Any information about delivery jobs      (iOS)
    12/31/20, 10:15 PM - +254 722 143579: see you there                              (Android)

The sender is a contact's name (a `~` marks a name the member chose) or a phone number;
the text is a message, and lines without a date that follow a message continue it. Group
events are written as messages of the member they concern (`~ Kul Events LTD joined using
this group's invite link`), so the text goes the same way. The state per stream is
whether the last line read was inside a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import regex

from .detectors.prose import is_common_word
from .detectors.validators import digits_of
from .model import Entity, Finding

RULE_ID = "chat.export"
PRIORITY = 88  # the text goes whole, as a message body does
# Day, month and year as WhatsApp writes them in every locale (`07/02/2023`, `12/31/20`,
# `07.02.23`), then a comma: no log writes its time stamps so (ISO dates use dashes).
_DATE = r"\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \u202f\u00a0]?(?i:[ap]\.?[ ]?m\.?))?"
# KakaoTalk's Korean stamps put the time after 오전 / 오후, a comma after it: a gate of
# its own, tried only where those words are (an alternation loses the literal start).
_GATE = re.compile(r", \d{1,2}[:.]\d\d")
_GATE_KOREAN = re.compile(r"[전후] \d{1,2}:\d\d, ")
# A sender as a chat names one: a phone number, or two to eight words of a name.
_PERSON_SENDER = regex.compile(
    r"[~\u202f ]*(?:\+?\d[\d \-()\u00a0\u202f]{5,20}\d|\p{L}[\p{L}\p{M}'’.-]*(?:[ ][\p{L}\p{M}'’.-]+){1,7})"
)


def _person_sender(sender: str) -> bool:
    """A number, or a name of several words one of which is no common English word
    (`Sergio Zamith`; not `Call Manager`)."""
    if _PERSON_SENDER.fullmatch(sender) is None:
        return False
    words = [w for w in sender.replace("~", " ").split() if w.isalpha()]
    return not words or not all(is_common_word(w) for w in words)


_BARE_BRACKET = regex.compile(r"[\u200e\u200f]?\[\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})[ ]")
# WhatsApp for iOS in locales that write no comma between date and time (Brazil:
# `[19/06/2024 15:37:24] `).
_GATE_BRACKET = re.compile(r"\[\d{1,2}[./]\d{1,2}[./]\d{2,4} \d{1,2}[:.]\d\d(?:[:.]\d\d)?\] ")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# What starts every line of a message: `[date, time] ` (iOS) or `date, time - ` (Android)
# of WhatsApp; KakaoTalk's `March 3, 2018, 8:54 PM, ` (English), `2018. 3. 3. 오후 8:54, ` and
# `2013년 2월 28일 오후 11:31, ` (Korean).
_STAMP = (
    rf"[\u200e\u200f]?(?:\[{_DATE},?[ ]{_TIME}\][ ]|{_DATE},[ ]{_TIME}[ ]-[ ]"
    rf"|{_MONTH}[ ]\d{{1,2}},[ ]\d{{4}},[ ]{_TIME},[ ]"
    rf"|\d{{4}}\.[ ]\d{{1,2}}\.[ ]\d{{1,2}}\.[ ](?:오전|오후)[ ]\d{{1,2}}:\d{{2}},[ ]"
    rf"|\d{{4}}년[ ]\d{{1,2}}월[ ]\d{{1,2}}일[ ](?:오전|오후)[ ]\d{{1,2}}:\d{{2}},[ ])"
)
_LINE = regex.compile(_STAMP + r"(?P<sender>[^:\r\n]{1,100}?):[ ](?P<text>[^\r\n]*)")
_DATED = regex.compile(_STAMP)
_PHONE = regex.compile(r"\+?\d[\d \-()\u00a0\u202f]{5,20}\d")
# The name without the marks around it: `~ `, narrow spaces, emoji after it.
# A nickname in brackets after it is part of it (KakaoTalk: `최성현(Liel)`).
_NAME = regex.compile(
    r"(?:[\p{L}\p{M}][\p{L}\p{M}\p{N}'’._\- ]*[\p{L}\p{M}\p{N}._]|[\p{L}\p{M}])(?:\([^()\r\n]{1,40}\))?"
)
_NO_TEXT = frozenset(
    [
        "<media omitted>",
        "image omitted",
        "video omitted",
        "audio omitted",
        "sticker omitted",
        "document omitted",
        "gif omitted",
        "this message was deleted",
        "you deleted this message",
        "null",
        # KakaoTalk writes what a message held instead of it, in English and in Korean.
        "emoticons",
        "photo",
        "video",
        "voice message",
        "this message has been deleted.",
        "이모티콘",
        "사진",
        "동영상",
        "음성메시지",
        "삭제된 메시지입니다.",
    ]
)
# A group's bot, by the name its owner gives it (`방장봇`, `Quiz Bot`, `QuizBot`): what it
# writes is the app's text, not a person's (the other rules still read it). Not `Abbot`,
# `Talbot`: a word of its own, or a capital B after a lower-case letter.
_BOT = regex.compile(r"(?:(?:^|[ _.-])(?:[Bb]ot|BOT)|\p{Ll}Bot|봇|ボット|机器人)$")
# The exporting user, as group events name them (`You were added`, `You added Ann`).
_SELF = frozenset({"You", "you", "Du", "Tú", "Vous", "Sie", "회원님"})
_CONTINUATION_LIMIT = 200  # lines one message may run on for
# A line a log writes (an ISO date, a time, a syslog stamp) ends the export: a ticket may
# paste a chat, then a log.
# The heading KakaoTalk writes where a new day (or a new hour) starts: a date and a time
# alone on their line (`2013년 3월 1일 오전 12:02`, `March 3, 2018, 12:52 AM`).
_DAY_LINE = regex.compile(
    rf"(?:\d{{4}}년[ ]\d{{1,2}}월[ ]\d{{1,2}}일[ ](?:오전|오후)[ ]\d{{1,2}}:\d{{2}}"
    rf"|{_MONTH}[ ]\d{{1,2}},[ ]\d{{4}},[ ]{_TIME}"
    rf"|\d{{4}}\.[ ]\d{{1,2}}\.[ ]\d{{1,2}}\.[ ](?:오전|오후)[ ]\d{{1,2}}:\d{{2}})"
    r"[ \t]*\r?"
)
_LOG_LINE = regex.compile(r"\d{4}-\d{2}-\d{2}[T ]|\d{2}:\d{2}:\d{2}|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}")
# Group events WhatsApp writes as a line of the member concerned: the members are named,
# the wording is the app's and stays.
_EVENT = regex.compile(
    r"[\u200e\u200f]?(?P<who>.+?) (?:joined using this group's invite link|left|joined|was removed"
    r"|changed their phone number(?: to a new number)?|changed this group's icon|deleted this group's icon"
    r"|changed the group description|created group \".*\"|changed the subject to \".*\""
    r"|joined this chatroom|left this chatroom|(?:님이[ ])?들어왔습니다|(?:님이[ ])?나갔습니다"
    r"|(?:added|removed) (?P<whom>.+?))\.?"
)


def _gate_hits(text: str, pos: int) -> list[int]:
    """Where a line that starts a message may be (see _GATE), in order."""
    hits = [hit.start() for hit in _GATE.finditer(text, pos)]
    if "전 " in text or "후 " in text:
        hits = sorted(set(hits).union(hit.start() for hit in _GATE_KOREAN.finditer(text, pos)))
    if "] " in text:
        hits = sorted(set(hits).union(hit.start() for hit in _GATE_BRACKET.finditer(text, pos)))
    return hits


class ChatExports:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self) -> None:
        self._continued = 0  # lines a message may still run on for (0: not in a message)
        self._bot = False  # the message being continued is a bot's

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        if self._continued:
            pos = self._continuation(text, 0, found)
        # Only the lines with a `, 10:15` (a date's comma, then a time) can start a message:
        # a search with a literal start costs well under a millisecond per MB.
        for at in _gate_hits(text, pos):
            line_start = text.rfind("\n", 0, at) + 1
            if line_start < pos:
                continue
            line = _LINE.match(text, line_start)
            if line is None:
                # A group event names its member without a colon after the name (Android:
                # `31/07/2020, 21:01 - Joy Kanyi created group "Wasanii"`).
                self._event_line(text, line_start, found)
                continue
            sender_start, sender_end = line.span("sender")
            sender = text[sender_start:sender_end].strip()
            if _BARE_BRACKET.match(text, line_start) and not _person_sender(sender):
                # `[19/06/2024 15:37:24] ` without WhatsApp's comma is a log's stamp as often
                # (`[25.02.2022 10:48:34] Hovor: ...`): only a sender that reads as a
                # person's full name or a number makes it a message.
                continue
            self._bot = _BOT.search(sender) is not None
            if sender not in _SELF and not self._bot:  # (KakaoTalk's own `회원님`)
                self._sender(text, sender_start, sender_end, found)
            start, end = line.span("text")
            event = _EVENT.fullmatch(text, start, end)
            if event is not None:
                self._members(text, event, found)
            elif end > start and not self._bot and text[start:end].strip().lower() not in _NO_TEXT:
                found.append(Finding(start, end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
            self._continued = _CONTINUATION_LIMIT
            pos = self._continuation(text, end + 1, found)
        return found

    def _event_line(self, text: str, line_start: int, found: list[Finding]) -> None:
        stamp = _DATED.match(text, line_start)
        if stamp is None:
            return
        end = text.find("\n", stamp.end())
        end = len(text) if end < 0 else end
        if text[end - 1 : end] == "\r":
            end -= 1
        event = _EVENT.fullmatch(text, stamp.end(), end)
        if event is not None:
            self._members(text, event, found, skip=_SELF)

    def _members(
        self, text: str, event: regex.Match[str], found: list[Finding], skip: frozenset[str] = frozenset()
    ) -> None:
        """The members a group event names (`who`, and `whom` of `added`), but `skip`."""
        for group in ("who", "whom"):
            who_start, who_end = event.span(group)
            if who_start >= 0 and text[who_start:who_end] not in skip:
                self._sender(text, who_start, who_end, found)

    def _continuation(self, text: str, pos: int, found: list[Finding]) -> int:
        """Lines after a message that start with no date continue it; returns where the
        next dated line (or the end of the block) is."""
        size = len(text)
        while pos < size and self._continued:
            newline = text.find("\n", pos)
            end = size if newline < 0 else newline
            if _DATED.match(text, pos):
                return pos
            if _LOG_LINE.match(text, pos) or _DAY_LINE.fullmatch(text, pos, end):
                # (a log line: the export ended; a day's heading: the message did)
                self._continued = 0
                return pos
            line_end = end - 1 if end > pos and text[end - 1] == "\r" else end
            if text[pos:line_end].strip() and not self._bot:
                found.append(Finding(pos, line_end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
            self._continued -= 1
            if newline < 0:
                return size
            pos = end + 1
        return pos

    @staticmethod
    def _sender(text: str, start: int, end: int, found: list[Finding]) -> None:
        phone = _PHONE.search(text, start, end)
        if phone is not None and len(digits_of(phone.group())) >= 7:
            found.append(Finding(phone.start(), phone.end(), Entity.PHONE_NUMBER, RULE_ID, PRIORITY))
            return
        name = _NAME.search(text, start, end)
        if name is not None:
            found.append(Finding(name.start(), name.end(), Entity.PERSON_NAME, RULE_ID, PRIORITY))
