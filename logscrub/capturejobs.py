"""A run's captures on several processes (`--jobs`), with the same output whatever their
number: a capture rotated into many files, or the captures of several machines, are read
side by side.

A capture is read twice (see run.py); both passes are cut so that no capture depends on
another, and their results are merged in the run's order:

- learning: each capture's pass starts from an empty store (as it always has), in a part
  of its own for phone regions (Replacer.part: a number written nationally gets no
  run-wide pseudonym from a pass whose output is thrown away); what it learned comes back
  as a delta, absorbed in job order;
- writing: each capture is written from the run's store as the logs left it (a copy: what
  one capture's writing learns is not seen by another's), into the run's work directory;
  what it learned comes back as a delta too, merged in job order before the logs are read
  back, so it still reaches into them.

Mapping pairs recorded on a worker come back with each result (the capture engine's own
replacer records them, see api.Scrubber.mapping).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import Engine
from .errors import InputError
from .learned import LearnedDelta, LearnedValues
from .model import Entity, Stats
from .parts import Part, map_parts
from .streams import discard

if TYPE_CHECKING:
    from .run import InputReaders, Job

_Pairs = list[tuple[tuple[Entity, str], str]]


@dataclass
class CaptureResult:
    """One capture written on a worker: its output (a file in the run's work directory),
    its counts, what its writing learned, and the mapping pairs it recorded."""

    output: Path
    stats: Stats
    learned: LearnedDelta
    mapping: _Pairs


def capture_parts(jobs: list[Job]) -> list[Part]:
    """A part for each capture of the run (whole files: a capture is never cut)."""
    parts: list[Part] = []
    for i, job in enumerate(jobs):
        if job.kind.reader == "capture":
            try:
                size = os.stat(job.source).st_size
            except OSError as exc:
                raise InputError(f"{job.label}: cannot read: {exc.strerror or exc}") from None
            parts.append(Part(i, job.source, job.label, 0, size, False))
    return parts


def learn_captures(
    readers: InputReaders, jobs: list[Job], parts: list[Part], workers: int
) -> dict[int, tuple[LearnedDelta, _Pairs]]:
    """Each capture's learning pass: job index -> (what it learned, its mapping pairs)."""
    capture_engine = readers.capture_engine  # built here, before any worker is forked
    replacer = capture_engine.replacer

    def learn(engine: Engine, base: LearnedValues, part: Part, workdir: Path) -> tuple[LearnedDelta, _Pairs]:
        scratch = base.copy()
        mapped = len(replacer.mapping or ())
        with open(part.source, "rb") as source, replacer.part(scratch.phone_regions):
            readers.scrub_input(
                jobs[part.job].kind, source, discard(), part.label, scratch, part.source, learning=True
            )
        return scratch.delta(base), replacer.mapping_since(mapped)

    empty = readers.engine.new_learned_values()
    results = map_parts(learn, readers.engine, empty, parts, Path(), workers)
    return {part.job: result for part, result in zip(parts, results, strict=True)}


def absorb_learning(
    readers: InputReaders, learned: LearnedValues, result: tuple[LearnedDelta, _Pairs]
) -> None:
    """Merge one capture's learning pass into the run's store, as if it had learned there."""
    delta, pairs = result
    scratch = readers.engine.new_learned_values()
    scratch.absorb_delta(delta)
    learned.absorb(scratch)
    readers.capture_engine.replacer.merge_mapping(pairs)


def write_captures(
    readers: InputReaders,
    jobs: list[Job],
    parts: list[Part],
    base: LearnedValues,
    workdir: Path,
    workers: int,
) -> list[CaptureResult]:
    """Every capture written into `workdir` from `base` (left as it was), in part order."""
    replacer = readers.capture_engine.replacer

    def write(engine: Engine, base: LearnedValues, part: Part, workdir: Path) -> CaptureResult:
        learned = base.copy()
        mapped = len(replacer.mapping or ())
        output = workdir / f"capture-{part.job}"
        try:
            with open(part.source, "rb") as source, open(output, "wb") as out:
                stats = readers.scrub_input(
                    jobs[part.job].kind, source, out, part.label, learned, part.source
                )
        except OSError as exc:
            raise InputError(f"{part.label}: cannot read or write: {exc.strerror or exc}") from None
        return CaptureResult(output, stats, learned.delta(base), replacer.mapping_since(mapped))

    results = []
    for part, result in zip(
        parts, map_parts(write, readers.engine, base, parts, workdir, workers), strict=True
    ):
        tell = jobs[part.job].progress
        if tell is not None:
            tell(part.size)
        results.append(result)
    return results
