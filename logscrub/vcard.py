"""vCard and iCalendar: contacts and calendars synced by softphones and UC clients.

Inside `BEGIN:VCARD` ... `END:VCARD` (and `BEGIN:VCALENDAR` ... `END:VCALENDAR`) every line
is a property `NAME;PARAM=...:value` (RFC 6350, RFC 5545), so the property name says what
the value is, whatever it looks like: `FN:dunno` is a name, `TEL;TYPE=CELL:(514) 808-7167` a
number, `N:Sarnicka;Klaudia;;;` a family and a given name. A line that starts with a blank
continues the one before (folding). A contact whose every number is a short code
(`TEL:074`, an emergency or information line) is a service, not a person: its name and
numbers stay. Outside a card or calendar nothing is judged here. The state per stream is
the open object and the property a folded line continues.
"""

from __future__ import annotations

import quopri
from collections.abc import Mapping

import regex

from .detectors.names import names_a_service
from .detectors.prose import is_common_word, is_proper_noun
from .model import Entity, Finding

RULE_IDS = (
    "vcard.name",
    "vcard.tel",
    "vcard.email",
    "vcard.address",
    "vcard.text",
    "ical.person",
    "ical.text",
)
PRIORITY = 84
_PROPERTY = regex.compile(r"(?:[A-Za-z0-9-]+\.)?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<params>(?:;[^:\r\n]*)?):")
# What may stand before a card's lines: blanks, or blanks and a quote (source code); and
# the end of such a quoted line (`FN:John Doe\r\n' +`).
_MARGIN = regex.compile(r"[ \t]*['\"`]?")
_QUOTED_END = regex.compile(r"(?:\\r)?(?:\\n)?['\"`][ \t]*[+,;]?[ \t]*$")
# A card, a calendar, or a calendar's component on its own (an excerpt, a CalDAV PUT body).
_BEGIN = regex.compile(r"(?i)BEGIN:V(?:CARD|CALENDAR|EVENT|TODO|JOURNAL)")
_CN = regex.compile(r'(?i);CN=(?:"(?P<quoted>[^"\r\n]*)"|(?P<plain>[^;:\r\n]*))')
# RFC 7986's EMAIL parameter of an attendee (`ATTENDEE;CN=...;EMAIL=ann@...:/...`),
# judged unfolded as the CN is: a folded line cuts an address anywhere.
_EMAIL_PARAM = regex.compile(r'(?i);EMAIL=(?:"(?P<quoted>[^"\r\n]*)"|(?P<plain>[^;:\r\n]*))')
# An attendee named by their calendar principal instead of `mailto:` (iCloud writes
# `:/<account id>/principal/`, CalDAV servers `/principals/users/<login>/`): the account.
_PRINCIPAL = regex.compile(
    r"(?i)(?:[^/\s]*//[^/\s]+)?/(?:(?P<id>[^/\s:;]{4,200})/principal|principals/(?:users/)?(?P<user>[^/\s]{1,200}))/?"
)
# Names: the whole value. N and ADR: their ';'-separated components (ADR: post office box,
# extended address, street; not the town, region or country).
# (RELATED and Apple's X-ABRELATEDNAMES: a spouse's, a child's, an assistant's name.)
_NAMES = frozenset(
    {
        *("FN", "NICKNAME", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-MAIDENNAME"),
        *("SORT-STRING", "X-ABRELATEDNAMES", "X-ASSISTANT", "X-MANAGER", "X-SPOUSE"),
    }
)
_TEXT = frozenset({"NOTE", "X-NOTE"})
_CAL_TEXT = frozenset({"SUMMARY", "DESCRIPTION", "COMMENT", "LOCATION"})
_GOOGLE_PROFILE = "@profile.calendar.google.com"
# A meeting held online names the service as its location, in the organiser's language
# (`Microsoft Teams Meeting`, `Reuniões do Microsoft Teams`, `Zoom`, `Google Meet`): no
# place of a person. A link or an address beside it is judged by its own rules.
_ONLINE_MEETING = regex.compile(
    r"(?i)[^;,\r\n]{0,40}\b(?:microsoft teams|skype(?: for business)?|zoom|google meet|hangouts meet"
    r"|webex|gotomeeting|jitsi|whereby|bluejeans)\b[^;,\r\n]{0,40}"
)
# A room's code as a building names it (`ON_2.22`, `B-204`, `3.14`, `HG 1.05`): letters of
# a wing or a building at most, and the floor and room numbers; no street, no name.
_ROOM_CODE = regex.compile(r"(?:[A-Za-z]{1,4}[ _.-]?)?\d{1,4}(?:[._-]\d{1,4}){0,2}[A-Za-z]?")
_CAL_PEOPLE = frozenset({"ATTENDEE", "ORGANIZER", "CONTACT"})
_ADR_PARTS = (0, 1, 2, 5)  # post office box, extended address, street, postal code
_MIN_DIGITS = 7  # a number with fewer digits is a short code (074, 112, *111)
# vCard 2.1 writes non-ASCII values quoted-printable (`N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:
# =45=6D=69=6C=79;;;`): the encoded text is the value, and a line ending in `=` goes on.
_QP_PARAM = regex.compile(r"(?i);(?:ENCODING=)?QUOTED-PRINTABLE\b")


class VCards:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self, disabled: frozenset[str] = frozenset()) -> None:
        self._disabled = disabled  # rule ids the policy switched off
        self._inside: str | None = None  # "VCARD" or "VCALENDAR"
        self._folding: tuple[Entity, str] | None = None  # what a folded line continues
        self._margin: str | None = ""  # the indent of the open card's lines (None: not known yet)
        self._closing = ""  # the line that closes the open object (`END:VEVENT` for a lone event)
        # What a quoted-printable value cut by a soft line break at a block's end is.
        self._soft: tuple[Entity, str] | None = None

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        size = len(text)
        while pos < size:
            if self._inside is None:
                # Most text holds no card: lines are read only from the next BEGIN on.
                begin = _BEGIN.search(text, pos)
                if begin is None:
                    break
                pos = text.rfind("\n", 0, begin.start()) + 1
            newline = text.find("\n", pos)
            end = size if newline < 0 else newline
            line_end = end - 1 if end > pos and text[end - 1] == "\r" else end
            last = self._line(text, pos, line_end, found)  # the end of the last line it read
            newline = text.find("\n", last)
            pos = size if newline < 0 else newline + 1
        if self._disabled:
            return [f for f in found if f.rule_id not in self._disabled]
        return found

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> int:
        """Read the line text[start:end] (and the lines that continue it); returns the end
        of the last line read."""
        line = text[start:end]
        begin = _BEGIN.search(line, 0, 16) if self._inside is not None else _BEGIN.search(line)
        if begin is not None:
            if self._inside is not None and self._inside != "VCARD":
                return end  # a component inside the open calendar
            # A card may sit inside a log line (`Couldn't parse vcard: BEGIN:VCARD`) with its
            # lines indented after it: the indent is the card's margin, not folding.
            kind = begin.group().upper()[6:]
            self._inside, self._folding = kind if kind == "VCARD" else "VCALENDAR", None
            self._closing = f"END:{kind}"
            prefix = line[: begin.start()]
            # Blanks, or blanks and a quote (a card in a string of source code): the margin.
            self._margin = prefix if _MARGIN.fullmatch(prefix) else None
            return end
        if self._inside is None:
            return end
        if self._margin is None:  # the first line after a BEGIN behind a log prefix
            self._margin = line[: len(line) - len(line.lstrip(" \t"))]
        if self._margin:
            if not line.startswith(self._margin):
                self._inside = self._folding = None  # the log went on: the card ended unclosed
                return end
            start += len(self._margin)
            line = line[len(self._margin) :]
        if self._margin and self._margin[-1] in "'\"`":
            quoted_end = _QUOTED_END.search(line)  # `FN:John Doe\r\n' +`: the value ends at the escape
            if quoted_end is not None:
                end -= len(line) - quoted_end.start()
                line = line[: quoted_end.start()]
        upper = line[:16].upper()
        if upper.startswith(self._closing):
            self._inside = self._folding = self._soft = None
            return end
        if self._soft is not None:
            # A quoted-printable value whose soft line break ended the previous block.
            entity, rule_id = self._soft
            self._soft = None
            if line.strip():
                found.append(Finding(start, end, entity, rule_id, PRIORITY))
                if line.endswith("=") and text[end:].strip("\r\n") == "":
                    self._soft = (entity, rule_id)
            return end
        if line[:1] in (" ", "\t"):
            # Continues a property whose start was in an earlier block: its kind is known.
            if self._folding is not None and line.strip():
                entity, rule_id = self._folding
                found.append(Finding(start + 1, end, entity, rule_id, PRIORITY))
            return end
        self._folding = None
        segments, last_end = self._unfold(text, start, end)
        if len(segments) == 1 and _QP_PARAM.search(line[: line.find(":") + 1]):
            segments, last_end = self._soft_breaks(text, start, end)
            if text[last_end - 1 : last_end] == "=" and text[last_end:].strip("\r\n") == "":
                # The value goes on in the next block: its next line is judged as this one.
                before = len(found)
                if len(segments) == 1:
                    self._property(text, start, end, found)
                    if len(found) > before and found[-1].end == last_end:
                        self._soft = (found[-1].entity, found[-1].rule_id)
                    return end
                self._map_folded(text, segments, found)
                if len(found) > before and found[-1].end == last_end:
                    self._soft = (found[-1].entity, found[-1].rule_id)
                return last_end
        if len(segments) == 1:
            self._property(text, start, end, found)
            return end
        self._map_folded(text, segments, found)
        return last_end

    def _map_folded(self, text: str, segments: list[tuple[int, int, int]], found: list[Finding]) -> None:
        # A folded property (RFC 6350 3.2, RFC 5545 3.1): judged unfolded, so a name or an
        # address cut anywhere (`CN=Ka` / ` rin Tran`) is still seen whole; each finding is
        # then mapped back onto the pieces of the lines it covers.
        logical = "".join(text[s:e] for s, e, _ in segments)
        unfolded: list[Finding] = []
        self._property(logical, 0, len(logical), unfolded)
        for finding in unfolded:
            for seg_start, seg_end, offset in segments:
                lo, hi = max(finding.start, offset), min(finding.end, offset + seg_end - seg_start)
                if hi > lo:
                    piece_start, piece_end = seg_start + lo - offset, seg_start + hi - offset
                    found.append(
                        Finding(piece_start, piece_end, finding.entity, finding.rule_id, finding.priority)
                    )

    def _unfold(self, text: str, start: int, end: int) -> tuple[list[tuple[int, int, int]], int]:
        """The pieces of the logical line that starts at text[start:end]: (start, end, offset
        in the unfolded line) for the line and each following line of this block that
        continues it (the margin, then one blank); and the end of the last of them."""
        segments = [(start, end, 0)]
        length = end - start
        margin = self._margin or ""
        pos = end
        size = len(text)
        while pos < size and text[pos] in "\r\n":
            following = _next_line(text, pos)
            if following is None:
                break
            next_start, next_end, pos = following
            piece = next_start + len(margin)
            if not text.startswith(margin, next_start) or piece >= next_end or text[piece] not in " \t":
                break
            segments.append((piece + 1, next_end, length))
            length += next_end - piece - 1
            end = next_end
        return segments, end

    def _soft_breaks(self, text: str, start: int, end: int) -> tuple[list[tuple[int, int, int]], int]:
        """The pieces of a quoted-printable value (vCard 2.1) continued by soft line breaks: a
        line that ends in `=` goes on at the start of the next one (RFC 2045 6.7), with no
        blank before it; each piece keeps its `=` so the encoded span is replaced whole."""
        segments = [(start, end, 0)]
        length = end - start
        margin = self._margin or ""
        size = len(text)
        while text[end - 1 : end] == "=" and end < size:
            following = _next_line(text, end)
            if following is None or not text.startswith(margin, following[0]):
                break
            next_start, next_end, _ = following
            piece = next_start + len(margin)
            if piece >= next_end or text[piece:next_end].upper().startswith(self._closing):
                break
            segments.append((piece, next_end, length))
            length += next_end - piece
            end = next_end
        return segments, end

    def _property(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        match = _PROPERTY.match(text, start, end)
        if match is None:
            return
        name = match["name"].upper()
        value_start = match.end()
        if value_start >= end:
            return
        if self._inside == "VCARD":
            self._card_property(text, name, match["params"], value_start, end, found)
        else:
            self._calendar_property(text, name, match["params"], start, value_start, end, found)

    def _card_property(
        self, text: str, name: str, params: str, start: int, end: int, found: list[Finding]
    ) -> None:
        if name in _NAMES or name == "N":
            if _is_service(text, end) or names_a_service(" ".join(text[start:end].split(";"))):
                return  # a service's card (short codes only, or `FN:Dialog Hotline`)
            if _QP_PARAM.search(params) and not any(ch.isalnum() for ch in _qp_decode(text[start:end])):
                return  # encoded separators or blanks only (`=20;;;`): no name in it
            if name == "N":
                _components(text, start, end, None, Entity.PERSON_NAME, "vcard.name", found)
            else:
                self._whole(text, start, end, Entity.PERSON_NAME, "vcard.name", found)
        elif name == "TEL":
            value_start = start + 4 if text[start : start + 4].lower() == "tel:" else start
            if sum(ch.isdigit() for ch in text[value_start:end]) >= _MIN_DIGITS:
                self._whole(text, value_start, end, Entity.PHONE_NUMBER, "vcard.tel", found)
        elif name == "EMAIL":
            self._whole(text, start, end, Entity.EMAIL_ADDRESS, "vcard.email", found)
        elif name == "ADR":
            _components(text, start, end, _ADR_PARTS, Entity.GEO_LOCATION, "vcard.address", found)
        elif name in ("LABEL", "GEO") or (name.startswith("X-") and "address" in params.lower()):
            self._whole(text, start, end, Entity.GEO_LOCATION, "vcard.address", found)
        elif name in _TEXT:
            self._whole(text, start, end, Entity.MESSAGE_BODY, "vcard.text", found)
        elif name == "IMPP":
            colon = text.find(":", start, end)
            self._whole(text, colon + 1 if colon >= 0 else start, end, Entity.USERNAME, "vcard.name", found)

    def _calendar_property(
        self, text: str, name: str, params: str, line_start: int, start: int, end: int, found: list[Finding]
    ) -> None:
        if name in _CAL_PEOPLE:
            offset = line_start + len(text[line_start:start]) - len(params) - 1
            for param in (_CN.search(params), _EMAIL_PARAM.search(params)):
                if param is None:
                    continue
                s, e = param.span("quoted" if param.start("quoted") >= 0 else "plain")
                at = params.find("@", s, e)
                if at < 0:
                    entity = Entity.PERSON_NAME
                elif params.startswith(_GOOGLE_PROFILE, at):
                    # A Google account without an address (`CN=1102...@profile.calendar.google.com`):
                    # the account's id, also in the profile URL after it.
                    entity, e = Entity.USERNAME, at
                else:
                    entity = Entity.EMAIL_ADDRESS  # an attendee named by an address
                if e > s:
                    found.append(Finding(offset + s, offset + e, entity, "ical.person", PRIORITY))
            # The address after `mailto:` (the email rules find it too, but not folded).
            if text[start : start + 7].lower() == "mailto:" and end > start + 7:
                found.append(Finding(start + 7, end, Entity.EMAIL_ADDRESS, "ical.person", PRIORITY))
            principal = _PRINCIPAL.fullmatch(text, start, end)
            if principal is not None:
                group = "id" if principal.start("id") >= 0 else "user"
                s, e = principal.span(group)
                found.append(Finding(s, e, Entity.USERNAME, "ical.person", PRIORITY))
        elif name in _CAL_TEXT:
            if name == "LOCATION" and (
                _ONLINE_MEETING.fullmatch(text, start, end) or _ROOM_CODE.fullmatch(text, start, end)
            ):
                return  # `LOCATION:Microsoft Teams Meeting`, `Zoom`, a room (`ON_2.22`)
            if name == "SUMMARY" and _common_words_only(text[start:end]):
                return  # `SUMMARY:Donate Blood`, `Real Time Systems`: nothing in it names anyone
            entity = Entity.GEO_LOCATION if name == "LOCATION" else Entity.MESSAGE_BODY
            self._whole(text, start, end, entity, "ical.text", found)

    def _whole(
        self, text: str, start: int, end: int, entity: Entity, rule_id: str, found: list[Finding]
    ) -> None:
        if text[start:end].strip():
            found.append(Finding(start, end, entity, rule_id, PRIORITY))
            self._folding = (entity, rule_id)


def _components(
    text: str,
    start: int,
    end: int,
    parts: tuple[int, ...] | None,
    entity: Entity,
    rule_id: str,
    found: list[Finding],
) -> None:
    """The ';'-separated components of a structured value (`parts`: which; None: all),
    each ','-separated item of one a finding of its own."""
    index = 0
    pos = start
    while pos <= end:
        semi = text.find(";", pos, end)
        stop = end if semi < 0 else semi
        if parts is None or index in parts:
            item = pos
            while item <= stop:
                comma = text.find(",", item, stop)
                item_end = stop if comma < 0 else comma
                if text[item:item_end].strip():
                    found.append(Finding(item, item_end, entity, rule_id, PRIORITY))
                item = item_end + 1
        index += 1
        pos = stop + 1


def _is_service(text: str, from_pos: int) -> bool:
    """Whether the card this line is in lists numbers and all of them are short codes
    (looked for up to the card's end within this block; beyond it: a person, fail closed)."""
    end = text.find("END:VCARD", from_pos)
    if end < 0:
        return False
    begin = text.rfind("BEGIN:VCARD", 0, from_pos)
    card = text[max(0, begin) : end]
    numbers = []
    for line in card.splitlines():
        match = _PROPERTY.match(line)
        if match is not None and match["name"].upper() == "TEL":
            value = line[match.end() :].strip()
            if value[:4].lower() == "tel:":
                value = value[4:]
            if not any(ch.isdigit() for ch in value):
                continue  # an empty number field (`TEL;CELL;PREF:`) says nothing either way
            if value.startswith("+"):
                # A number in international form is a subscriber's (a short code is dialled
                # as it is, never after a country code): `+111` is a shortened or masked one.
                return False
            numbers.append(sum(ch.isdigit() for ch in value))
    return bool(numbers) and max(numbers) < _MIN_DIGITS


def _qp_decode(value: str) -> str:
    """A quoted-printable value as text (`=41=6D=61` -> `Ama`), for judging what it holds;
    soft line breaks (`=` at a line's end) vanish."""
    raw = regex.sub(r"=\r?\n", "", value).encode("ascii", "replace")
    return quopri.decodestring(raw).decode("utf-8", "replace")


def _next_line(text: str, pos: int) -> tuple[int, int, int] | None:
    """The line after the one `pos` is in: (its start, its end before any `\\r`, where its
    newline is, or the text's end); None when there is none."""
    start = text.find("\n", pos) + 1
    if start == 0:
        return None
    newline = text.find("\n", start)
    end = len(text) if newline < 0 else newline
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end, (newline if newline >= 0 else len(text))


def _common_words_only(value: str) -> bool:
    """Words, every one of them a common English word (as key.title's `not_common_words`),
    none after the first a proper noun (`Lunch with Jane Roe` names someone; the first word
    of a title is capitalised anyway: `Real Time Systems`)."""
    words = _WORDS.findall(value)
    return (
        bool(words)
        and len(words) <= 8
        and all(is_common_word(word) for word in words)
        and not any(is_proper_noun(word) for word in words[1:])
    )


_WORDS = regex.compile(r"[A-Za-z]+")
