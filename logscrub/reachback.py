"""Values learned late in a run, replaced in text already written.

A run writes each log once, in one pass (see run.py); a value learned after a place it
occurs (later in the same log, beyond the look back, or in a later input of the run) is
then still in that output. This second, cheap pass reads the written text back and
replaces the whole-token occurrences of those values: one literal matcher over the
output, no rules. Outside replaced spans the text is unchanged, so the output stays
byte-faithful to the input. Memory is bounded: lines are read in blocks, and a line too
long to hold is read in windows that overlap by the longest value.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from .detectors.base import ScanText
from .encodings import detect_stream
from .engine import Engine, resolve_overlaps
from .learned import LearnedValues
from .model import Stats
from .textstream import decoded_blocks


def reach_back(
    engine: Engine, src: BinaryIO, dst: BinaryIO, values: list[str], learned: LearnedValues, stats: Stats
) -> None:
    """Copy `src` (text `engine` wrote) to `dst` with every whole-token occurrence of
    `values` (learned in `learned`) replaced; counted into `stats`."""
    matcher = learned.matcher_for(values, _size(src))
    encoding, src = detect_stream(src)  # the output's, which is the input's
    limit = engine.policy.max_line_length
    # A window keeps this much of its end for the next one: a value (and the characters
    # either side of it that tell a whole token) never falls between two windows unseen.
    overlap = max(len(v) for v in values) + 2
    context = ""  # text already written, kept as the left edge of the next piece
    pending = ""

    def scan(text: str, skip: int, commit: int) -> int:
        """Write text[skip:commit'] with its occurrences replaced; returns commit' (the
        commit point moved past an occurrence that straddles it)."""
        found = resolve_overlaps(
            f for f in learned.occurrences(matcher, ScanText(text)) if skip <= f.start < commit
        )
        if found:
            commit = max(commit, max(f.end for f in found))
        piece = engine.scrub(text[:commit], stats, found)[skip:] if found else text[skip:commit]
        dst.write(encoding.encode(piece))
        return commit

    for chunk, decoded in decoded_blocks(src, engine.policy.block_size, encoding):
        final = not chunk
        pending += decoded
        while pending:
            cut = pending.rfind("\n") + 1
            if cut:  # whole lines
                scan(context + pending[:cut], len(context), len(context) + cut)
                pending, context = pending[cut:], ""
            elif final or len(pending) > limit:  # a line's end, or a window of a long line
                text = context + pending
                end = len(text) if final else len(text) - overlap
                commit = scan(text, len(context), end)
                pending = text[commit:]
                context = text[max(0, commit - overlap) : commit]
                if final and not pending:
                    break
            else:
                break
        if final:
            break


def _size(src: BinaryIO) -> int:
    """How many bytes are left to read in `src` (a file), or a large guess."""
    try:
        return os.fstat(src.fileno()).st_size - src.tell()
    except (OSError, AttributeError, ValueError):
        return 1 << 30
