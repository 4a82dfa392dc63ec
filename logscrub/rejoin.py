"""A byte stream whose first bytes were read (to tell its format) with them put back."""

from __future__ import annotations

from typing import BinaryIO


class Rejoined:
    def __init__(self, head: bytes, src: BinaryIO) -> None:
        self.head = head
        self.src = src

    def read(self, size: int = -1, /) -> bytes:
        if not self.head:
            return self.src.read(size)
        if size < 0:
            data, self.head = self.head + self.src.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size:
            data += self.src.read(size - len(data))
        return data
