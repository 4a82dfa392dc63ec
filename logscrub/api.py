"""The public library API: `scrub_text` for the simple case and a reusable `Scrubber`.

The library never prints or exits; every error is a LogscrubError subclass.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import filenames
from .bundles import BundleWalker
from .capture import seal
from .checking import CheckFinding, check_capture, check_text
from .engine import TRACKER_RULE_IDS, Engine
from .errors import InputError, PolicyError
from .explain import ExplainedLine, explain_stream
from .known import known_values
from .learned import LearnedValues
from .model import Entity, Finding, Operator, Stats
from .policy import Policy
from .report import FileReport, Report
from .rulepack import Rule, RulePack, builtin_pack_paths, load_pack, merge_packs
from .run import Job, kind_of, learn_from, open_input, scrub_run
from .sniff import InputKind, sniff_stream
from .stamp import RunStamp, key_id, policy_digest
from .streams import Progress, discard
from .textstream import learn_text_stream, scrub_binary_stream

if TYPE_CHECKING:
    from . import mapping as mapping_export

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class TextResult:
    text: str
    stats: Stats = field(compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class BytesResult:
    data: bytes
    stats: Stats = field(compare=False)


def load_rule_packs(extra: Iterable[PathLike | RulePack] = (), builtin: bool = True) -> list[RulePack]:
    # The built-in packs' regexes are compiled when first used (the tests check them all).
    packs = [load_pack(p, check_patterns=False) for p in builtin_pack_paths()] if builtin else []
    for item in extra:
        packs.append(item if isinstance(item, RulePack) else load_pack(os.fspath(item)))
    return packs


class Scrubber:
    """Rules compiled once, one Policy, one pseudonym mapping: reuse it for a whole run.

    Safe to share across threads. Every method returns what it replaced as Stats.
    """

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        rules: Iterable[PathLike | RulePack] = (),
        builtin_rules: bool = True,
        operators: Mapping[Entity | str, Operator | str] | None = None,
        key: bytes | None = None,
        hyperscan: bool | None = None,
        known: Mapping[Any, Iterable[str]] | None = None,
    ) -> None:
        """`hyperscan`: use Hyperscan to select candidate lines (None: when installed;
        the output is the same either way, only faster). `known`: values the caller knows
        must go, {entity: [values]}, removed in every spelling (see known.py)."""
        policy = policy or Policy()
        if key is not None:
            policy = policy.with_key(key)
        if operators:
            policy = policy.with_operators(operators)
        self.policy = policy
        self.packs = tuple(load_rule_packs(rules, builtin_rules))
        self.rules: tuple[Rule, ...] = merge_packs(self.packs)
        unknown = sorted(policy.disabled_rules - {r.id for r in self.rules} - TRACKER_RULE_IDS)
        if unknown:
            raise PolicyError(
                f"disabled_rules: no rule has the id {unknown[0]!r} (`logscrub rules list` shows them)"
            )
        self.engine = Engine(self.rules, policy, hyperscan=hyperscan)
        if known:
            self.engine.known = known_values(known)
        self._capture_engine: Engine | None = None
        self._stamp: RunStamp | None = None
        self._capture_lock = threading.Lock()

    def mapping(self) -> mapping_export.PseudonymMapping:
        """The original -> pseudonym pairs of this run so far (Policy(record_mapping=True)
        only; for `mapping.encrypt`, never to be stored in the clear)."""
        if self.engine.replacer.mapping is None:
            raise PolicyError("this Scrubber does not record a mapping (Policy(record_mapping=True))")
        # Captures have their own replacer (same-length pseudonyms): their pairs count too.
        replacers = [self.engine.replacer]
        if self._capture_engine is not None:
            replacers.append(self._capture_engine.replacer)
        entries: dict[tuple[str, str, str], None] = {}
        complete = True
        for replacer in replacers:
            with replacer._lock:
                assert replacer.mapping is not None
                entries.update(((e.value, o, p), None) for (e, o), p in replacer.mapping.items())
                complete = complete and replacer.mapping_complete
        from . import mapping as mapping_export  # imports `cryptography`: only when asked

        return mapping_export.PseudonymMapping(tuple(entries), complete)

    def findings(self, text: str) -> list[Finding]:
        """What would be replaced in `text` (spans into `text`), without replacing it."""
        return self.engine.findings(text)

    def scrub_text(self, text: str) -> TextResult:
        """Scrub `text` as a run of its own (see scrub_bytes)."""
        if not isinstance(text, str):
            raise InputError(f"scrub_text takes str, not {type(text).__name__}: use scrub_bytes for bytes")
        result = self.scrub_bytes(text.encode("utf-8", "surrogateescape"))
        return TextResult(result.data.decode("utf-8", "surrogateescape"), result.stats)

    def scrub_bytes(self, data: bytes) -> BytesResult:
        """Scrub a log, capture or bundle held in memory, as a run of its own: a value
        found anywhere in it is replaced everywhere in it (the same bytes as scrub_file)."""
        with tempfile.TemporaryDirectory(prefix="logscrub-") as spool_dir:
            src = Path(spool_dir) / "input"
            src.write_bytes(data)
            out = io.BytesIO()
            stats = scrub_run(self, [Job(src, out, name="<bytes>")])[0]
        return BytesResult(out.getvalue(), stats)

    def scrub_stream(self, src: BinaryIO, dst: BinaryIO, name: str = "<stream>") -> Stats:
        """Scrub a log, a capture or a bundle (told by its first bytes, not its name) read
        once from a stream: values learned count from where they are found on (and, in
        logs, within the bounded look back). A bundle is spooled to a temporary file and
        scrubbed as a run (see run.py)."""
        kind, stream = sniff_stream(src)
        if kind.reader == "archive":
            # An archive arriving on a stream: spooled to a file, since zip needs to seek.
            with tempfile.TemporaryDirectory(prefix="logscrub-") as spool_dir:
                spool = Path(spool_dir) / "bundle"
                with spool.open("wb") as copy:
                    shutil.copyfileobj(stream, copy, 1 << 20)
                return scrub_run(self, [Job(spool, dst, name=name)])[0]
        return self.scrub_input(kind, stream, dst, name, self.engine.new_learned_values(), None)

    def scrub_input(
        self,
        kind: InputKind,
        src: BinaryIO,
        dst: BinaryIO,
        name: str,
        learned: LearnedValues,
        path: Path | None,
        learning: bool = False,
        defer: Callable[[BinaryIO, str], None] | None = None,
        scrubbed: Callable[[BinaryIO], Stats] | None = None,
    ) -> Stats:
        """One input of a run, by the reader its kind needs (`path`: where an archive is;
        `learning`: a learning pass, whose output is thrown away; `defer`: where a learning
        pass over an archive hands its text members; `scrubbed`: what writes an archive's
        next text member, scrubbed already; see run.py)."""
        stats = Stats()
        if kind.reader == "archive":
            assert path is not None
            BundleWalker(self).scrub(
                path, dst, stats, learned, name, learning=learning, defer=defer, scrubbed=scrubbed
            )
        elif kind.reader == "capture":
            from .capture.scrub import scrub_capture

            assert kind.format is not None
            scrub_capture(
                self.capture_engine,
                src,
                dst,
                stats,
                name,
                self.policy.keep_media,
                kind.format,
                learned=learned,
                stamp=self.stamp.comment(),
                learning=learning,
                salvage=self.policy.salvage_captures,
                seal=True,
                seal_key=self.policy.given_key,
            )
        elif learning:
            learn_text_stream(self.engine, src, name, learned)
        else:
            scrub_binary_stream(self.engine, src, dst, stats, name, learned)
        return stats

    # -- what a bundle walk needs (bundles.MemberReaders) ---------------------------------

    def scrub_member(
        self, src: BinaryIO, dst: BinaryIO, name: str, learned: LearnedValues, learning: bool = False
    ) -> Stats:
        kind, stream = sniff_stream(src)
        if kind.reader == "archive":  # nested archives are walked by the walker itself
            raise AssertionError("nested archive given as a member")
        return self.scrub_input(kind, stream, dst, name, learned, None, learning)

    def check_member(
        self, src: BinaryIO, path: str, key: bytes, learned: LearnedValues
    ) -> list[CheckFinding]:
        kind, stream = sniff_stream(src)
        if kind.reader != "capture":
            return list(self._check_input(kind, stream, path, key, learned))
        with tempfile.TemporaryFile() as spool:  # a seal is verified before the packets are read
            shutil.copyfileobj(stream, spool, 1 << 20)
            spool.seek(0)
            if seal.verify(spool, self.policy.given_key):
                return []  # a capture scrub wrote, unchanged since
            return list(self._check_input(kind, spool, path, key, learned))

    def sealed(self, path: PathLike) -> bool:
        """Whether `path` is a capture that scrub wrote and nobody changed since: its seal
        holds (unkeyed, or keyed with this Scrubber's key when one was given; see
        capture/seal.py). `check` passes such a capture and `fix` leaves it alone."""
        return kind_of(Path(path)).reader == "capture" and self._seal_holds(Path(path))

    def _seal_holds(self, capture: Path) -> bool:
        with open_input(capture) as source:
            return seal.verify(source, self.policy.given_key)

    def _check_input(
        self, kind: InputKind, src: BinaryIO, path: str, key: bytes, learned: LearnedValues
    ) -> Iterable[CheckFinding]:
        """The findings of one log or capture, by the reader its kind needs."""
        if kind.reader == "capture":
            assert kind.format is not None
            return check_capture(
                self.capture_engine,
                src,
                path,
                key,
                kind.format,
                self.policy.keep_media,
                learned,
                salvage=self.policy.salvage_captures,
            )
        return check_text(self.engine, src, path, key, learned)

    def name_findings(self, name: str, learned: LearnedValues | None = None) -> tuple[str, list[Finding]]:
        """A file or archive member's name scrubbed (with what the run learned, if given),
        and what was found in it (see filenames.py)."""
        findings = filenames.within_stem(name, self.engine.findings(filenames.detection_view(name), learned))
        return self.engine.scrub(name, Stats(), findings), findings

    def scrub_name(self, name: str) -> str:
        """A file name (or a path) with what it holds replaced, its extensions kept."""
        return self.name_findings(name)[0]

    @property
    def capture_engine(self) -> Engine:
        """The rules under the capture policy (byte-exact replacements), made on first use."""
        with self._capture_lock:
            if self._capture_engine is None:
                self._capture_engine = self.engine.for_captures()
            return self._capture_engine

    def scrub_file(
        self, src: PathLike, dst: PathLike, progress: Callable[[int], None] | None = None
    ) -> Stats:
        """Scrub `src` (a log, a capture or a bundle: told by its content) into `dst`
        atomically: `dst` appears complete or not at all. `src` and `dst` may be the same
        path (in-place). `progress` is told how many more bytes were read, as they are."""
        return scrub_run(self, [Job(Path(src), Path(dst), progress)])[0]

    def scrub_files(
        self,
        pairs: Iterable[tuple[PathLike, PathLike | BinaryIO]],
        progress: Callable[[int], None] | None = None,
        jobs: int = 1,
    ) -> Report:
        """Scrub each (source, destination) pair as one run: a value found in one file is
        replaced in all of them (see run.py). Outputs appear only when all are complete.
        A destination may be a binary stream (stdout). `jobs`: worker processes for the
        logs (forked; the output is the same for any number, see parts.py). The run's
        Report."""
        started = time.monotonic()
        report = self.report()
        run = [
            Job(Path(src), dst if not isinstance(dst, (str, os.PathLike)) else Path(dst), progress)
            for src, dst in pairs
        ]
        for job, stats in zip(run, scrub_run(self, run, workers=jobs), strict=True):
            target = str(job.target) if isinstance(job.target, Path) else "-"
            report.files.append(FileReport(str(job.source), target, stats))
        report.duration_seconds = time.monotonic() - started
        return report

    def report(self) -> Report:
        """An empty Report for a run of this Scrubber (versions of logscrub and its rule
        packs, and the run stamp: policy digest and key id, never the key)."""
        packs = [{"name": p.name, "version": p.version, "source": p.source} for p in self.packs]
        return Report(rule_packs=packs, stamp=self.stamp.to_dict())

    @property
    def stamp(self) -> RunStamp:
        """What every output of this Scrubber says about how it was scrubbed."""
        if self._stamp is None:
            from . import __version__

            packs = tuple((p.name, p.version) for p in self.packs)
            self._stamp = RunStamp(__version__, packs, policy_digest(self.policy), key_id(self.policy.key))
        return self._stamp

    def check(self, path: PathLike, *, digest_key: bytes | None = None) -> list[CheckFinding]:
        """What scrubbing `path` would replace (a log, a capture or a bundle), without
        writing anything: each finding's place, entity, rule id and a keyed digest of the
        value (`digest_key`, by default this Scrubber's pseudonym key), never the value."""
        return self.check_files([path], digest_key=digest_key)

    def check_files(
        self, paths: Iterable[PathLike], *, digest_key: bytes | None = None
    ) -> list[CheckFinding]:
        """`check` over several inputs as one run: every input is learned from first, so
        a value found in one is reported wherever it occurs in any (see run.py)."""
        return list(self.iter_check(paths, digest_key=digest_key))

    def iter_check(
        self,
        paths: Iterable[PathLike],
        *,
        digest_key: bytes | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[CheckFinding]:
        """check_files, one finding at a time (the findings of a log are not held: a
        consumer that writes them as they come stays in scrub's memory bound). `progress`
        is told how many more bytes of the logs and captures were checked, as they are."""
        key = digest_key or self.policy.key
        jobs = [Job(Path(p), discard()) for p in paths]
        learned = self.engine.new_learned_values()
        for job in jobs:
            job.kind = kind_of(job.source)
        # A capture scrub wrote and nobody changed since passes: its pseudonyms look like
        # addresses and numbers by design (see capture/seal.py).
        jobs = [job for job in jobs if not (job.kind.reader == "capture" and self._seal_holds(job.source))]
        for job in jobs:
            learn_from(self, job, learned)
        for job in jobs:
            if job.kind.reader == "archive":
                yield from BundleWalker(self).check(job.source, key, learned)
                continue
            with open_input(job.source) as source:
                reader = Progress.wrap(source, progress)
                yield from self._check_input(job.kind, reader, str(job.source), key, learned)

    def explain(self, src: BinaryIO) -> Iterator[ExplainedLine]:
        """Each line of `src` with its findings (entity, rule id, what the policy does),
        as `scrub` finds them. A seekable `src` is learned from first (values found late
        are shown where they occur earlier too, as `scrub` replaces them there).

        The lines hold the original values: for a person to read, never to store."""
        learned = self.engine.new_learned_values()
        if src.seekable():
            start = src.tell()
            scratch = self.engine.new_learned_values()
            learn_text_stream(self.engine, src, "<explain>", scratch)
            learned.absorb(scratch)
            src.seek(start)
        return explain_stream(self.engine, src, learned)


_default: Scrubber | None = None


def scrub_text(text: str, policy: Policy | None = None) -> str:
    """Scrub `text` with the built-in rules and default operators.

    Calls without a policy share one Scrubber (so one random key) per process.
    """
    global _default
    if policy is not None:
        return Scrubber(policy).scrub_text(text).text
    if _default is None:
        _default = Scrubber()
    return _default.scrub_text(text).text
