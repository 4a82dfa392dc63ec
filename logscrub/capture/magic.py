"""Telling a capture from a log by its first bytes (cheap: no scapy import here)."""

from __future__ import annotations

PCAP_MAGICS = frozenset({b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1"})
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
PCAPNG_BYTE_ORDER = {b"\x1a\x2b\x3c\x4d": ">", b"\x4d\x3c\x2b\x1a": "<"}


def capture_format(head: bytes) -> str | None:
    """'pcap', 'pcapng' or None, from a file's first 12 bytes (never from its name)."""
    if head[:4] in PCAP_MAGICS:
        return "pcap"
    if head[:4] == PCAPNG_MAGIC and head[8:12] in PCAPNG_BYTE_ORDER:
        return "pcapng"
    return None
