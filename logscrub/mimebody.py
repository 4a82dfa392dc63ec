"""The text of a mail: the body of a MIME message's text parts (an `.eml` attached to a
ticket, a mail quoted whole in a report).

    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="----=_Part_1"

    ------=_Part_1
    Content-Type: text/plain; charset=iso-8859-1
    Content-Transfer-Encoding: quoted-printable

    Hallo Frau Roe,
    anbei die Dateien von heute morgen.
    ------=_Part_1--

Once a stream has shown a `MIME-Version:` header, a `Content-Type: text/...` header starts a
text part: its headers run to the first blank line, its body to the part's boundary (one
the stream declared with `boundary=`). A body outside a multipart message (no boundary
declared) ends at the first line that starts like a log line (a date or a time); any body
after _BODY_LINES lines: a mail quoted in a log must not take the log with it. Every non-blank
line of a body is what a person wrote, whatever its encoding (quoted-printable, base64,
HTML), and goes whole. The headers are the rules' (names, addresses, the subject).
"""

from __future__ import annotations

import regex

from .linetracker import LineTracker, blank_trimmed
from .model import Entity, Finding

RULE_ID = "mail.mime_body"
PRIORITY = 88  # the text goes whole, as a message body does
_MIME = regex.compile(r"(?i)mime-version:[ \t]*1\.0")
_TEXT_PART = regex.compile(r"(?i)content-type:[ \t]*text/[a-z-]+")
_BOUNDARY = regex.compile(r"""(?i)\bboundary=(?:"([^"\r\n]{1,200})"|([^\s;"']{1,200}))""")
# What a line between text parts must hold to matter: a boundary's declaration, a text part.
_PART_LINE = regex.compile(r"(?i)boundary=|content-type:[ \t]*text/")
# A line that starts like a log's (`2024-01-05 10:00:01`, `[05-Jan-2025 09:32:56`, `Jan  5
# 10:00:01`, `10:00:01.123`): the end of a mail quoted without a boundary.
_LOG_LINE = regex.compile(
    r"[ \t]*\[?(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d?[-/. ][A-Za-z]{3}[-/. ]\d{4}[ :]\d\d:\d\d"
    r"|[A-Z][a-z]{2}[ ]{1,2}\d\d?[ ]\d\d:\d\d:\d\d|\d\d:\d\d:\d\d)"
)
_BODY_LINES = 500  # lines a body without a boundary may run on for
_BOUNDARIES = 64  # boundaries remembered per stream


class MimeBodies(LineTracker):
    """Per-stream tracker; feed it each block of whole lines, in order. Lines are read one
    by one only inside a text part (its headers and body); between parts the next line
    that declares a boundary or starts a text part is found by one search of the block."""

    def __init__(self) -> None:
        super().__init__()
        self._mime = False  # the stream has shown MIME-Version
        self._boundaries: list[str] = []  # declared with boundary=, newest last
        self._headers = False  # reading a text part's headers
        self._body = False  # reading a text part's body

    def _next_start(self, text: str, pos: int) -> int:
        found = (_PART_LINE if self._mime else _MIME).search(text, pos)
        return -1 if found is None else text.rfind("\n", 0, found.start()) + 1

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        if not self._mime:
            self._mime = _MIME.search(text, start, end) is not None
        if self._body:
            self._body_line(text, start, end, found)
        else:
            boundary = _BOUNDARY.search(text, start, end)
            if boundary is not None and len(self._boundaries) < _BOUNDARIES:
                self._boundaries.append(boundary.group(1) or boundary.group(2))
            if _TEXT_PART.match(text, start, end):
                self._headers = True
            elif self._headers and not text[start:end].strip():
                self._headers, self._body, self._continued = False, True, _BODY_LINES
        self._inside = self._headers or self._body

    def _body_line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        line = text[start:end].rstrip("\r")
        if line.startswith("--") and any(line.rstrip() in (f"--{b}", f"--{b}--") for b in self._boundaries):
            self._body = False  # the part's end (and maybe the next part's start)
            return
        if self._continued <= 0 or (not self._boundaries and _LOG_LINE.match(line)):
            self._body = False
            return
        self._continued -= 1
        content_start, content_end = blank_trimmed(text, start, end)
        if content_end > content_start:
            found.append(Finding(content_start, content_end, Entity.MESSAGE_BODY, RULE_ID, PRIORITY))
