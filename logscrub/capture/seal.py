"""Seals: a capture that scrub wrote says so, in a way `check` can verify.

A scrubbed capture's addresses, numbers and MACs keep their shape by design (Wireshark
must still follow the call), so nothing in a value tells a pseudonym from a real one.
What can be told is that the file is, byte for byte, what a logscrub run wrote. So scrub
writes a digest of the whole capture into it, where the format has room for one:

- pcapng: the run stamp comment of the first section ends in `; seal sha256:<64 hex>`
  (no key given) or `; seal hmac-sha256:<64 hex>` (keyed with the pseudonym key);
- classic pcap: the global header's two reserved fields (once `thiszone` and `sigfigs`;
  the format's description says writers should set them to 0 and readers must ignore
  them) hold the digest's first 8 bytes.

The digest covers every byte of the file with the seal's own bytes set to zero (`0`
characters in pcapng, zero bytes in pcap). A capture whose seal verifies is scrubbed
output: `check` passes it and `fix` leaves it alone. One changed afterwards (a packet
added, merged with another capture, rewritten by a tool) no longer verifies and is
checked as usual. A keyed seal verifies only with the same key: it proves who scrubbed;
an unkeyed one proves that the bytes are as a logscrub run wrote them. A seal needs a
seekable output (a file, not a pipe): the digest is known only at the end and written back.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Callable
from typing import BinaryIO, Protocol

import regex

from .magic import PCAPNG_BYTE_ORDER, PCAPNG_MAGIC

_PCAP_SEAL = slice(8, 16)
_HEX = 64
PLACEHOLDER_TAIL = "0" * _HEX
# The tail of a pcapng stamp comment; the placeholder is replaced by the digest.
_PCAPNG_SEAL = regex.compile(rb"; seal (hmac-sha256|sha256):([0-9a-f]{64})")
_CHUNK = 1 << 20
# The first block of a pcapng (its section header) is looked at up to this size.
_MAX_HEAD = 1 << 16


class _Writable(Protocol):
    def write(self, data: bytes | bytearray, /) -> int: ...


def digest_of(key: bytes | None) -> Callable[[], hmac.HMAC | hashlib._Hash]:
    """A maker of the seal's hash: SHA-256, or HMAC-SHA256 with a key derived from `key`."""
    if key is None:
        return hashlib.sha256
    sealing_key = hmac.new(key, b"logscrub seal v1", hashlib.sha256).digest()
    return lambda: hmac.new(sealing_key, digestmod=hashlib.sha256)


SEAL_SEPARATOR = "; seal "


def seal_kind(key: bytes | None) -> str:
    return "sha256" if key is None else "hmac-sha256"


def seal_comment(key: bytes | None) -> str:
    """What a pcapng stamp comment ends in before the digest is known."""
    return f"{SEAL_SEPARATOR}{seal_kind(key)}:{PLACEHOLDER_TAIL}"


class SealingWriter:
    """Passes a capture on to `dst` while hashing it; `finish` writes the seal back.

    pcap: the reserved header fields are written as zeros (the seal's place). pcapng: the
    placeholder of `seal_comment` is looked for in the first bytes written."""

    def __init__(self, dst: _Writable, fmt: str, key: bytes | None) -> None:
        self.dst = dst
        self.fmt = fmt
        self.hash = digest_of(key)()
        seekable = getattr(dst, "seekable", None)
        self.start: int | None = dst.tell() if seekable is not None and seekable() else None  # type: ignore[attr-defined]
        self.written = 0
        self.place: int | None = 8 if fmt == "pcap" else None
        self.placeholder = seal_comment(key).encode()

    def write(self, data: bytes | bytearray, /) -> int:
        if self.fmt == "pcap" and self.written < _PCAP_SEAL.stop:
            data = bytearray(data)
            first = max(0, _PCAP_SEAL.start - self.written)
            last = min(len(data), _PCAP_SEAL.stop - self.written)
            data[first:last] = bytes(max(0, last - first))
        elif self.place is None and self.written < _MAX_HEAD:
            found = bytes(data).find(self.placeholder)
            if found >= 0:
                self.place = self.written + found + len(self.placeholder) - _HEX
        self.hash.update(data)
        self.written += len(data)
        return self.dst.write(data)

    def finish(self) -> bool:
        """Write the seal in its place; False where there is none (no placeholder, or an
        output that cannot seek back)."""
        if self.start is None or self.place is None:
            return False
        digest = self.hash.digest()
        seal = _shown(digest, self.fmt == "pcap")
        file: BinaryIO = self.dst  # type: ignore[assignment]  # seekable: checked in __init__
        end = file.tell()
        file.seek(self.start + self.place)
        file.write(seal)
        file.seek(end)
        return True


def verify(src: BinaryIO, key: bytes | None) -> bool:
    """Whether the capture `src` (seekable; read from its current position, which is
    restored) carries a seal that holds: an unkeyed one, or one keyed with `key`."""
    start = src.tell()
    try:
        return _verify(src, key)
    finally:
        src.seek(start)


def _verify(src: BinaryIO, key: bytes | None) -> bool:
    head = src.read(_MAX_HEAD)
    if head[:4] == PCAPNG_MAGIC:
        match = _PCAPNG_SEAL.search(head[: _first_block_length(head)])
        if match is None:
            return False
        keyed = match.group(1) == b"hmac-sha256"
        claimed, place = match.group(2), match.start(2)
        patched = head[:place] + PLACEHOLDER_TAIL.encode() + head[place + _HEX :]
    else:
        if len(head) < 24 or head[_PCAP_SEAL] == bytes(8):
            return False
        keyed = None  # 8 bytes hold no mark of their kind: both are tried
        claimed = head[_PCAP_SEAL]
        patched = head[: _PCAP_SEAL.start] + bytes(8) + head[_PCAP_SEAL.stop :]
    keys: list[bytes | None] = []
    if keyed is not True:
        keys.append(None)
    if keyed is not False and key is not None:
        keys.append(key)
    hashes = [digest_of(k)() for k in keys]
    for h in hashes:
        h.update(patched)
    while chunk := src.read(_CHUNK):
        for h in hashes:
            h.update(chunk)
    return any(hmac.compare_digest(_shown(h.digest(), keyed is None), claimed) for h in hashes)


def _shown(digest: bytes, pcap: bool) -> bytes:
    """A digest as its seal holds it: the first 8 bytes (pcap), or hex (pcapng)."""
    return digest[:8] if pcap else digest.hex().encode()


def _first_block_length(head: bytes) -> int:
    if len(head) < 12:
        return len(head)
    endian = PCAPNG_BYTE_ORDER.get(head[8:12], ">")
    length: int = struct.unpack_from(endian + "I", head, 4)[0]
    return min(length, len(head))
