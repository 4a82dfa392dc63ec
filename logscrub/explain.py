"""`logscrub explain`: every finding of a log, line by line, with its entity, rule and fate.

For support engineers who wonder why something was (or was not) replaced, and for rule
authors. Findings are the same as `scrub` finds in the same stream (learned values
included); each says what the policy does with it. Values are what the explanation is
about, so they are shown only when the output is the local terminal (or on request);
nothing here is written to a report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO, NamedTuple

from .engine import Engine
from .lookback import Lookback
from .model import Entity, Finding
from .textstream import decoded_blocks

ALREADY_SCRUBBED = "already scrubbed"


class Explained(NamedTuple):
    start: int  # offsets within the line
    end: int
    entity: Entity
    rule_id: str
    action: str  # the operator (pseudonym, mask, label, keep) or "already scrubbed"


@dataclass(frozen=True)
class ExplainedLine:
    number: int  # 1-based
    text: str  # the line without its line end
    findings: tuple[Explained, ...]


def explain_stream(engine: Engine, src: BinaryIO) -> Iterator[ExplainedLine]:
    """Each line of `src` with the findings on it, in order.

    Lines are scanned in blocks of whole lines as by `scrub`; a line longer than the read
    block is held whole (explain is for reading logs, not for streaming gigabytes)."""
    learned = engine.new_learned_values()
    trackers = engine.new_trackers()
    lookback = Lookback(learned, engine.policy.lookback)
    pending = ""
    number = 0
    for chunk, decoded in decoded_blocks(src, engine.policy.block_size):
        final = not chunk
        text = pending + decoded
        cut = len(text) if final else text.rfind("\n") + 1
        block, pending = text[:cut], text[cut:]
        ready = lookback.add(block, engine.findings(block, learned, trackers)) if block else iter(())
        for done, findings in chain(ready, lookback.flush() if final else ()):
            for line in _explain_block(engine, done, findings, number):
                number = line.number
                yield line


def _explain_block(
    engine: Engine, block: str, findings: list[Finding], first: int
) -> Iterator[ExplainedLine]:
    index = 0
    start = 0
    number = first
    while start < len(block):
        newline = block.find("\n", start)
        end = len(block) if newline < 0 else newline
        on_line: list[Explained] = []
        while index < len(findings) and findings[index].start < end + 1:
            f = findings[index]
            on_line.append(
                Explained(f.start - start, f.end - start, f.entity, f.rule_id, _action(engine, block, f))
            )
            index += 1
        number += 1
        yield ExplainedLine(number, block[start:end].rstrip("\r"), tuple(on_line))
        start = end + 1


def _action(engine: Engine, text: str, finding: Finding) -> str:
    if engine.replacer.is_replacement(finding.entity, text[finding.start : finding.end]):
        return ALREADY_SCRUBBED
    return str(engine.operator_for(finding.entity, finding.rule_id).value)


# --- rendering ---------------------------------------------------------------------

_HIGHLIGHT, _RESET, _DIM = "\x1b[7m", "\x1b[0m", "\x1b[2m"


def render(line: ExplainedLine, *, show_values: bool, color: bool) -> list[str]:
    """The line (values masked unless `show_values`) and one caret line per finding.

    One display column per character: tabs become spaces and invalid bytes '?', so the
    carets stand under the value (wide East Asian characters still shift them)."""
    shown = list(_printable(line.text))
    if not show_values:
        for f in line.findings:
            shown[f.start : f.end] = "*" * (f.end - f.start)
    gutter = f"{line.number:>6} | "
    if color:
        for f in sorted(line.findings, key=lambda f: -f.start):
            shown[f.start : f.end] = [_HIGHLIGHT + "".join(shown[f.start : f.end]) + _RESET]
    out = [gutter + "".join(shown)]
    blank = " " * (len(gutter) - 2) + "| "
    for f in line.findings:
        note = f"{f.entity.value} {f.rule_id} -> {f.action}"
        carets = " " * f.start + "^" * max(1, f.end - f.start)
        out.append(f"{blank}{carets} {_DIM + note + _RESET if color else note}")
    return out


def _printable(text: str) -> str:
    return "".join(
        " " if ch == "\t" else "?" if "\ud800" <= ch <= "\udfff" or (ch < " " and ch != "\t") else ch
        for ch in text
    )
