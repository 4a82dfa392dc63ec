"""Logs scrubbed in parts, on several processes (`--jobs`), with the same output whatever
the number of processes.

Every log of a run is one part, and a big UTF-8 log is cut into line-aligned parts
(`plan`): where the cuts fall depends on the file alone, never on the number of workers.
Each part is scrubbed on its own, as if it were a stream of its own:

- it starts from the run's store as it was before any part (what captures and bundles
  taught in their learning pass), never from what another part learned, so it does not
  matter which worker scrubs it, or what it scrubbed before;
- it first reads, without output, the file's first lines and the lines just before the
  part (`warm-up`): trackers that take a meaning from a header (a CSV, an address book) or
  from the lines above (a SIP message cut in two) see them;
- the phone regions it finds are its own (Replacer.part): a number written nationally
  gets its pseudonym from them, and the run writes it again once it knows every region
  (`settle_phones`); what it learned comes back as a delta.

The run then merges the deltas in part order and reaches back (reachback.py) into each
part with what the other parts learned: values that reach back from every part, short
numbers (which count only after the place they were found) from the parts before it.

Workers are forked processes (they inherit the compiled rules and the key; nothing is
pickled but parts and results). Where fork is not available the parts run here, one after
the other, with the same output. A bundle's text members are learned from the same way in
its learning pass (`learn_parts`, see run.learn_from).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .encodings import UTF8, TextEncoding, detect
from .engine import Engine, PhoneRecord
from .errors import InputError
from .learned import LearnedDelta, LearnedValues
from .model import Entity, Operator, Stats
from .streams import ByteRange, Progress
from .textstream import learn_text_stream, scrub_binary_stream

# A log smaller than this is one part; a bigger one is cut into parts of about
# PART_BYTES, their number rounded up to a multiple of PARTS_MULTIPLE so that they spread
# evenly over two workers.
SPLIT_FROM = 16 << 20
PART_BYTES = 16 << 20
PARTS_MULTIPLE = 2
# Warm-up read before a part: this much of the file's start and of the text just before it.
WARM_HEAD = 32 << 10
WARM_BEFORE = 32 << 10
_SCAN = 1 << 16
_PHONE, _PSEUDONYM = Entity.PHONE_NUMBER, Operator.PSEUDONYM
_T = TypeVar("_T")


@dataclass(frozen=True)
class Part:
    """Bytes [start, end) of one log of a run (job `job`); `split`: one of several."""

    job: int
    source: Path
    label: str
    start: int
    end: int
    split: bool

    @property
    def size(self) -> int:
        return self.end - self.start


@dataclass
class PartResult:
    """What scrubbing one part gave: its output (a file in the run's work directory), its
    counts, and what it learned, for the run to merge."""

    output: Path
    stats: Stats
    learned: LearnedDelta
    mapping: list[tuple[tuple[Entity, str], str]]  # pairs a worker process recorded
    phones: Path  # JSON lines: [byte offset in `output`, value, pseudonym written]


def plan(job: int, source: Path, label: str) -> list[Part]:
    """The parts of one log: one, unless it is a big UTF-8 file (see the module doc)."""
    try:
        size = source.stat().st_size
        with open(source, "rb") as file:
            if size < SPLIT_FROM or detect(file.read(512)) != UTF8:
                return [Part(job, source, label, 0, size, False)]
            count = -(-size // PART_BYTES)
            count += -count % PARTS_MULTIPLE
            cuts = [0]
            for i in range(1, count):
                cut = _line_start(file, i * size // count, size)
                if cut is not None and cut > cuts[-1] and cut < size:
                    cuts.append(cut)
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from None
    cuts.append(size)
    return [Part(job, source, label, a, b, True) for a, b in itertools.pairwise(cuts)]


def _line_start(file: BinaryIO, offset: int, size: int) -> int | None:
    """The first line start at or after `offset` (a line starts after a newline)."""
    if offset == 0:
        return 0
    file.seek(offset - 1)
    at = offset - 1
    while at < size:
        chunk = file.read(_SCAN)
        if not chunk:
            return None
        found = chunk.find(b"\n")
        if found >= 0:
            return at + found + 1
        at += len(chunk)
    return None


def warm_up_text(part: Part) -> str:
    """The text read before `part` without output: the file's first lines and the lines
    just before the part, each cut to whole lines."""
    if part.start == 0:
        return ""
    with open(part.source, "rb") as file:
        head = file.read(min(WARM_HEAD, part.start))
        head = head[: head.rfind(b"\n") + 1]
        begin = max(len(head), part.start - WARM_BEFORE)
        file.seek(begin)
        before = file.read(part.start - begin)
    if begin > len(head):  # starts inside a line: from the next one (`before` ends a line)
        before = before[before.find(b"\n") + 1 :]
    return (head + before).decode("utf-8", "surrogateescape")


def scrub_part(
    engine: Engine,
    base: LearnedValues,
    part: Part,
    workdir: Path,
    progress: Callable[[int], None] | None = None,
) -> PartResult:
    """Scrub one part into `workdir`, starting from `base` (which is left as it was)."""
    learned = base.copy()
    output = workdir / f"part-{part.job}-{part.start}"
    phones = output.with_suffix(".phones")
    stats = Stats()
    try:
        with (
            open(part.source, "rb") as file,
            open(output, "wb") as out,
            open(phones, "w", encoding="utf-8") as spill,
            engine.replacer.part(learned.phone_regions),
        ):
            engine.phones = PhoneRecord(spill, engine.replacer.region_of)
            src = Progress.wrap(ByteRange.of(file, part.start, part.end), progress)
            warm_up, encoding = _reading(part)
            scrub_binary_stream(
                engine, src, out, stats, part.label, learned, warm_up=warm_up, encoding=encoding
            )
    except OSError as exc:
        raise InputError(f"{part.label}: cannot read or write: {exc.strerror or exc}") from None
    finally:
        engine.phones = None
    return PartResult(output, stats, learned.delta(base), [], phones)


def _reading(part: Part) -> tuple[str, TextEncoding | None]:
    """How a part is read (warm-up, encoding): a part of a split UTF-8 log after its
    warm-up (see the module doc); a whole log from its first byte, its encoding told by
    them."""
    return (warm_up_text(part), UTF8) if part.split else ("", None)


def learn_part(engine: Engine, base: LearnedValues, part: Part) -> LearnedDelta:
    """A learning pass over one part, starting from `base` (left as it was): what it
    learned (a bundle's text members, see run.py)."""
    learned = base.copy()
    try:
        with open(part.source, "rb") as file:
            warm_up, encoding = _reading(part)
            learn_text_stream(
                engine,
                ByteRange.of(file, part.start, part.end),
                part.label,
                learned,
                warm_up=warm_up,
                encoding=encoding,
            )
    except OSError as exc:
        raise InputError(f"{part.label}: cannot read: {exc.strerror or exc}") from None
    return learned.delta(base)


def settle_phones(engine: Engine, result: PartResult) -> None:
    """Write each phone pseudonym of a part again as the run renders it now that it knows
    every number's region (a national number gets the pseudonym of its international
    form, found in whichever part): the same number, the same pseudonym, in every part.
    A pseudonym of another length (a tagged one) stays as it is."""
    with open(result.phones, encoding="utf-8") as spill, open(result.output, "r+b") as out:
        replacer = engine.replacer
        for line in spill:
            offset, value, written, region = json.loads(line)
            if replacer.region_of(value) == region:  # made as the run would make it now
                replacer.settled(value, written)
                continue
            now = replacer.replace(_PHONE, value, _PSEUDONYM)
            if now != written:
                data = now.encode("utf-8", "surrogateescape")
                if len(data) == len(written.encode("utf-8", "surrogateescape")):
                    out.seek(offset)
                    out.write(data)
    result.phones.unlink()


def _scrub_in_worker(engine: Engine, base: LearnedValues, part: Part, workdir: Path) -> PartResult:
    mapped = len(engine.replacer.mapping or ())
    result = scrub_part(engine, base, part, workdir)
    result.mapping = engine.replacer.mapping_since(mapped)  # (the parent's mapping lacks them)
    return result


def _learn_in_worker(engine: Engine, base: LearnedValues, part: Part, workdir: Path) -> LearnedDelta:
    return learn_part(engine, base, part)


# What forked workers inherit: set just before the pool starts, read only in workers.
_WORKER: tuple[Callable[[Engine, LearnedValues, Part, Path], Any], Engine, LearnedValues, Path] | None = None


def _in_worker(part: Part) -> Any:
    assert _WORKER is not None
    work, engine, base, workdir = _WORKER
    return work(engine, base, part, workdir)


@contextlib.contextmanager
def _workers(
    work: Callable[[Engine, LearnedValues, Part, Path], _T],
    engine: Engine,
    base: LearnedValues,
    workdir: Path,
    count: int,
) -> Iterator[Callable[[list[Part]], Iterator[_T]]]:
    """A pool of `count` forked workers doing `work` on parts: yields what maps parts to
    their results, in order; or, where no pool can be made (no shared memory for its
    locks in a locked-down container), what does them here, with the same results."""
    global _WORKER
    _WORKER = (work, engine, base, workdir)
    try:
        try:
            pool = multiprocessing.get_context("fork").Pool(count)
        except OSError:
            yield lambda parts: (work(engine, base, part, workdir) for part in parts)
            return
        with pool:
            yield lambda parts: pool.imap(_in_worker, parts)
    finally:
        _WORKER = None


def _forks(jobs: int, parts: list[Part]) -> int:
    """How many workers to fork for `parts` (0: do them here, one after the other)."""
    workers = min(jobs, len(parts))
    return workers if workers > 1 and "fork" in multiprocessing.get_all_start_methods() else 0


def map_parts(
    work: Callable[[Engine, LearnedValues, Part, Path], _T],
    engine: Engine,
    base: LearnedValues,
    parts: list[Part],
    workdir: Path,
    jobs: int,
) -> Iterator[_T]:
    """`work(engine, base, part, workdir)` of every part, in order: on `jobs` forked workers
    (which inherit everything `work` holds), or here, one after the other. What `work`
    returns travels back pickled."""
    workers = _forks(jobs, parts)
    if not workers:
        for part in parts:
            yield work(engine, base, part, workdir)
        return
    with _workers(work, engine, base, workdir, workers) as mapped:
        yield from mapped(parts)


def learn_parts(engine: Engine, base: LearnedValues, parts: list[Part], jobs: int) -> list[LearnedDelta]:
    """What each part teaches, in order: on `jobs` forked workers, or here."""
    return list(map_parts(_learn_in_worker, engine, base, parts, Path(), jobs))


def scrub_parts(
    engine: Engine,
    base: LearnedValues,
    parts: list[Part],
    workdir: Path,
    jobs: int,
    progress: Callable[[Part], Callable[[int], None] | None] | None = None,
) -> Iterator[PartResult]:
    """Every part's result, in order: on `jobs` forked workers, or here when one will do.
    `progress(part)`: what to tell the bytes of `part` as they are read."""
    workers = _forks(jobs, parts)
    if not workers:
        for part in parts:
            yield scrub_part(engine, base, part, workdir, progress(part) if progress else None)
        return
    with _workers(_scrub_in_worker, engine, base, workdir, workers) as mapped:
        for part, result in zip(parts, mapped(parts), strict=True):
            tell = progress(part) if progress else None
            if tell is not None:
                tell(part.size)  # (a worker's reads are told when its part is done)
            yield result


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
