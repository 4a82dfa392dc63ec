"""RTP and RTCP: media blanked, headers kept; SDP tells which ports carry media.

Blanking keeps the RTP header (version, marker, payload type, sequence number, timestamp,
SSRC, CSRCs, header extensions) and the padding, so jitter, loss, one-way-audio and
codec analysis still work; the payload bytes (voice, video, DTMF digits) become codec
silence. SRTP payloads (SDP profile RTP/SAVP, RTP/SAVPF or DTLS-SRTP) are kept: they are
encrypted, and the keys in the SDP are scrubbed as credentials.

RTCP SDES items name people (CNAME is often user@host): they get same-length pseudonyms.
"""

from __future__ import annotations

import functools
import ipaddress
import struct

import regex

from ..model import Entity
from .addresses import FieldReplacer

# The byte a blanked payload is filled with: silence in G.711, zero elsewhere.
_SILENCE = {0: 0xFF, 8: 0xD5}
_RTCP_TYPES = range(192, 224)  # SR, RR, SDES, BYE, APP, RTPFB, PSFB, XR... (RFC 5761 range)
_SDES_ENTITIES = {
    1: Entity.USERNAME,  # CNAME
    2: Entity.PERSON_NAME,  # NAME
    3: Entity.EMAIL_ADDRESS,  # EMAIL
    4: Entity.PHONE_NUMBER,  # PHONE
    5: Entity.GEO_LOCATION,  # LOC
    7: Entity.MESSAGE_BODY,  # NOTE
    8: Entity.TOKEN,  # PRIV
}
_MEDIA_LIMIT = 1 << 16

_SDP_LINE = regex.compile(rb"(?m)^(?:c=IN IP([46]) ([0-9A-Fa-f.:]+)|m=\w+ (\d+)(?:/\d+)? (\S+))")


def looks_like_rtp(payload: bytes | memoryview) -> bool:
    """RTP or RTCP version 2 with a plausible payload type (text never starts with 0x80-0xBF)."""
    if len(payload) < 8 or payload[0] & 0xC0 != 0x80:
        return False
    kind = payload[1]
    return kind in _RTCP_TYPES or (len(payload) >= 12 and ((kind & 0x7F) < 35 or (kind & 0x7F) >= 96))


class MediaPorts:
    """(address, port) pairs that SDP in this capture announced, and whether their media is
    encrypted. Addresses are the original (binary) ones from before pseudonymisation."""

    def __init__(self) -> None:
        # address bytes + port (2 bytes, network order) -> encrypted
        self.ports: dict[bytes, bool] = {}

    def learn_sdp(self, text: bytes) -> bool:
        """Learn the media ports SDP in `text` announces; True when something changed."""
        if b"m=" not in text:
            return False
        changed = False
        address: bytes | None = None
        for match in _SDP_LINE.finditer(text):
            if match.group(1):
                try:
                    address = ipaddress.ip_address(match.group(2).decode()).packed
                except ValueError:
                    address = None
                continue
            if address is None:
                continue
            port = int(match.group(3))
            encrypted = b"SAVP" in match.group(4) or b"TLS" in match.group(4)
            if len(self.ports) >= _MEDIA_LIMIT:
                self.ports.clear()
            for key in (
                address + struct.pack("!H", port & 0xFFFF),
                address + struct.pack("!H", (port + 1) & 0xFFFF),
            ):
                # port + 1: RTCP, unless rtcp-mux
                if self.ports.get(key) is not encrypted:
                    self.ports[key] = encrypted
                    changed = True
        return changed

    def lookup(self, source: bytes, destination: bytes) -> bool | None:
        """None: not a media flow this capture announced; else whether it is encrypted.
        `source` and `destination`: address bytes followed by the port's two bytes."""
        ports = self.ports
        found = ports.get(destination)
        if found is None:
            found = ports.get(source)
        return found


def blank_rtp(payload: bytes) -> bytes:
    """The RTP packet with its payload replaced by silence (same length)."""
    size = len(payload)
    first = payload[0]
    if first == 0x80:  # no CSRCs, extension or padding: most RTP
        return payload[:12] + _fill(_SILENCE.get(payload[1] & 0x7F, 0), size - 12)
    header = 12 + 4 * (first & 0x0F)
    if first & 0x10 and size >= header + 4:
        (words,) = struct.unpack_from("!H", payload, header + 2)
        header += 4 + 4 * words
    end = size
    if first & 0x20 and size > header:
        end = max(header, size - payload[-1])  # padding stays: its last byte is its length
    if header >= end:
        return payload
    fill = _SILENCE.get(payload[1] & 0x7F, 0)
    return payload[:header] + bytes([fill]) * (end - header) + payload[end:]


@functools.cache
def _fill(byte: int, count: int) -> bytes:
    return bytes([byte]) * max(0, count)


def scrub_rtcp(payload: bytes, field: FieldReplacer) -> bytes:
    """A compound RTCP packet with every SDES item but TOOL pseudonymised (same length)."""
    out = bytearray(payload)
    pos = 0
    size = len(payload)
    while pos + 4 <= size:
        count = payload[pos] & 0x1F
        kind = payload[pos + 1]
        (words,) = struct.unpack_from("!H", payload, pos + 2)
        end = min(size, pos + 4 + 4 * words)
        if kind == 202:
            _scrub_sdes(payload, out, pos + 4, end, count, field)
        elif kind == 203 and end > pos + 4 + 4 * count:  # BYE with a reason text
            reason = pos + 4 + 4 * count
            _fill_item(out, reason + 1, min(end, reason + 1 + payload[reason]), Entity.MESSAGE_BODY, field)
        if words == 0 and end == pos + 4 and kind not in _RTCP_TYPES:
            break
        pos = end
    return bytes(out)


def _scrub_sdes(
    payload: bytes, out: bytearray, pos: int, end: int, chunks: int, field: FieldReplacer
) -> None:
    for _ in range(chunks):
        pos += 4  # SSRC / CSRC
        while pos < end:
            item = payload[pos]
            if item == 0:
                pos = (pos + 4) & ~3  # the chunk ends at the next 32-bit boundary
                break
            if pos + 2 > end:
                return
            length = payload[pos + 1]
            start, stop = pos + 2, min(end, pos + 2 + length)
            if item != 6:  # TOOL: the software's name, kept
                _fill_item(out, start, stop, _SDES_ENTITIES.get(item, Entity.TOKEN), field)
            pos = stop


def _fill_item(out: bytearray, start: int, stop: int, entity: Entity, field: FieldReplacer) -> None:
    if stop > start:
        out[start:stop] = field(entity, "capture.rtcp_sdes", bytes(out[start:stop]))
