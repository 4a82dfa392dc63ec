"""A run: every input of one call (files, archive members, captures) sharing what it learns.

A value found with confidence anywhere in a run is replaced everywhere in it: in the
same file before the place it was found, in earlier and later files, in archive members
and in capture payloads. Files are read in two passes where that needs it:

1. learn: captures and bundles are read once without output, and what they teach (a
   user name in a SIP packet) goes into the run's store; their own output is written in
   pass 2, when everything else they can learn is known. Captures do both passes on the
   workers (capturejobs.py). A bundle's text members are
   spooled during this walk and then scrubbed as parts, on the workers, as logs are
   (`learn_from`): that is their one read by the rules;
2. write: logs first, each in one pass into a temporary file beside its destination
   (learning as they go, with the bounded look back), then captures and bundles with
   everything the logs taught (a bundle's walk copies its scrubbed text members in,
   read back as in 3: ScrubbedMembers);
3. reach back: each log written is read back and what was learned after its pass began
   is replaced in it (reachback.py: a literal scan, far cheaper than the rules);
4. publish: every output is renamed into place only when all are complete. An error
   anywhere leaves no output of the run behind.

`check` and `explain` learn from every input first, then report with everything known.
A stream (stdin) is read once: it keeps the bounded look back and learns forward.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from .atomic import atomic_output
from .capturejobs import absorb_learning, capture_parts, learn_captures, write_captures
from .engine import Engine
from .errors import InputError
from .learned import LearnedValues
from .model import Stats
from .parts import PartResult, learn_parts, plan, scrub_parts, settle_phones
from .reachback import reach_back
from .sniff import HEAD, InputKind, sniff
from .streams import Progress, discard


class InputReaders(Protocol):
    """What a run needs from its caller (the api layer)."""

    engine: Engine

    @property
    def capture_engine(self) -> Engine: ...

    def scrub_input(
        self,
        kind: InputKind,
        src: BinaryIO,
        dst: BinaryIO,
        name: str,
        learned: LearnedValues,
        path: Path,
        learning: bool = False,
        defer: Callable[[BinaryIO, str], None] | None = None,
        scrubbed: Callable[[BinaryIO], Stats] | None = None,
    ) -> Stats: ...


@dataclass
class Job:
    """One input of a run and where its output goes (a path, or a stream such as stdout)."""

    source: Path
    target: Path | BinaryIO
    progress: Callable[[int], None] | None = None
    name: str | None = None  # what errors and reports call the input, if not its path
    kind: InputKind = field(default_factory=lambda: InputKind("text"))

    @property
    def label(self) -> str:
        return self.name or str(self.source)


def open_input(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def kind_of(path: Path) -> InputKind:
    with open_input(path) as source:
        return sniff(source.read(HEAD))


@dataclass
class ScrubbedMembers:
    """A bundle's text members, scrubbed as parts during its learning pass (on the
    workers, like logs), in the order the walk meets them; the writing walk takes them one
    by one (`write_next`) instead of scrubbing them again."""

    engine: Engine
    base: LearnedValues  # what each part started from
    members: list[list[PartResult]]  # per text member, its parts' results
    earlier: list[list[int]]  # per part: how many short numbers the parts before it learned
    short: list[str]  # the short numbers learned, in part order
    learned: LearnedValues | None = None  # the run's store, once everything is learned
    _late: list[str] | None = None
    _next: int = 0

    def write_next(self, dst: BinaryIO) -> Stats:
        """The next text member's output into `dst`: its parts joined, with what was
        learned after they began replaced (reachback.py), as the run does for logs."""
        if self._next >= len(self.members):
            raise AssertionError("the writing walk met more text members than the learning walk")
        results = self.members[self._next]
        earlier = self.earlier[self._next]
        self._next += 1
        learned = self.learned
        assert learned is not None
        if self._late is None:
            known = self.base.values
            self._late = [value for value in learned.reaching if value not in known]
        stats = Stats()
        for result, count in zip(results, earlier, strict=True):
            stats.merge(result.stats)
            _join_part(self.engine, result, dst, self._late + self.short[:count], learned, stats)
        return stats


def _join_part(
    engine: Engine, result: PartResult, dst: BinaryIO, values: list[str], learned: LearnedValues, stats: Stats
) -> None:
    """A part's output into `dst`, its phone pseudonyms settled and `values` (learned after
    its pass began) replaced in it; the part's file is removed."""
    settle_phones(engine, result)
    with open(result.output, "rb") as written:
        if values:
            reach_back(engine, written, dst, values=values, learned=learned, stats=stats)
        else:
            shutil.copyfileobj(written, dst, 1 << 20)
    result.output.unlink()


def _absorb_parts(
    engine: Engine, learned: LearnedValues, results: Iterable[PartResult]
) -> tuple[list[int], list[str]]:
    """Merge what the parts learned into `learned`, in part order: per part, how many short
    numbers the parts before it learned, and those numbers (they count in later parts only)."""
    earlier: list[int] = []
    short: list[str] = []
    for result in results:
        earlier.append(len(short))
        short.extend(learned.absorb_delta(result.learned))
        engine.replacer.merge_mapping(result.mapping)
    return earlier, short


def learn_from(
    readers: InputReaders,
    job: Job,
    learned: LearnedValues,
    workers: int = 1,
    workdir: Path | None = None,
) -> ScrubbedMembers | None:
    """Pass 1 over one input: what it teaches goes into `learned`, the output nowhere.

    An archive's text members are spooled while it is walked, then read as parts of a run
    are (parts.py): each from the store the walk left (what its captures taught), on up
    to `workers` processes, merged in member order; so what is learned does not depend on
    the number of workers. With a `workdir` (a scrub), the parts are scrubbed there, not
    only learned from, and wait for the writing walk (the ScrubbedMembers returned): each
    text member is then read once, as a log is."""
    engine = readers.engine
    scratch = engine.new_learned_values()
    scrubbed: ScrubbedMembers | None = None
    with contextlib.ExitStack() as stack:
        members: list[tuple[Path, str]] = []
        defer = None
        if job.kind.reader == "archive":
            spool_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="logscrub-members-")))

            def defer(member: BinaryIO, name: str) -> None:
                path = spool_dir / f"member-{len(members)}"
                with open(path, "wb") as out:
                    shutil.copyfileobj(member, out, 1 << 20)
                members.append((path, name))

        with open_input(job.source) as source:
            readers.scrub_input(
                job.kind, source, discard(), job.label, scratch, job.source, learning=True, defer=defer
            )
        parts = [part for i, (path, name) in enumerate(members) for part in plan(i, path, name)]
        base = scratch.copy()
        if workdir is not None and job.kind.reader == "archive":
            results = list(scrub_parts(engine, base, parts, workdir, workers))
            earlier, short = _absorb_parts(engine, scratch, results)
            scrubbed = ScrubbedMembers(engine, base, [[] for _ in members], [[] for _ in members], short)
            for part, result, count in zip(parts, results, earlier, strict=True):
                scrubbed.members[part.job].append(result)
                scrubbed.earlier[part.job].append(count)
        elif parts:
            for delta in learn_parts(engine, base, parts, workers):
                scratch.absorb_delta(delta)
    learned.absorb(scratch)
    return scrubbed


def scrub_run(readers: InputReaders, jobs: list[Job], workers: int = 1) -> list[Stats]:
    """Scrub every job as one run (see the module doc), logs on up to `workers` processes
    (the output does not depend on how many, see parts.py); their Stats, in job order."""
    engine = readers.engine
    learned = engine.new_learned_values()
    for job in jobs:
        job.kind = kind_of(job.source)
    stats: list[Stats] = [Stats() for _ in jobs]
    texts = [i for i, job in enumerate(jobs) if job.kind.is_text]
    with contextlib.ExitStack() as publish:
        # Every output is opened first: a destination that cannot be written fails the run
        # before any work.
        outputs = {i: publish.enter_context(_output(job)) for i, job in enumerate(jobs)}
        workdir = Path(
            publish.enter_context(tempfile.TemporaryDirectory(prefix="logscrub-", dir=_near(jobs)))
        )
        # Captures and bundles teach first; a bundle's text members are scrubbed as they
        # are learned from, and wait for the bundle's writing walk.
        # Captures learn on the workers, each from an empty store; what they learned is
        # merged in job order (capturejobs.py).
        captures = capture_parts(jobs)
        taught = learn_captures(readers, jobs, captures, workers) if captures else {}
        bundles: dict[int, ScrubbedMembers] = {}
        for i, job in enumerate(jobs):
            if job.kind.reader == "archive":
                members_dir = workdir / f"members-{i}"
                members_dir.mkdir()
                scrubbed = learn_from(readers, job, learned, workers, members_dir)
                if scrubbed is not None:
                    bundles[i] = scrubbed
            elif i in taught:
                absorb_learning(readers, learned, taught[i])
        # Logs, in parts (parts.py); what they learned is merged in part order only when
        # all are done, so no part depends on another.
        parts = [part for i in texts for part in plan(i, jobs[i].source, jobs[i].label)]
        base = learned.copy()
        mark = learned.mark()
        results = list(
            scrub_parts(engine, base, parts, workdir, workers, progress=lambda part: jobs[part.job].progress)
        )
        earlier, short = _absorb_parts(engine, learned, results)
        for part, result in zip(parts, results, strict=True):
            stats[part.job].merge(result.stats)
        # Captures, on the workers, each from the store as the logs left it; then bundles,
        # with what the captures' writing learned too.
        captured = (
            write_captures(readers, jobs, captures, learned.copy(), workdir, workers) if captures else []
        )
        for part, capture in zip(captures, captured, strict=True):
            with open(capture.output, "rb") as output:
                shutil.copyfileobj(output, outputs[part.job], 1 << 20)
            capture.output.unlink()
            stats[part.job] = capture.stats
            learned.absorb_delta(capture.learned)
            readers.capture_engine.replacer.merge_mapping(capture.mapping)
        for i, job in enumerate(jobs):
            if job.kind.reader != "archive":
                continue
            members = bundles.get(i)
            if members is not None:
                members.learned = learned
            with open_input(job.source) as source:
                reader = Progress.wrap(source, job.progress)
                stats[i] = readers.scrub_input(
                    job.kind,
                    reader,
                    outputs[i],
                    job.label,
                    learned,
                    job.source,
                    scrubbed=members.write_next if members is not None else None,
                )
        # Each log's parts joined, with what was learned after their pass began replaced.
        late = learned.since(mark)
        for part, result, count in zip(parts, results, earlier, strict=True):
            _join_part(engine, result, outputs[part.job], late + short[:count], learned, stats[part.job])
        warning = learned.warning()
        if warning is not None:
            for item in stats:
                item.warnings.append(warning)
        # Leaving the block publishes every output (an error before it removes them all).
    return stats


def _near(jobs: list[Job]) -> str | None:
    """Where parts are written: beside the first output written to a file (the disk the
    outputs go to), else the temporary directory."""
    for job in jobs:
        if isinstance(job.target, Path):
            return str(job.target.parent)
    return None


@contextlib.contextmanager
def _output(job: Job) -> Iterator[BinaryIO]:
    """Where a job's output is written until the run publishes it: a temporary file beside
    its destination (atomic.py), or a spool copied to its target stream (stdout)."""
    target = job.target
    if isinstance(target, Path):
        with atomic_output(target, mode_from=job.source, readable=True) as out:
            yield out
        return
    with tempfile.TemporaryFile() as spool:
        yield cast(BinaryIO, spool)
        spool.seek(0)
        try:
            shutil.copyfileobj(spool, target, 1 << 20)
            target.flush()
        except OSError as exc:
            raise InputError(f"{job.label}: cannot write the output: {exc.strerror or exc}") from None


def _rewrite(file: BinaryIO, transform: Callable[[BinaryIO, BinaryIO], None]) -> None:
    """Pass what was written to `file` through `transform`, in place."""
    file.flush()
    file.seek(0)
    with tempfile.TemporaryFile() as fixed:
        transform(file, cast(BinaryIO, fixed))
        fixed.seek(0)
        file.seek(0)
        file.truncate()
        shutil.copyfileobj(fixed, file, 1 << 20)
