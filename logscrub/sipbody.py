"""SIP MESSAGE and MSRP SEND bodies: the chat text after the headers and the blank line.

No pattern can tell a line of chat from any other line of a log; the SIP message around it
can. This tracker follows each `MESSAGE sip:... SIP/2.0` and `MSRP <id> SEND` request through its headers
(also behind a per-line log prefix such as logcat's, and across block boundaries) and
reports its text body as MESSAGE_BODY: `text/plain` (also when no Content-Type is given)
and the text part of `message/cpim`. Other content types (XML, JSON) are left to the
ordinary rules. The body ends at Content-Length, at a line that starts something else (a
separator, a new SIP message, a new log entry) or at a bound; the state per stream is a
handful of numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import regex

from .model import Entity, Finding

RULE_ID = "sip.message_body"
PRIORITY = 90
_MAX_HEADER_LINES = 64
_MAX_BODY_LINES = 256
_MAX_BODY_BYTES = 64 * 1024

# A SIP MESSAGE request, or an MSRP SEND (RFC 4975: the chat of RCS and IMS sessions; its
# body ends at the `-------<transaction>$` end line).
_START = regex.compile(
    r"\bMESSAGE (?:sips?|tel):[^\s]+ SIP/2\.0(?=\r?$)|\bMSRP [\w.+-]{1,64} SEND(?=\r?$)", regex.MULTILINE
)
_HEADER = regex.compile(r"(?P<name>[A-Za-z][\w.!%*+`'~-]*)[ \t]*:[ \t]*(?P<value>.*?)\r?$")
_END_OF_BODY = regex.compile(
    r"-{3,}|={3,}|--end msg--|(?:SIP/2\.0 \d{3}|[A-Z]+ (?:sips?|tel):\S+ SIP/2\.0)"
    r"|\d{2,4}[-/.]\d{2}[-/.]\d{2,4}[ T]\d{2}:\d{2}|\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
    r"|\[?\d{2}:\d{2}:\d{2}[.,:]\d{3}"
)
_DIGIT = regex.compile(r"\d")


@dataclass
class _Message:
    prefix: str  # the log prefix of the start line, digits masked ("" when bare)
    in_body: bool = False
    textual: bool = True  # text/plain or message/cpim (or no Content-Type)
    cpim: bool = False
    cpim_text: bool = False  # inside the text part of a message/cpim body
    remaining: int = _MAX_BODY_BYTES
    lines: int = 0


class SipBodies:
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self) -> None:
        self._open: _Message | None = None

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        if self._open is not None:
            pos = self._follow(text, 0, found)
        while True:
            match = _START.search(text, pos)
            if match is None:
                return found
            line_start = text.rfind("\n", 0, match.start()) + 1
            self._open = _Message(_mask(text[line_start : match.start()]))
            line_end = text.find("\n", match.end())
            if line_end < 0:
                return found  # the start line ends the block: headers follow in the next one
            pos = self._follow(text, line_end + 1, found)

    def _follow(self, text: str, pos: int, found: list[Finding]) -> int:
        """Advance the open message over the lines from `pos`; returns where it stopped
        (the end of the block, or the start of the line that ended the message)."""
        message = self._open
        assert message is not None
        size = len(text)
        while pos < size and message is not None:
            newline = text.find("\n", pos)
            end = size if newline < 0 else newline
            prefix = _prefix_length(text, pos, end, message.prefix)
            if message.prefix and not prefix:
                message = None  # a line without the message's log prefix: another entry
                break
            content_start = pos + prefix
            content = text[content_start:end]
            if content.endswith("\r"):
                content = content[:-1]
            if not message.in_body:
                if not self._header(message, content):
                    message = None
                    break
            elif not self._body_line(message, content, content_start, found):
                message = None
                break
            pos = end + 1
        self._open = message
        return min(pos, size) if message is not None else pos

    @staticmethod
    def _header(message: _Message, content: str) -> bool:
        """Take one header line; False when the message ends here."""
        message.lines += 1
        if not content.strip():
            message.in_body = True
            message.lines = 0
            return message.textual
        if content[:1] in " \t":
            return True  # a folded header line
        header = _HEADER.match(content)
        if header is None or message.lines > _MAX_HEADER_LINES:
            return False
        name, value = header["name"].lower(), header["value"].lower()
        if name in ("content-type", "c"):
            media = value.split(";", 1)[0].strip()
            message.cpim = media == "message/cpim"
            message.textual = media.startswith("text/") or message.cpim
        elif name in ("content-length", "l") and value.strip().isdigit():
            message.remaining = min(int(value), _MAX_BODY_BYTES)
        return True

    @staticmethod
    def _body_line(message: _Message, content: str, start: int, found: list[Finding]) -> bool:
        """Take one body line; False when the message ended before it."""
        if message.remaining <= 0 or message.lines >= _MAX_BODY_LINES or _END_OF_BODY.match(content):
            return False
        message.lines += 1
        message.remaining -= len(content.encode("utf-8", "surrogateescape")) + 2  # CRLF on the wire
        if message.cpim and not message.cpim_text:
            # CPIM and MIME headers, then a blank line, then the text.
            if content.strip() and _HEADER.match(content) is None:
                message.cpim_text = True
            else:
                return True
        stripped = content.rstrip()
        lead = len(content) - len(content.lstrip())
        if stripped.strip():
            found.append(Finding(start + lead, start + len(stripped), Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
        return True


def _mask(prefix: str) -> str:
    return str(_DIGIT.sub("0", prefix))


def _prefix_length(text: str, start: int, end: int, prefix: str) -> int:
    """Length of the log prefix on this line when it has the start line's shape (digits
    may differ: timestamps), else 0."""
    n = len(prefix)
    if n == 0 or end - start < n:
        return 0
    return n if _mask(text[start : start + n]) == prefix else 0


STANZA_RULE_ID = "xmpp.body"
# The `<body>` of an XMPP `<message>` stanza, which may run over several lines.
_STANZA_BODY = regex.compile(
    r"<message\b[^<>]{0,1024}>(?:(?!</message>)[^\r\n]){0,1024}?<body(?:[ \t][^<>]{0,256})?>"
)


class StanzaBodies:
    """Per-stream tracker of XMPP message bodies (RFC 6120/6121): the text of `<body>` up to
    `</body>`, also when the body spans lines (a JSON payload, a pasted paragraph)."""

    def __init__(self) -> None:
        self._lines: int | None = None  # lines of the open body so far (None: none open)

    def findings(self, text: str, positions: Mapping[str, list[int]] | None = None) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        size = len(text)
        while pos < size:
            if self._lines is None:
                match = _STANZA_BODY.search(text, pos)
                if match is None:
                    break
                pos, self._lines = match.end(), 0
            newline = text.find("\n", pos)
            line_end = size if newline < 0 else newline
            close = text.find("</body>", pos, line_end)
            stop = close if close >= 0 else line_end
            if stop > pos and text[stop - 1] == "\r":
                stop -= 1
            start = pos
            while start < stop and text[start] in " \t":
                start += 1
            if stop > start:
                found.append(Finding(start, stop, Entity.MESSAGE_BODY, STANZA_RULE_ID, PRIORITY))
            if close >= 0:
                self._lines, pos = None, close + len("</body>")
                continue
            self._lines += 1
            if self._lines >= _MAX_BODY_LINES:
                self._lines = None  # no end in sight: not a body after all
            pos = line_end + 1
        return found
