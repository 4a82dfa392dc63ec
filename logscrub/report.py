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

    def table(self) -> str:
        """A plain-text summary table: one row per file, counts per entity."""
        entities = sorted({e for item in self.files for e in item.stats.by_entity})
        header = ["file", "MB", "lines", "packets", "replaced", *entities]
        rows: list[list[str]] = []
        for item in self.files:
            stats = item.stats
            counts = [str(stats.by_entity.get(e, 0)) for e in entities]
            rows.append(
                [
                    item.path,
                    f"{stats.bytes_in / 1e6:.2f}",
                    str(stats.lines),
                    str(stats.packets),
                    str(stats.replaced),
                    *counts,
                ]
            )
            for member in stats.members:  # archive members, under their bundle
                name = f"  {member['member']}"
                if member.get("action") == "dropped":
                    rows.append([name, "", "", "", "dropped", *([""] * len(entities))])
                    continue
                found = cast(dict[str, int], member.get("by_entity", {}))
                rows.append(
                    [
                        name,
                        f"{cast(int, member['bytes_in']) / 1e6:.2f}",
                        str(member["lines"]),
                        str(member["packets"]),
                        str(member["replaced"]),
                        *(str(found.get(e, 0)) for e in entities),
                    ]
                )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in [header, *rows]
        ]
        return "\n".join(line.rstrip() for line in lines) + "\n"


def _version() -> str:
    from . import __version__  # the package imports this module: look it up when used

    return __version__
