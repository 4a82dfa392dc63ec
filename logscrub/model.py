"""Frozen value types shared by every layer: entities, findings and run statistics."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


class Entity(str, enum.Enum):
    """The kinds of sensitive data logscrub finds (see DESIGN.md)."""

    PHONE_NUMBER = "PHONE_NUMBER"
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    IP_ADDRESS = "IP_ADDRESS"
    MAC_ADDRESS = "MAC_ADDRESS"
    PERSON_NAME = "PERSON_NAME"
    USERNAME = "USERNAME"
    CREDENTIAL = "CREDENTIAL"
    TOKEN = "TOKEN"
    DEVICE_ID = "DEVICE_ID"
    CARD_NUMBER = "CARD_NUMBER"
    GEO_LOCATION = "GEO_LOCATION"
    MESSAGE_BODY = "MESSAGE_BODY"
    NATIONAL_ID = "NATIONAL_ID"

    def __str__(self) -> str:
        return self.value


class Operator(str, enum.Enum):
    """How a finding is replaced."""

    MASK = "mask"
    LABEL = "label"
    PSEUDONYM = "pseudonym"
    KEEP = "keep"

    def __str__(self) -> str:
        return self.value


class Finding(NamedTuple):
    """One detected value: a half-open span [start, end) of the scanned text.

    A NamedTuple rather than a frozen dataclass: one is made for every candidate on the
    hot path, and a frozen dataclass is several times slower to construct.
    """

    start: int
    end: int
    entity: Entity
    rule_id: str
    priority: int = 0

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Stats:
    """What one scrub did. Holds counts only, never original values."""

    bytes_in: int = 0
    bytes_out: int = 0
    lines: int = 0
    packets: int = 0
    by_entity: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    long_line_windows: int = 0
    binary: bool = False
    warnings: list[str] = field(default_factory=list)
    # Archives: one entry per member (its name in the output, what happened, its counts).
    members: list[dict[str, object]] = field(default_factory=list)

    @property
    def replaced(self) -> int:
        return sum(self.by_entity.values())

    def merge(self, other: Stats) -> None:
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.lines += other.lines
        self.packets += other.packets
        self.by_entity.update(other.by_entity)
        self.by_rule.update(other.by_rule)
        self.long_line_windows += other.long_line_windows
        self.binary = self.binary or other.binary
        self.warnings.extend(w for w in other.warnings if w not in self.warnings)
        self.members.extend(other.members)

    def to_dict(self) -> dict[str, object]:
        return {
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "lines": self.lines,
            "packets": self.packets,
            "replaced": self.replaced,
            "by_entity": dict(sorted(self.by_entity.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
            "long_line_windows": self.long_line_windows,
            "binary": self.binary,
            "warnings": list(self.warnings),
            **({"members": list(self.members)} if self.members else {}),
        }
