"""A text input's encoding, told by its bytes: UTF-8 (the default), or UTF-16 / UTF-32 in
either byte order, with a byte-order mark or without one (Windows apps write UTF-16LE logs,
usually with a BOM). Scanning such a log as UTF-8 bytes would see no value at all.

The text is decoded, scanned and written back in its own encoding; the BOM is a character
of the text (U+FEFF) and is written back with it. Bytes that do not decode (a lone
surrogate, a byte left over at the end) become escape characters that encode back to
exactly those bytes, as `surrogateescape` does for UTF-8: the output is byte-faithful
outside replaced spans whatever the input holds (a log that itself holds characters of
U+F0000-U+F00FF, a private use range, would have them written as single bytes).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import BinaryIO

from .streams import rejoined

_HEAD = 512
_ESCAPES = "logscrub-raw-bytes"
# An undecodable byte b of a wide encoding is read as the character U+F0000+b (the start of
# a private use plane no log writes), written back as the byte b. (Surrogate escapes, as
# UTF-8's `surrogateescape` uses, cannot stand for bytes below 0x80, which a lone UTF-16
# surrogate or an odd last byte holds.)
_BYTE_BASE = 0xF0000
_ESCAPED = re.compile("[\U000f0000-\U000f00ff]+")


def _raw_bytes(error: UnicodeError) -> tuple[str, int]:
    if isinstance(error, UnicodeDecodeError):
        bad = error.object[error.start : error.end]
        return "".join(chr(_BYTE_BASE + b) for b in bad), error.end
    raise error


codecs.register_error(_ESCAPES, _raw_bytes)


@dataclass(frozen=True)
class TextEncoding:
    codec: str  # a Python codec name without a BOM of its own: utf-8, utf-16-le, ...

    @property
    def wide(self) -> bool:
        """Two or four bytes a character: NUL bytes are text, not a sign of binary data."""
        return self.codec != "utf-8"

    @property
    def errors(self) -> str:
        return "surrogateescape" if self.codec == "utf-8" else _ESCAPES

    def decoder(self) -> codecs.IncrementalDecoder:
        return codecs.getincrementaldecoder(self.codec)(errors=self.errors)

    def encode(self, text: str) -> bytes:
        if self.codec == "utf-8":
            return text.encode("utf-8", "surrogateescape")
        if _ESCAPED.search(text) is None:
            return text.encode(self.codec)
        pieces: list[bytes] = []
        last = 0
        for run in _ESCAPED.finditer(text):
            pieces.append(text[last : run.start()].encode(self.codec))
            pieces.append(bytes(ord(ch) - _BYTE_BASE for ch in run.group()))
            last = run.end()
        pieces.append(text[last:].encode(self.codec))
        return b"".join(pieces)

    @property
    def newline(self) -> bytes:
        return "\n".encode(self.codec)


UTF8 = TextEncoding("utf-8")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect(head: bytes) -> TextEncoding:
    """The encoding of a text whose first bytes are `head`: by its BOM, else by where its
    NUL bytes fall (ASCII text in UTF-16LE has a NUL at every odd offset)."""
    for bom, codec in _BOMS:
        # A UTF-16 text (a log: digits, spaces, line ends) has NUL bytes; bytes FF FE before
        # ASCII text without any are garbage in front of UTF-8.
        if head.startswith(bom) and (len(bom) == 4 or b"\x00" in head[2:] or len(head) == 2):
            return TextEncoding(codec)
    size = len(head) - len(head) % 4
    if size < 16 or b"\x00" not in head[:size]:
        return UTF8
    sample = head[:size]
    lanes = [sample[i::4].count(0) * 4 / size for i in range(4)]  # NUL share per byte lane
    if lanes[1] > 0.9 and lanes[2] > 0.9 and lanes[3] > 0.9 and lanes[0] < 0.1:
        return TextEncoding("utf-32-le")
    if lanes[0] > 0.9 and lanes[1] > 0.9 and lanes[2] > 0.9 and lanes[3] < 0.1:
        return TextEncoding("utf-32-be")
    even, odd = (lanes[0] + lanes[2]) / 2, (lanes[1] + lanes[3]) / 2
    if odd > 0.9 and even < 0.1:
        return TextEncoding("utf-16-le")
    if even > 0.9 and odd < 0.1:
        return TextEncoding("utf-16-be")
    return UTF8


def detect_stream(src: BinaryIO) -> tuple[TextEncoding, BinaryIO]:
    """The encoding of the text `src` holds, and a stream that still starts at its first byte."""
    head = src.read(_HEAD)
    return detect(head), rejoined(head, src)
