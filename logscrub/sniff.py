"""The one place an input's kind is told: by its first bytes, never by its name."""

from __future__ import annotations

from typing import BinaryIO, NamedTuple

from .capture.magic import capture_format
from .streams import rejoined

HEAD = 512  # bytes to read for `sniff` (a tar header's magic sits at 257)


class InputKind(NamedTuple):
    """Which reader an input needs: 'text', 'capture' or 'archive', and the format
    (pcap / pcapng; zip / tar / gzip / bzip2 / xz; None for text)."""

    reader: str
    format: str | None = None

    @property
    def is_text(self) -> bool:
        return self.reader == "text"


TEXT = InputKind("text")


def archive_format(head: bytes) -> str | None:
    """'zip', 'tar', 'gzip', 'bzip2', 'xz' or None, from the first 512 bytes."""
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:3] == b"BZh":
        return "bzip2"
    if head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    if head[257:262] == b"ustar":
        return "tar"
    return None


def sniff(head: bytes) -> InputKind:
    """The reader for an input whose first bytes (up to HEAD) are `head`."""
    fmt = capture_format(head[:12])
    if fmt is not None:
        return InputKind("capture", fmt)
    fmt = archive_format(head)
    if fmt is not None:
        return InputKind("archive", fmt)
    return TEXT


def sniff_stream(src: BinaryIO) -> tuple[InputKind, BinaryIO]:
    """The kind of the input `src` holds, and a stream that still starts at its first byte."""
    head = src.read(HEAD)
    return sniff(head), rejoined(head, src)
