"""WebSocket frames (RFC 6455) in a TCP stream, as a same-length view for scanning.

SIP over WebSocket (RFC 7118, WebRTC softphones) sends each SIP message in a frame; a
browser masks what it sends by XOR with a 4-byte key per frame. The view of the stream
has each frame header replaced by newlines and each payload unmasked, so the rules see
the SIP text at line starts; `wire` turns a scrubbed view back into frames: headers as
they were, payloads masked again with their own keys. Replacements never cover a
newline, so the headers are never touched.
"""

from __future__ import annotations

import regex

_UPGRADE = regex.compile(rb"(?im)^upgrade[ \t]*:[ \t]*websocket[ \t]*\r?$")


def is_upgrade(headers: bytes | bytearray) -> bool:
    """True for an HTTP header block that switches its direction to WebSocket."""
    return _UPGRADE.search(headers) is not None


class WebSocketView:
    """The frames of one direction, fed in order; remembers how to undo its view."""

    def __init__(self) -> None:
        self._header = bytearray()  # the frame header read so far
        self._need = 2  # header bytes needed before the payload can start
        self._remaining = 0  # payload bytes left in the current frame
        self._key = b""
        self._offset = 0  # position in the current payload (for the mask)
        self.frame_ended = False  # the last byte fed ended a frame
        # For the bytes viewed but not yet turned back: mask byte per position, and which
        # positions were header bytes (with their original values).
        self._keys = bytearray()
        self._headers: list[tuple[int, int]] = []  # (position, original byte)
        self._base = 0  # stream position of _keys[0]

    def view(self, data: bytes) -> bytes:
        out = bytearray(data)
        keys = bytearray(len(data))
        position = self._base + len(self._keys)
        for i, byte in enumerate(data):
            if self._remaining == 0:
                self._header.append(byte)
                self._headers.append((position + i, byte))
                out[i] = 0x0A
                self._parse_header()
                self.frame_ended = False
                continue
            if self._key:
                mask = self._key[self._offset & 3]
                keys[i] = mask
                out[i] = byte ^ mask
            self._offset += 1
            self._remaining -= 1
            self.frame_ended = self._remaining == 0
        self._keys += keys
        return bytes(out)

    def _parse_header(self) -> None:
        header = self._header
        if len(header) == 2:
            size = header[1] & 0x7F
            self._need = 2 + (2 if size == 126 else 8 if size == 127 else 0) + (4 if header[1] & 0x80 else 0)
        if len(header) < self._need:
            return
        size = header[1] & 0x7F
        at = 2
        if size == 126:
            size, at = int.from_bytes(header[2:4], "big"), 4
        elif size == 127:
            size, at = int.from_bytes(header[2:10], "big"), 10
        self._key = bytes(header[at : at + 4]) if header[1] & 0x80 else b""
        self._remaining = size
        self._offset = 0
        self._header = bytearray()
        self._need = 2
        self.frame_ended = size == 0

    def wire(self, clean: bytes) -> bytes:
        """The next len(clean) bytes of the scrubbed view, as frames again."""
        count = len(clean)
        keys = bytes(self._keys[:count])
        del self._keys[:count]
        value = int.from_bytes(clean, "big") ^ int.from_bytes(keys, "big")
        out = bytearray(value.to_bytes(count, "big"))
        end = self._base + count
        headers = self._headers
        taken = 0
        for position, byte in headers:
            if position >= end:
                break
            out[position - self._base] = byte
            taken += 1
        del headers[:taken]
        self._base = end
        return bytes(out)
