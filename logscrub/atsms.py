"""SMS in text mode in a modem's AT console (3GPP TS 27.005, `AT+CMGF=1`).

A user who reports an SMS problem with a cellular modem (SIMCom, Quectel, u-blox, an
Arduino GSM shield, gammu's or ModemManager's debug output) pastes the AT session. In text
mode the modem writes a message as a header line that names the other party, then the text
on the following line(s):

    +CMGR: "REC UNREAD","+34600000000","","25/04/27,13:44:52+8"
    see you at eight
    OK
    +CMGL: 1,"REC READ","+85291234567","Jane Roe","07/05/01,08:00:15+32",145,16
    two lines,
    of text
    +CMT: "+79000000000","","15/09/23,01:34:03+24"
    Test

and a message being sent is the command with the recipient, then the text after the `> `
prompt (`AT+CMGS="+4917..."`, `> Hello^Z`). The header is the positive evidence: its
first fields (a quoted status, the address, the phonebook name, a time stamp) are what
tells a text-mode message from anything else that follows `+CMGR:` (PDU mode writes a
number there, and its hex is sms.pdu's). What is found: the text (MESSAGE_BODY), the
address when it is a number longer than a short code (PHONE_NUMBER), and the phonebook
name when it has letters (PERSON_NAME). What stays: the status, the time stamp, the
lengths, `OK`, the commands, an alphanumeric sender id (a bank's, a carrier's).

Logs put their own prefix before each line (`12:00:01 RX: `, gammu's `2 "`): a body line
that starts with the header's prefix (digits may differ) is read after it; a closing quote
that matches one ending the prefix is not the text's. Serial dumps that print a reply as
one line with escaped line ends (`+CMGR: ...\\r\\nHello\\r\\n\\r\\nOK`) are read too.
"""

from __future__ import annotations

import regex

from .linetracker import LineTracker
from .model import Entity, Finding

RULE_ID = "sms.modem_text"
PRIORITY = 88  # the text goes whole, as a message body does
_PHONE_PRIORITY = 85

_STATUS = r'"(?:REC[ ]UNREAD|REC[ ]READ|STO[ ]UNSENT|STO[ ]SENT|ALL)"'
# The address, quoted (a modem may drop one quote: `+CMGL:1,"REC READ",+4366306800",,`).
_ADDRESS = r'"?(?P<address>[^",\r\n]{0,40})"?'
_ALPHA = r'(?:"(?P<alpha>[^"\r\n]{0,60})"|[^",\r\n]{0,10})'
_STAMP = r'"\d{2,4}/\d{1,2}/\d{1,2}'
_READ = regex.compile(
    r"\+(?:CMGRD?|CMGL)[ ]?:[ ]?(?:\d{1,5}[ ]?,[ ]?)?"
    + _STATUS
    + r"[ ]?,[ ]?"
    + _ADDRESS
    + r"(?:[ ]?,[ ]?"
    + _ALPHA
    + r")?",
    regex.IGNORECASE,
)
_DELIVER = regex.compile(
    r"\+CMT[ ]?:[ ]?" + _ADDRESS + r"[ ]?,[ ]?" + _ALPHA + r"[ ]?,[ ]?(?=" + _STAMP + ")",
    regex.IGNORECASE,
)
_SEND = regex.compile(r'AT\+CMG[SW]=[ ]?"(?P<address>[^"\r\n]{1,40})"', regex.IGNORECASE)
# (Letters as classes, not IGNORECASE: twice as fast over a block with no modem in it.)
# Starts with a literal, which the regex engine jumps between; an alternation that began
# with `[Aa]` was tried at every letter A of a log (a tenth of a second per 10 MB).
_HINT = regex.compile(
    r"\+(?:(?P<response>[Cc][Mm](?:[Gg][Rr][Dd]?|[Gg][Ll]|[Tt])[ ]?:)|(?<=[Aa][Tt]\+)[Cc][Mm][Gg][SsWw]=)"
)
# What ends a message's text: the final result, a command, another response, the escaped
# line end of a one-line dump.
# (Case matters: a text may well be "ok" or start "at the station".)
_END = regex.compile(
    r"OK|ERROR|\+CM[SE][ ]ERROR\b.*|(?:AT|at)(?:[+&#$%^*\\]\S*|[A-Z&]{0,2}\d*;?)"
    r"|\+[A-Z]{2,}[ ]?:.*|\^[A-Z]{3,}[ ]?:.*"
)
_PROMPT = regex.compile(r"[ ]*>[ ]?")
# How consoles write the Ctrl-Z that sends the text.
_CTRL_Z = regex.compile(r"\x1a|\^Z|<(?i:ctrl)[-+ ]?[Zz]>|\\x1[aA]|\\u001[aA]")
_ESCAPED_EOL = regex.compile(r"(?:\\r)?\\n|\\r")
_DIGIT = str.maketrans("0123456789", "0000000000")
# A header's last field, when the modem shows text-mode parameters (`AT+CSDH=1`), is the
# text's length: it says whether the text runs on to another line.
_LENGTH = regex.compile(r",[ ]?(?P<length>\d{1,4})[ ]?\Z")
_BODY_LINES = 5  # lines one read message may run on for (a text with line breaks)
_SEND_LINES = 3  # lines between the command and the prompt's text
_MIN_PHONE_DIGITS = 7  # shorter: a short code, a service's


class ModemTextSms(LineTracker):
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._sending = False  # waiting for the `> ` prompt's text, not a read message
        self._lines_left = 0  # lines the text may still run on for
        self._prefix = ""  # the header line's own prefix, digits as 0
        self._quote = ""  # a quote that opens the prefix's value, closing the line
        self._read_any = False  # a body line was read for the last header
        self._blank_seen = False  # one blank line before the text is a console's echo
        self._length = -1  # characters of text still to come, when the header said

    def _next_start(self, text: str, pos: int) -> int:
        hint = _HINT.search(text, pos)
        return -1 if hint is None else text.rfind("\n", 0, hint.start()) + 1

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        line_end = end - 1 if text[end - 1 : end] == "\r" else end
        if self._header(text, start, line_end, found):
            return
        if not self._inside:
            return
        body_start = self._after_prefix(text, start, line_end)
        if body_start < 0:
            self._inside = False  # the log goes on with lines of its own
            return
        body_end = line_end
        if self._quote and text[body_start:body_end].endswith(self._quote):
            body_end -= len(self._quote)
        content = text[body_start:body_end]
        if not content.strip():
            if self._sending:
                self._lines_left -= 1
                self._inside = self._lines_left > 0
            elif self._read_any or self._blank_seen:
                self._inside = False  # the text ended, or never came
            else:
                self._blank_seen = True
            return
        if self._sending:
            prompt = _PROMPT.match(content)
            if prompt is not None:
                self._text(body_start + prompt.end(), body_end, text, found)
                self._lines_left = _SEND_LINES
                return
            self._lines_left -= 1
            self._inside = self._lines_left > 0 and _END.fullmatch(content.strip()) is None
            return
        if _END.fullmatch(content.strip()) is not None:
            self._inside = False
            return
        self._text(body_start, body_end, text, found)
        self._read_any = True
        self._lines_left -= 1
        if self._length >= 0:
            self._length -= len(content) + 1  # the line break is the text's too
            self._lines_left = min(self._lines_left, 1 if self._length > 0 else 0)
        self._inside = self._lines_left > 0

    def _header(self, text: str, start: int, end: int, found: list[Finding]) -> bool:
        """Read a header or a send command on this line; True when the line was one."""
        hint = _HINT.search(text, start, end)
        if hint is None:
            return False
        # A response's header starts at its `+`, a command at its `AT`.
        at = hint.start() if hint.group("response") is not None else hint.start() - 2
        read = _READ.match(text, at, end) or _DELIVER.match(text, at, end)
        send = None if read is not None else _SEND.match(text, at, end)
        header = read or send
        if header is None:
            self._inside = False  # PDU mode, a listing's count, a command's echo
            return True
        self._address(header, found)
        alpha_start, alpha_end = header.span("alpha") if read is not None else (-1, -1)
        if alpha_start >= 0 and any(c.isalpha() for c in text[alpha_start:alpha_end]):
            found.append(Finding(alpha_start, alpha_end, Entity.PERSON_NAME, RULE_ID, PRIORITY))
        prefix = text[start:at]
        self._prefix = prefix.translate(_DIGIT)
        stripped = prefix.rstrip()
        self._quote = stripped[-1] if stripped[-1:] in ("'", '"') else ""
        self._sending = send is not None
        # An unsolicited `+CMT:` is one line unless its length says more: the log goes on
        # with the program's own lines, not with the modem's final result.
        deliver = read is not None and read.re is _DELIVER
        self._lines_left = _SEND_LINES if self._sending else 1 if deliver else _BODY_LINES
        length = _LENGTH.search(text, header.end(), end) if read is not None else None
        self._length = -1 if length is None else int(length.group("length"))
        if self._length > 0:
            self._lines_left = _BODY_LINES
        self._read_any = self._blank_seen = False
        self._inside = True
        if read is not None:
            self._escaped_body(text, header.end(), end, found)
        return True

    def _address(self, header: regex.Match[str], found: list[Finding]) -> None:
        start = header.start("address")
        value = header.group("address").strip()
        digits = value[1:] if value.startswith("+") else value
        if digits.isdigit() and len(digits) >= _MIN_PHONE_DIGITS:
            offset = header.group("address").find(value)
            found.append(
                Finding(
                    start + offset, start + offset + len(value), Entity.PHONE_NUMBER, RULE_ID, _PHONE_PRIORITY
                )
            )

    def _escaped_body(self, text: str, pos: int, end: int, found: list[Finding]) -> None:
        """A reply dumped on one line with its line ends escaped: the text is the first
        piece after the header's that is not empty and not the final result."""
        first = _ESCAPED_EOL.search(text, pos, end)
        if first is None:
            return
        piece_start = first.end()
        while piece_start < end:
            eol = _ESCAPED_EOL.search(text, piece_start, end)
            piece_end = end if eol is None else eol.start()
            piece = text[piece_start:piece_end]
            if piece.strip(" '\""):
                if _END.fullmatch(piece.strip(" '\"")) is None:
                    self._text(piece_start, piece_end, text, found)
                    self._inside = False  # the reply was whole on this line
                return
            if eol is None:
                return
            piece_start = eol.end()

    def _after_prefix(self, text: str, start: int, end: int) -> int:
        """Where a body line's own text starts, or -1 when the line is not the message's:
        after the header's prefix when the line has it; the whole line when the header had
        none, or for the first line (a console that prints the reply after a label)."""
        size = len(self._prefix)
        if size and text[start : start + size].translate(_DIGIT) == self._prefix:
            return start + size
        if not size or not (self._read_any or self._sending):
            return start
        return -1

    @staticmethod
    def _text(start: int, end: int, text: str, found: list[Finding]) -> None:
        for stop in (_CTRL_Z.search(text, start, end), _ESCAPED_EOL.search(text, start, end)):
            if stop is not None:
                end = min(end, stop.start())
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end > start:
            found.append(Finding(start, end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
