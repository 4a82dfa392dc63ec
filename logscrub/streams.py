"""Small stream adapters: a stream with its first bytes put back, a range of a file, a
source that tells how much was read, and a sink."""

from __future__ import annotations

import io
from collections.abc import Callable
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


class ByteRange:
    """Bytes [start, end) of a file, read as a stream."""

    def __init__(self, file: BinaryIO, start: int, end: int) -> None:
        file.seek(start)
        self.file = file
        self.left = end - start

    @staticmethod
    def of(file: BinaryIO, start: int, end: int) -> BinaryIO:
        return cast(BinaryIO, ByteRange(file, start, end))

    def read(self, size: int = -1, /) -> bytes:
        if size < 0 or size > self.left:
            size = self.left
        data = self.file.read(size)
        self.left -= len(data)
        return data


class Progress:
    """A source that tells `progress` how many bytes each read returned."""

    def __init__(self, src: BinaryIO, progress: Callable[[int], None]) -> None:
        self.src = src
        self.progress = progress

    @staticmethod
    def wrap(src: BinaryIO, progress: Callable[[int], None] | None) -> BinaryIO:
        return src if progress is None else cast(BinaryIO, Progress(src, progress))

    def read(self, size: int = -1, /) -> bytes:
        data = self.src.read(size)
        self.progress(len(data))
        return data
