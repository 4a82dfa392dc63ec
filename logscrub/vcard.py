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

import regex

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
_BEGIN = regex.compile(r"(?i)BEGIN:V(?:CARD|CALENDAR)")
_CN = regex.compile(r'(?i);CN=(?:"(?P<quoted>[^"\r\n]*)"|(?P<plain>[^;:\r\n]*))')
# Names: the whole value. N and ADR: their ';'-separated components (ADR: post office box,
# extended address, street; not the town, region or country).
_NAMES = frozenset(
    {"FN", "NICKNAME", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-MAIDENNAME", "SORT-STRING"}
)
_TEXT = frozenset({"NOTE", "X-NOTE"})
_CAL_TEXT = frozenset({"SUMMARY", "DESCRIPTION", "COMMENT", "LOCATION"})
_CAL_PEOPLE = frozenset({"ATTENDEE", "ORGANIZER", "CONTACT"})
_ADR_PARTS = (0, 1, 2, 5)  # post office box, extended address, street, postal code
_MIN_DIGITS = 7  # a number with fewer digits is a short code (074, 112, *111)


class VCards:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self, disabled: frozenset[str] = frozenset()) -> None:
        self._disabled = disabled  # rule ids the policy switched off
        self._inside: str | None = None  # "VCARD" or "VCALENDAR"
        self._folding: tuple[Entity, str] | None = None  # what a folded line continues

    def findings(self, text: str) -> list[Finding]:
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
            self._line(text, pos, line_end, found)
            pos = end + 1
        if self._disabled:
            return [f for f in found if f.rule_id not in self._disabled]
        return found

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        line = text[start:end]
        upper = line[:16].upper()
        if upper.startswith("BEGIN:VCARD") or upper.startswith("BEGIN:VCALENDAR"):
            self._inside, self._folding = upper[6:].strip(), None
            return
        if self._inside is None:
            return
        if upper.startswith("END:VCARD") or upper.startswith("END:VCALENDAR"):
            self._inside = self._folding = None
            return
        if line[:1] in (" ", "\t"):
            if self._folding is not None and line.strip():
                entity, rule_id = self._folding
                found.append(Finding(start + 1, end, entity, rule_id, PRIORITY))
            return
        self._folding = None
        match = _PROPERTY.match(line)
        if match is None:
            return
        name = match["name"].upper()
        value_start = start + match.end()
        if value_start >= end:
            return
        if self._inside == "VCARD":
            self._card_property(text, name, value_start, end, found)
        else:
            self._calendar_property(text, name, match["params"], start, value_start, end, found)

    def _card_property(self, text: str, name: str, start: int, end: int, found: list[Finding]) -> None:
        if name in _NAMES or name == "N":
            if _is_service(text, end):
                return
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
        elif name in ("LABEL", "GEO"):
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
            cn = _CN.search(params)
            if cn is not None:
                group = "quoted" if cn.start("quoted") >= 0 else "plain"
                offset = line_start + len(text[line_start:start]) - len(params) - 1
                s, e = cn.span(group)
                if e > s:
                    found.append(Finding(offset + s, offset + e, Entity.PERSON_NAME, "ical.person", PRIORITY))
            # The address after `mailto:` is an email: the email rules find it.
        elif name in _CAL_TEXT:
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
            numbers.append(sum(ch.isdigit() for ch in line[match.end() :]))
    return bool(numbers) and max(numbers) < _MIN_DIGITS
