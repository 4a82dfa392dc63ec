"""Small stream adapters: a stream with its first bytes put back, and a sink."""

from __future__ import annotations

import io
from typing import Any, BinaryIO, cast


class Rejoined(io.RawIOBase):
    """A byte stream whose first bytes were read (to tell its format), with them put back.
    A file object, so tarfile, zipfile and the text path can all read it."""

    def __init__(self, head: bytes, src: BinaryIO) -> None:
        self.head = head
        self.src = src

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None:
            size = -1
        if not self.head:
            return self.src.read(size)
        if size < 0:
            data, self.head = self.head + self.src.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size:
            data += self.src.read(size - len(data))
        return data


def rejoined(head: bytes, src: Any) -> BinaryIO:
    """Rejoined(head, src), typed as the binary file it stands for."""
    return cast(BinaryIO, Rejoined(head, src))


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def discard() -> BinaryIO:
    """A binary sink: check mode writes nothing."""
    return cast(BinaryIO, _Discard())
