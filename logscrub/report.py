"""The record of a run: per file (and archive member) counts, bytes, packets, warnings,
duration, logscrub and rule-pack versions. Counts only: never a value, never the key."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

from .model import Stats


@dataclass(frozen=True)
class FileReport:
    path: str
    output: str
    stats: Stats

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "output": self.output, **self.stats.to_dict()}


@dataclass
class Report:
    files: list[FileReport] = field(default_factory=list)
    duration_seconds: float = 0.0
    rule_packs: list[dict[str, str]] = field(default_factory=list)
    logscrub_version: str = field(default_factory=lambda: _version())
    # The run stamp (stamp.RunStamp.to_dict): versions, policy digest, key id.
    stamp: dict[str, Any] = field(default_factory=dict)

    @property
    def totals(self) -> Stats:
        total = Stats()
        for item in self.files:
            total.merge(item.stats)
        return total

    def to_dict(self) -> dict[str, Any]:
        totals = self.totals.to_dict()
        totals.pop("members", None)  # listed under their files
        return {
            "logscrub_version": self.logscrub_version,
            "rule_packs": self.rule_packs,
            **({"scrubbed_by": self.stamp} if self.stamp else {}),
            "files": [item.to_dict() for item in self.files],
            "totals": totals,
            "duration_seconds": round(self.duration_seconds, 3),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def table(self, width: int = 80) -> str:
        """A plain-text summary that fits `width` columns: one row per file and archive
        member (size, lines, packets when there are any, replacements), what was found per
        entity in short words (`PHONE 7, IP 24`), wrapped within the last column; a name
        too long for its column is on a line of its own (shortened in the middle only if it
        is wider than the table)."""
        with_packets = any(item.stats.packets for item in self.files)
        rows: list[tuple[str, list[str], dict[str, int]]] = []
        for item in self.files:
            stats = item.stats
            rows.append(
                (
                    item.path,
                    _numbers(stats.bytes_in, stats.lines, stats.packets, stats.replaced),
                    stats.by_entity,
                )
            )
            for member in stats.members:  # archive members, under their bundle
                name = f"  {member['member']}"
                if member.get("action") == "dropped":
                    rows.append((name, ["", "", "", "dropped"], {}))
                    continue
                found = cast(dict[str, int], member.get("by_entity", {}))
                numbers = _numbers(
                    cast(int, member["bytes_in"]),
                    cast(int, member["lines"]),
                    cast(int, member["packets"]),
                    cast(int, member["replaced"]),
                )
                rows.append((name, numbers, found))
        header = ["MB", "lines", "packets", "replaced"]
        keep = [i for i in range(4) if i != 2 or with_packets]
        table = [[row[1][i] for i in keep] for row in rows]
        titles = [header[i] for i in keep]
        widths = [max(len(cells[i]) for cells in [titles, *table]) for i in range(len(keep))]
        numbers_width = sum(w + 2 for w in widths)
        longest = max([len("file"), *(len(row[0]) for row in rows)])
        # The name column takes what it needs, but leaves the found column 24 characters
        # (a longer name gets a line of its own).
        name_width = max(12, min(longest, width - numbers_width - 2 - 24))
        found_width = max(16, width - name_width - numbers_width - 2)

        def line(name: str, cells: list[str], found: list[str]) -> list[str]:
            numbers = "".join("  " + cell.rjust(w) for cell, w in zip(cells, widths, strict=True))
            wrapped = _wrap(found, found_width) or [""]
            # A name too long for its column gets a line of its own, the numbers below it.
            alone = [_shorten(name, width)] if len(name) > name_width else []
            first = f"{'' if alone else name:{name_width}}{numbers}  {wrapped[0]}"
            indent = " " * (name_width + numbers_width + 2)
            return [*alone, first.rstrip(), *(indent + more for more in wrapped[1:])]

        lines = line("file", titles, ["found"])
        for (name, _, found), cells in zip(rows, table, strict=True):
            words = [
                f"{_SHORT.get(e, e)} {n},"
                for e, n in sorted(found.items(), key=lambda en: _SHORT.get(en[0], en[0]))
                if n
            ]
            if words:
                words[-1] = words[-1].rstrip(",")
            lines += line(name, cells, words)
        return "\n".join(lines) + "\n"


# Entity names as the summary table prints them (short enough for 80 columns).
_SHORT = {
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "IP_ADDRESS": "IP",
    "MAC_ADDRESS": "MAC",
    "PERSON_NAME": "NAME",
    "USERNAME": "USER",
    "CREDENTIAL": "CREDENTIAL",
    "TOKEN": "TOKEN",
    "DEVICE_ID": "DEVICE",
    "CARD_NUMBER": "CARD",
    "GEO_LOCATION": "LOCATION",
    "MESSAGE_BODY": "MESSAGE",
    "NATIONAL_ID": "NATIONAL_ID",
}


def _numbers(bytes_in: int, lines: int, packets: int, replaced: int) -> list[str]:
    return [f"{bytes_in / 1e6:.2f}", str(lines), str(packets), str(replaced)]


def _wrap(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _shorten(name: str, width: int) -> str:
    """`name` in at most `width` characters: its start and end around an ellipsis (the end
    holds the file name and extension, the start the directory or bundle)."""
    if len(name) <= width:
        return name
    tail = (width - 1) * 2 // 3
    return name[: width - 1 - tail] + "…" + name[len(name) - tail :]


def _version() -> str:
    from . import __version__  # the package imports this module: look it up when used

    return __version__
