"""Malformed packets, told once per kind.

A hostile or broken capture can have the same fault in every packet (a lying length in
each of a million datagrams); one warning line per packet would drown the report. Each
kind of fault is counted instead and reported in one line: the first packet that had
it, what was wrong there, and how many packets had it. Memory is bounded by the number
of kinds, which the code fixes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Kind:
    first: int  # the first packet (1-based) with this fault
    detail: str  # what was wrong in that packet
    packets: int = 1
    last: int = 0  # the last packet counted (a packet with the fault twice counts once)


class Anomalies:
    """Faults found while parsing packets, by kind, in the order first met."""

    def __init__(self) -> None:
        self._kinds: dict[str, _Kind] = {}

    def note(self, kind: str, packet: int, detail: str) -> None:
        """Record fault `kind` in `packet`; `detail` (one line, no value from the packet's
        payload) says what was wrong and is kept for the first packet only."""
        found = self._kinds.get(kind)
        if found is None:
            self._kinds[kind] = _Kind(packet, detail, last=packet)
        elif found.last != packet:
            found.packets += 1
            found.last = packet

    def kinds(self) -> list[str]:
        return list(self._kinds)

    def report(self, name: str, warnings: list[str]) -> None:
        """Append one line per kind to `warnings` (`name`: the capture's), then start again."""
        for kind in self._kinds.values():
            others = kind.packets - 1
            more = f" (and {others} more packet{'s' if others > 1 else ''} like it)" if others else ""
            warnings.append(f"{name}: malformed packet {kind.first}: {kind.detail}{more}")
        self._kinds.clear()
