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
from typing import TYPE_CHECKING, BinaryIO, cast

from .atomic import atomic_output
from .bundles import BundleWalker, is_bundle
from .capture.magic import capture_format
from .checking import CheckFinding, check_capture, check_text
from .engine import Engine
from .errors import InputError, PolicyError
from .explain import ExplainedLine, explain_stream
from .model import Entity, Finding, Operator, Stats
from .policy import Policy
from .report import FileReport, Report
from .rulepack import Rule, RulePack, builtin_pack_paths, load_pack, merge_packs
from .streams import rejoined
from .textstream import scrub_binary_stream, scrub_text_stream

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
    packs = [load_pack(p) for p in builtin_pack_paths()] if builtin else []
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
    ) -> None:
        """`hyperscan`: use Hyperscan to select candidate lines (None: when installed;
        the output is the same either way, only faster)."""
        policy = policy or Policy()
        if key is not None:
            policy = policy.with_key(key)
        if operators:
            policy = policy.with_operators(operators)
        self.policy = policy
        self.packs = tuple(load_rule_packs(rules, builtin_rules))
        self.rules: tuple[Rule, ...] = merge_packs(self.packs)
        self.engine = Engine(self.rules, policy, hyperscan=hyperscan)
        self._capture_engine: Engine | None = None
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
        stats = Stats(bytes_in=len(text.encode("utf-8", "surrogateescape")), lines=text.count("\n"))
        out = scrub_text_stream(self.engine, text, stats)
        stats.bytes_out = len(out.encode("utf-8", "surrogateescape"))
        return TextResult(out, stats)

    def scrub_bytes(self, data: bytes) -> BytesResult:
        out = io.BytesIO()
        stats = self.scrub_stream(io.BytesIO(data), out)
        return BytesResult(out.getvalue(), stats)

    def scrub_stream(self, src: BinaryIO, dst: BinaryIO, name: str = "<stream>") -> Stats:
        """Scrub a log or a capture (pcap / pcapng, told by its first bytes, not its name)."""
        stats = Stats()
        head = src.read(512)
        if is_bundle(head):
            # An archive arriving on a stream: spooled to a file, since zip needs to seek.
            with tempfile.TemporaryDirectory(prefix="logscrub-") as spool_dir:
                spool = Path(spool_dir) / "bundle"
                with spool.open("wb") as copy:
                    copy.write(head)
                    shutil.copyfileobj(src, copy, 1 << 20)
                BundleWalker(self).scrub(spool, dst, stats, name)
            return stats
        source = rejoined(head, src)
        fmt = capture_format(head[:12])
        if fmt is not None:
            from .capture.scrub import scrub_capture

            scrub_capture(self.capture_engine, source, dst, stats, name, self.policy.keep_media, fmt)
        else:
            scrub_binary_stream(self.engine, source, dst, stats, name)
        return stats

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
        path (in-place). `progress` is told how many more bytes were read, as they are
        (logs and captures; a bundle is read by its members)."""
        src_path, dst_path = Path(src), Path(dst)
        try:
            source = open(src_path, "rb")  # noqa: SIM115 - closed before the rename below
        except OSError as exc:
            raise InputError(f"{src_path}: cannot read: {exc.strerror or exc}") from None
        with source, atomic_output(dst_path, mode_from=src_path) as out:
            if is_bundle(source.read(512)):
                stats = Stats()
                BundleWalker(self).scrub(src_path, out, stats)
                return stats
            source.seek(0)
            reader = cast(BinaryIO, _Progress(source, progress)) if progress is not None else source
            return self.scrub_stream(reader, out, str(src_path))

    def scrub_files(self, pairs: Iterable[tuple[PathLike, PathLike]]) -> Report:
        """Scrub each (source, destination) pair with scrub_file; the run's Report."""
        started = time.monotonic()
        report = self.report()
        for src, dst in pairs:
            report.files.append(FileReport(str(src), str(dst), self.scrub_file(src, dst)))
        report.duration_seconds = time.monotonic() - started
        return report

    def report(self) -> Report:
        """An empty Report for a run of this Scrubber (versions of logscrub and its rule packs)."""
        packs = [{"name": p.name, "version": p.version, "source": p.source} for p in self.packs]
        return Report(rule_packs=packs)

    def check(self, path: PathLike, *, digest_key: bytes | None = None) -> list[CheckFinding]:
        """What scrubbing `path` would replace (a log or a capture), without writing
        anything: each finding's place, entity, rule id and a keyed digest of the value
        (`digest_key`, by default this Scrubber's pseudonym key), never the value."""
        key = digest_key or self.policy.key
        source_path = Path(path)
        try:
            source = open(source_path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"{source_path}: cannot read: {exc.strerror or exc}") from None
        with source:
            if is_bundle(source.read(512)):
                return BundleWalker(self).check(source_path, key)
            source.seek(0)
            head = source.read(12)
            stream = rejoined(head, source)
            fmt = capture_format(head)
            if fmt is not None:
                return check_capture(self.capture_engine, stream, str(path), key, fmt, self.policy.keep_media)
            return list(check_text(self.engine, stream, str(path), key))

    def explain(self, src: BinaryIO) -> Iterator[ExplainedLine]:
        """Each line of `src` with its findings (entity, rule id, what the policy does).

        The lines hold the original values: for a person to read, never to store."""
        return explain_stream(self.engine, src)


class _Progress:
    """A source that tells `progress` how many bytes each read returned."""

    def __init__(self, src: BinaryIO, progress: Callable[[int], None]) -> None:
        self.src = src
        self.progress = progress

    def read(self, size: int = -1, /) -> bytes:
        data = self.src.read(size)
        self.progress(len(data))
        return data


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
