"""Check mode: what scrubbing would replace, reported by place and keyed digest, never by value.

A finding names its file and line and column (text) or packet (captures), the entity
and the rule; the value itself is represented only by a keyed digest (HMAC-SHA256), so a
check report or an allowlist can be stored and shared without holding personal data,
and the same value gives the same digest wherever it occurs (with the same key).

Lines carrying an inline marker (`logscrub: allow`, for test fixtures) are not reported.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import BinaryIO

import regex

from .engine import Engine
from .explain import ALREADY_SCRUBBED, explain_stream
from .learned import LearnedValues
from .model import Entity, Operator, Stats
from .streams import discard

ALLOW_MARKER = regex.compile(r"logscrub:[ \t]*allow\b")
_NOT_FINDINGS = frozenset({ALREADY_SCRUBBED, Operator.KEEP.value})


@dataclass(frozen=True, slots=True)
class CheckFinding:
    """One value scrubbing would replace. `line`/`column`/`end_column` (1-based, in
    characters) for text, `packet` (1-based) for captures; `member` for a file inside an
    archive."""

    path: str
    entity: str
    rule_id: str
    digest: str
    line: int | None = None
    column: int | None = None
    packet: int | None = None
    member: str | None = None
    end_column: int | None = None  # just past the value (text), as in SARIF's endColumn

    def location(self) -> str:
        where = f"{self.path}!{self.member}" if self.member else self.path
        if self.packet is not None:
            return f"{where}#{self.packet}"
        if self.line is None:
            return f"{where}:name"  # in an archive member's name
        return f"{where}:{self.line}:{self.column}"

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def digest(key: bytes, entity: str, value: str) -> str:
    """The keyed digest that stands for `value` in reports and allowlists (64 bits, hex)."""
    message = f"{entity}\x00{value}".encode("utf-8", "surrogateescape")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def check_text(
    engine: Engine, src: BinaryIO, path: str, key: bytes, learned: LearnedValues | None = None
) -> Iterator[CheckFinding]:
    """The findings of a log, as `scrub` would find them (learned values included; `learned`:
    the run's), read by the same segmenter as `scrub`, in the same bounded memory."""
    for line in explain_stream(engine, src, learned):
        if not line.findings or ALLOW_MARKER.search(line.text):
            continue
        for found in line.findings:
            if found.action in _NOT_FINDINGS:
                continue
            value = line.text[found.start : found.end]
            yield CheckFinding(
                path,
                found.entity.value,
                found.rule_id,
                digest(key, found.entity.value, value),
                line=line.number,
                column=line.column + found.start,
                end_column=line.column + found.end,
            )


def check_capture(
    engine: Engine,
    src: BinaryIO,
    path: str,
    key: bytes,
    fmt: str,
    keep_media: bool,
    learned: LearnedValues | None = None,
    salvage: bool = False,
) -> list[CheckFinding]:
    """The findings of a pcap / pcapng (`engine`: a capture engine), by packet; each header
    address is reported once, at the first packet that has it."""
    from .capture.scrub import scrub_capture

    found: list[CheckFinding] = []

    def on_finding(packet: int, entity: Entity, rule_id: str, value: str) -> None:
        found.append(
            CheckFinding(path, entity.value, rule_id, digest(key, entity.value, value), packet=packet)
        )

    scrub_capture(
        engine, src, discard(), Stats(), path, keep_media, fmt, on_finding, learned, salvage=salvage
    )
    return found
