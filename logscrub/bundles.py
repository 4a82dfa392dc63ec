"""Log bundles: zip, tar (plain, gzip, bzip2, xz) and single gzip / bzip2 / xz files,
nested to any depth the policy allows, scrubbed into a bundle of the same structure.

Each member's reader is picked by its content (text log, pcap / pcapng, nested archive),
never by its name. Member names are scrubbed too (they often hold phone numbers or MACs).
Members that are neither text nor captures follow the policy (`archive_binary`: dropped
by default, and listed in the report). Hostile archives are refused with an error that
names the member, before anything is written: names that climb out (`..`) or are
absolute, symbolic and hard links, devices, more members, more nesting or more expanded
bytes than the policy allows (the expanded total is also bounded by a ratio to the
bundle's own size, counted as bytes are actually read: declared sizes can lie).
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import itertools
import json
import lzma
import re
import shutil
import stat
import struct
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO, Protocol, cast

from . import encodings
from .capture import seal
from .checking import CheckFinding, digest
from .errors import InputError
from .learned import LearnedValues
from .model import Finding, Stats
from .policy import Policy
from .sniff import archive_format, sniff
from .stamp import MANIFEST_NAME, RunStamp
from .streams import discard, rejoined


class MemberReaders(Protocol):
    """What a bundle walk needs from its caller (the api layer): the readers for the
    members it finds, and name scrubbing. Passed in, so this module depends on nothing above."""

    policy: Policy

    @property
    def stamp(self) -> RunStamp: ...

    def scrub_member(
        self, src: BinaryIO, dst: BinaryIO, name: str, learned: LearnedValues, learning: bool = False
    ) -> Stats: ...

    def check_member(
        self, src: BinaryIO, path: str, key: bytes, learned: LearnedValues
    ) -> list[CheckFinding]: ...

    def name_findings(self, name: str, learned: LearnedValues) -> tuple[str, list[Finding]]: ...


_SNIFF = 512
_COPY = 1 << 16
# Members up to this size are scrubbed in memory before they go into a tar (which needs
# each member's size first); larger ones spill to a temporary file.
_SPOOL = 8 << 20
# A manifest bigger than this is not one logscrub wrote: it is not read for seals.
_MAX_MANIFEST = 64 << 20
_COMPRESSORS: dict[str, Callable[..., Any]] = {
    "gzip": gzip.open,
    "bzip2": bz2.open,
    "xz": lzma.open,
}


class _Budget:
    """Expanded bytes, members and depth, shared by every level of one bundle."""

    def __init__(self, name: str, size: int, policy: Policy) -> None:
        self.name = name
        self.left = min(policy.archive_max_bytes, policy.archive_max_ratio * max(size, 1) + (1 << 20))
        self.limit = self.left
        self.members_left = policy.archive_max_members
        self.max_depth = policy.archive_max_depth

    def refuse(self, member: str, why: str) -> InputError:
        return InputError(f"{self.name}: refused archive member {member}: {why}")

    def member(self, name: str) -> None:
        self.members_left -= 1
        if self.members_left < 0:
            raise self.refuse(name, "too many members (policy archive_max_members)")

    def take(self, count: int, member: str) -> None:
        self.left -= count
        if self.left < 0:
            raise self.refuse(
                member,
                f"the bundle expands past {self.limit} bytes (a zip bomb? policy archive_max_bytes / _ratio)",
            )


# What a decompressor or an archive reader raises on a damaged or cut-short stream (a bad
# CRC, an invalid distance, a missing end-of-stream marker, headers that disagree, an
# extra field cut short, an unknown compression method). Only their own calls are guarded.
CORRUPT_ERRORS = (
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
    tarfile.TarError,
    ValueError,
    IndexError,
    KeyError,
    struct.error,
    NotImplementedError,
    OverflowError,
)


class _Counted(io.RawIOBase):
    """A member's reader whose every byte counts against the budget, and whose damage is an
    input error that names the member (never an unexpected one)."""

    def __init__(self, src: IO[bytes], budget: _Budget, member: str) -> None:
        self.src = src
        self.budget = budget
        self.member = member

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            data = self.src.read(-1 if size is None else size)
        except CORRUPT_ERRORS as exc:
            raise InputError(f"{self.budget.name}: {self.member}: {corruption(exc)}") from None
        self.budget.take(len(data), self.member)
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_QUOTED = re.compile("b?'[^']*'|b?\"[^\"]*\"")


def corruption(exc: BaseException) -> str:
    """What went wrong in a damaged stream, in words that hold no member name (zipfile's
    messages quote the names it compares, and names are personal data)."""
    if isinstance(exc, zipfile.BadZipFile) and "differ" in str(exc):
        return "corrupt zip: the member's name in the central directory and in its local header differ"
    if isinstance(exc, EOFError) or "end-of-stream" in str(exc):
        return "truncated: the compressed data ends before its end marker"
    if "CRC" in str(exc) or "crc" in str(exc):
        return "corrupt: the data does not match its checksum (CRC)"
    said = _QUOTED.sub("'…'", str(exc))  # a name a library quotes in its message
    if isinstance(exc, zipfile.BadZipFile):
        return f"corrupt zip: {said}"
    if isinstance(exc, NotImplementedError):
        return f"unsupported: {said}"
    return f"corrupt data: {type(exc).__name__}: {said}"


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(name: str) -> str:
    """A member name as reports, warnings and errors print it: control characters (an
    archive may name a member `\x1b]0;...\x07`, a terminal escape) and bidi overrides
    written as escapes."""
    return _CONTROLS.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\u0100" else f"\\u{ord(m.group()):04x}", name
    )


def _safe_name(name: str, label: str, budget: _Budget) -> None:
    """Refuse a member whose name climbs out of the archive (`label`: its name as printed)."""
    if not name:
        raise budget.refuse("(unnamed)", "an empty name")
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        raise budget.refuse(label, "its name leaves the archive (absolute path or '..')")


@dataclass
class _Visit:
    """What one walk does with each content member: scrub it, learn from it, or check it."""

    budget: _Budget
    stats: Stats
    learned: LearnedValues
    key: bytes | None = None  # check mode: the digest key
    findings: list[CheckFinding] | None = None
    learning: bool = False  # a learning pass (run.py): members read, nothing written
    # A learning pass may hand text members to its caller, which learns from them later
    # (on several processes, see run.py): `defer(member bytes, name)`.
    defer: Callable[[BinaryIO, str], None] | None = None
    # A writing walk after such a learning pass: what writes the next text member's
    # output (scrubbed during that pass) into the member, and its counts.
    scrubbed: Callable[[BinaryIO], Stats] | None = None
    # Scrubbing: each written member's seal (a digest of the bytes written), for the
    # manifest.
    seals: dict[str, str] = field(default_factory=dict)
    # Checking: the seals and member names an earlier run's manifest lists (members whose
    # bytes have one of those seals are that run's output, unchanged: see capture/seal.py).
    listed_seals: frozenset[str] = frozenset()
    sealed_names: frozenset[str] = frozenset()

    @property
    def checking(self) -> bool:
        return self.findings is not None

    @property
    def writes(self) -> bool:
        return not (self.checking or self.learning)


class BundleWalker:
    """Walks one bundle, member by member, through the readers it is given."""

    def __init__(self, readers: MemberReaders) -> None:
        self.readers = readers
        self.policy = readers.policy

    # -- entry points -------------------------------------------------------------------

    def scrub(
        self,
        src: Path,
        dst: BinaryIO,
        stats: Stats,
        learned: LearnedValues,
        name: str | None = None,
        learning: bool = False,
        defer: Callable[[BinaryIO, str], None] | None = None,
        scrubbed: Callable[[BinaryIO], Stats] | None = None,
    ) -> None:
        """Scrub the bundle at `src` into `dst` (`name`: what errors call it, if not `src`;
        `learned`: the run's learned values; `learning`: only learn, write nothing; `defer`:
        with `learning`, where text members go instead of being learned from here;
        `scrubbed`: in the writing walk after such a pass, what writes each text member
        as that pass scrubbed it, in the order both walks meet them)."""
        label = name or str(src)
        visit = _Visit(
            _Budget(label, src.stat().st_size, self.policy),
            stats,
            learned,
            learning=learning,
            defer=defer,
            scrubbed=scrubbed,
        )
        with src.open("rb") as source:
            self._archive(source, dst, visit, label, "", 1)

    def check(self, src: Path, key: bytes, learned: LearnedValues) -> list[CheckFinding]:
        visit = _Visit(_Budget(str(src), src.stat().st_size, self.policy), Stats(), learned, key, [])
        with src.open("rb") as source:
            # Only seals this check can verify count (a keyed one needs the key).
            kinds = {seal.seal_kind(None), seal.seal_kind(self.policy.given_key)}
            listed = [(s, n) for s, n in _manifest_seals(source) if s.split(":", 1)[0] in kinds]
            visit.listed_seals = frozenset(s for s, _ in listed)
            visit.sealed_names = frozenset(n for _, n in listed)
            source.seek(0)
            self._archive(source, discard(), visit, str(src), "", 1)
        assert visit.findings is not None
        return visit.findings

    # -- archives -----------------------------------------------------------------------

    def _archive(
        self, src: BinaryIO, dst: BinaryIO, visit: _Visit, path: str, prefix: str, depth: int
    ) -> None:
        if depth > visit.budget.max_depth:
            raise visit.budget.refuse(
                prefix.rstrip("!") or path, "archives nested too deep (policy archive_max_depth)"
            )
        head = src.read(_SNIFF)
        src.seek(0)
        kind = archive_format(head)
        if kind == "zip":
            self._zip(src, dst, visit, path, prefix, depth)
        elif kind == "tar":
            self._tar(src, dst, visit, path, prefix, depth, "")
        elif kind in _COMPRESSORS:
            self._compressed(src, dst, visit, path, prefix, depth, kind)
        else:
            raise InputError(f"{path}: not an archive")

    def _compressed(
        self, src: BinaryIO, dst: BinaryIO, visit: _Visit, path: str, prefix: str, depth: int, kind: str
    ) -> None:
        inner = _Counted(
            cast(IO[bytes], _COMPRESSORS[kind](src, "rb")), visit.budget, prefix + "(compressed)"
        )
        head = inner.read(_SNIFF)
        if head[257:262] == b"ustar":
            src.seek(0)
            mode = {"gzip": "gz", "bzip2": "bz2", "xz": "xz"}[kind]
            self._tar(src, dst, visit, path, prefix, depth, mode)
            return
        # A single compressed file: its content, compressed again the same way.
        reader = rejoined(head, inner)
        name = prefix + "(content)"
        if not visit.writes:
            out_context: Any = _nullcontext(dst)
        elif kind == "gzip":
            out_context = _gzip_writer(dst, getattr(inner.src, "mtime", None) or 0)
        else:
            out_context = _COMPRESSORS[kind](dst, "wb")
        with out_context as out:
            self._content(reader, cast(BinaryIO, out), visit, path, name, depth)

    def _zip(self, src: BinaryIO, dst: BinaryIO, visit: _Visit, path: str, prefix: str, depth: int) -> None:
        budget = visit.budget
        try:
            archive = zipfile.ZipFile(src)
        except CORRUPT_ERRORS as exc:
            raise InputError(f"{path}: {prefix}{corruption(exc)}") from None
        with archive, _zip_writer(dst, visit.writes) as out:
            _refuse_overlaps(archive, budget, path, prefix)
            for info in archive.infolist():
                if depth == 1 and info.filename == MANIFEST_NAME:
                    continue  # an earlier run's manifest: this run writes its own
                name = self._name(info.filename, visit, path, prefix)
                member = prefix + shown(name)  # reports and errors name members as they are written
                budget.member(member)
                _safe_name(info.filename, shown(name), budget)
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise budget.refuse(member, "symbolic link")
                if info.is_dir():
                    if out is not None:
                        out.writestr(_zip_info(info, name), b"")
                    continue
                if info.flag_bits & 0x1:
                    self._dropped(visit, member, "encrypted")
                    continue
                try:
                    raw = archive.open(info)
                except CORRUPT_ERRORS as exc:
                    raise InputError(f"{path}: {member}: {corruption(exc)}") from None
                with raw:
                    reader = _Counted(raw, budget, member)
                    head = reader.read(_SNIFF)
                    if self._is_dropped_binary(head, visit, member):
                        continue
                    if out is None:
                        self._content(rejoined(head, reader), discard(), visit, path, member, depth, head)
                        continue
                    with out.open(_zip_info(info, name), "w", force_zip64=True) as target:
                        self._content(
                            rejoined(head, reader), cast(BinaryIO, target), visit, path, member, depth, head
                        )
            if out is not None and depth == 1:
                manifest = zipfile.ZipInfo(MANIFEST_NAME, date_time=(1980, 1, 1, 0, 0, 0))
                manifest.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(manifest, self._manifest(visit))

    def _tar(
        self, src: BinaryIO, dst: BinaryIO, visit: _Visit, path: str, prefix: str, depth: int, mode: str
    ) -> None:
        budget = visit.budget
        compressed: IO[bytes] | None = None
        if visit.writes and mode == "gz":
            # tarfile's own gzip stream stamps the clock into its header; the input's stamp
            # keeps the output reproducible. Read before tarfile reads `src`: a seek under
            # its stream would feed it the same bytes twice.
            start = src.tell()
            compressed = _gzip_writer(dst, int.from_bytes(src.read(8)[4:8], "little"))
            src.seek(start)
        try:
            archive = tarfile.open(fileobj=src, mode=f"r|{mode}")  # type: ignore[call-overload]  # noqa: SIM115
        except CORRUPT_ERRORS as exc:
            raise InputError(f"{path}: {prefix}corrupt tar: {corruption(exc)}") from None
        writer = (
            None
            if not visit.writes
            else tarfile.open(  # noqa: SIM115
                fileobj=compressed or dst,
                mode="w|" if compressed else f"w|{mode}",  # type: ignore[call-overload]
                format=tarfile.PAX_FORMAT,
            )
        )
        try:
            for info in _members(archive, path, prefix):
                if depth == 1 and info.name == MANIFEST_NAME:
                    continue  # an earlier run's manifest: this run writes its own
                name = self._name(info.name, visit, path, prefix)
                member = prefix + shown(name)
                budget.member(member)
                _safe_name(info.name, shown(name), budget)
                if info.issym() or info.islnk():
                    raise budget.refuse(member, "symbolic or hard link")
                if not (info.isreg() or info.isdir()):
                    raise budget.refuse(member, "device, fifo or other special file")
                new = tarfile.TarInfo(name)
                new.mode, new.mtime, new.type = info.mode, info.mtime, info.type
                if info.isdir():
                    if writer is not None:
                        writer.addfile(new)
                    continue
                raw = archive.extractfile(info)
                assert raw is not None
                reader = _Counted(raw, budget, member)
                head = reader.read(_SNIFF)
                if self._is_dropped_binary(head, visit, member):
                    continue
                if writer is None:
                    self._content(rejoined(head, reader), discard(), visit, path, member, depth, head)
                    continue
                with tempfile.SpooledTemporaryFile(_SPOOL) as spool:
                    self._content(
                        rejoined(head, reader), cast(BinaryIO, spool), visit, path, member, depth, head
                    )
                    new.size = spool.tell()
                    spool.seek(0)
                    writer.addfile(new, spool)
            if writer is not None and depth == 1:
                data = self._manifest(visit)
                manifest = tarfile.TarInfo(MANIFEST_NAME)
                manifest.size, manifest.mode, manifest.mtime = len(data), 0o644, 0
                writer.addfile(manifest, io.BytesIO(data))
        except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError) as exc:
            raise InputError(f"{path}: {prefix}corrupt archive: {corruption(exc)}") from None
        finally:
            archive.close()
            if writer is not None:
                writer.close()
            if compressed is not None:
                compressed.close()

    # -- members ------------------------------------------------------------------------

    def _manifest(self, visit: _Visit) -> bytes:
        """LOGSCRUB-MANIFEST.json: the run stamp and each member's fate (counts only)."""
        keep = ("member", "action", "reason", "bytes_in", "lines", "packets", "replaced", "by_entity")
        members = [{k: m[k] for k in keep if k in m} for m in visit.stats.members]
        for entry in members:
            seal = visit.seals.get(str(entry["member"]))
            if seal is not None:
                entry["seal"] = seal
        return self.readers.stamp.manifest(members)

    def _name(self, name: str, visit: _Visit, path: str, prefix: str) -> str:
        """A member name, scrubbed like text (`call-+14155550123.log`); in check mode what
        it holds is a finding too."""
        scrubbed, findings = self.readers.name_findings(name, visit.learned)
        if prefix + shown(name) in visit.sealed_names:
            return scrubbed  # a name an earlier run wrote (its manifest lists it): a pseudonym
        if visit.findings is not None and visit.key is not None and scrubbed != name:
            for found in findings:
                entity = found.entity.value
                value = digest(visit.key, entity, name[found.start : found.end])
                visit.findings.append(
                    CheckFinding(path, entity, found.rule_id, value, member=prefix + scrubbed)
                )
        return scrubbed

    def _sealed(self, src: BinaryIO, spool: BinaryIO, visit: _Visit) -> bool:
        """Copy a member into `spool` (left at its start) and tell whether its bytes have
        a seal the manifest lists (unkeyed, or keyed with this run's key)."""
        keys: list[bytes | None] = [None]
        if self.policy.given_key is not None:
            keys.append(self.policy.given_key)
        hashes = [(seal.seal_kind(k), seal.digest_of(k)()) for k in keys]
        while chunk := src.read(_COPY):
            spool.write(chunk)
            for _, h in hashes:
                h.update(chunk)
        spool.seek(0)
        return any(f"{kind}:{h.hexdigest()}" in visit.listed_seals for kind, h in hashes)

    def _is_dropped_binary(self, head: bytes, visit: _Visit, member: str) -> bool:
        if b"\x00" not in head or not sniff(head).is_text or encodings.detect(head).wide:
            return False  # (NUL bytes of UTF-16 / UTF-32 text are text)
        if self.policy.archive_binary == "scan":
            return False
        self._dropped(visit, member, "binary, neither text nor a capture (policy archive_binary=drop)")
        return True

    def _dropped(self, visit: _Visit, member: str, why: str) -> None:
        visit.stats.warnings.append(f"{member}: dropped: {why}")
        visit.stats.members.append({"member": member, "action": "dropped", "reason": why})

    def _content(
        self,
        src: BinaryIO,
        dst: BinaryIO,
        visit: _Visit,
        path: str,
        member: str,
        depth: int,
        head: bytes | None = None,
    ) -> None:
        """One member's bytes (a log, a capture or a nested archive) into `dst`."""
        if head is None:
            head = src.read(_SNIFF)
            src = rejoined(head, src)
        if archive_format(head):
            with _spooled(src) as nested, tempfile.TemporaryFile() as out:
                self._archive(nested, cast(BinaryIO, out), visit, path, member + "!", depth + 1)
                out.seek(0)
                shutil.copyfileobj(out, dst, _COPY)
            return
        if visit.checking:
            assert visit.findings is not None and visit.key is not None
            with contextlib.ExitStack() as stack:
                if visit.listed_seals:  # the member is read twice: for its seal, then checked
                    spool = cast(BinaryIO, stack.enter_context(tempfile.TemporaryFile()))
                    if self._sealed(src, spool, visit):
                        return  # an earlier run's output, unchanged since: its pseudonyms pass
                    src = spool
                found = self.readers.check_member(src, path, visit.key, visit.learned)
            visit.findings.extend(replace(f, member=member) for f in found)
            return
        if visit.learning:
            if visit.defer is not None and sniff(head).is_text:
                visit.defer(src, f"{path}!{member}")
                return
            stats = self.readers.scrub_member(src, dst, f"{path}!{member}", visit.learned, learning=True)
        else:
            written = _Hashing(dst, seal.digest_of(self.policy.given_key)())
            if visit.scrubbed is not None and sniff(head).is_text:
                stats = visit.scrubbed(cast(BinaryIO, written))  # (the member's bytes stay unread)
            elif sniff(head).reader == "capture" and not _seekable(dst):
                # A capture's own seal is written back at its end (capture/seal.py):
                # scrubbed into a file, then copied into the archive.
                with tempfile.TemporaryFile() as spool:
                    stats = self.readers.scrub_member(src, spool, f"{path}!{member}", visit.learned)
                    spool.seek(0)
                    shutil.copyfileobj(spool, written, _COPY)
            else:
                stats = self.readers.scrub_member(
                    src, cast(BinaryIO, written), f"{path}!{member}", visit.learned
                )
            visit.seals[member] = f"{seal.seal_kind(self.policy.given_key)}:{written.hash.hexdigest()}"
        visit.stats.merge(stats)
        visit.stats.members.append({"member": member, "action": "scrubbed", **stats.to_dict()})


class _Hashing:
    """A writer that hashes what it passes on."""

    def __init__(self, dst: BinaryIO, digest: Any) -> None:
        self.dst = dst
        self.hash = digest

    def write(self, data: bytes | bytearray, /) -> int:
        self.hash.update(data)
        return self.dst.write(data)

    def flush(self) -> None:
        self.dst.flush()


def _manifest_seals(src: BinaryIO) -> list[tuple[str, str]]:
    """(seal, member name as written) of each member the LOGSCRUB-MANIFEST.json that a run
    wrote into the bundle `src` (a zip or a tar, compressed or not) lists, or none. A
    manifest that cannot be read or parsed gives none: its members are then checked as
    usual."""
    head = src.read(_SNIFF)
    src.seek(0)
    data: bytes | None = None
    try:
        if archive_format(head) == "zip":
            with zipfile.ZipFile(src) as archive:
                if MANIFEST_NAME in archive.namelist():
                    data = archive.read(MANIFEST_NAME)
        elif archive_format(head) == "tar" or archive_format(head) in _COMPRESSORS:
            with tarfile.open(fileobj=src, mode="r|*") as archive:
                for info in archive:
                    if info.name == MANIFEST_NAME and info.isreg() and info.size < _MAX_MANIFEST:
                        extracted = archive.extractfile(info)
                        data = extracted.read() if extracted is not None else None
        members = json.loads(data)["members"] if data is not None else []
        return [
            (str(m["seal"]), str(m.get("member"))) for m in members if isinstance(m, dict) and "seal" in m
        ]
    except (*CORRUPT_ERRORS, ValueError, KeyError, TypeError):
        return []  # the walk that follows reports what is wrong with the archive
    finally:
        src.seek(0)


def _seekable(stream: BinaryIO) -> bool:
    seekable = getattr(stream, "seekable", None)
    return bool(seekable is not None and seekable())


def _refuse_overlaps(archive: zipfile.ZipFile, budget: _Budget, path: str, prefix: str) -> None:
    """Members whose data overlap (several central-directory entries on one local header,
    or on part of another member's data) are how a zip bomb expands a small file past any
    ratio without nesting (Fifield's "non-recursive zip bomb"): refused before any member is
    read. A member spans at least its local header (30 bytes and its name) and its
    compressed data; the next member's local header must not start inside that."""
    infos = sorted(archive.infolist(), key=lambda info: info.header_offset)
    for this, following in itertools.pairwise(infos):
        name_length = len(
            this.orig_filename.encode("utf-8" if this.flag_bits & 0x800 else "cp437", "replace")
        )
        end = this.header_offset + 30 + name_length + this.compress_size
        if following.header_offset < end:
            raise InputError(
                f"{path}: {prefix}refused zip: members overlap (several entries share their data: "
                "a zip bomb?)"
            )


def _members(archive: tarfile.TarFile, path: str, prefix: str) -> Iterator[tarfile.TarInfo]:
    try:
        yield from archive
    except CORRUPT_ERRORS as exc:
        raise InputError(f"{path}: {prefix}corrupt tar: {corruption(exc)}") from None


def _zip_info(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(name, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    return new


@contextmanager
def _zip_writer(dst: BinaryIO, writes: bool) -> Iterator[zipfile.ZipFile | None]:
    if not writes:
        yield None
        return
    with zipfile.ZipFile(dst, "w") as out:
        yield out


def _gzip_writer(dst: BinaryIO, mtime: int) -> IO[bytes]:
    """A gzip stream into `dst` whose header carries the input's time and no file name:
    the output depends on the input, never on the clock or a temporary file's name."""
    return cast(IO[bytes], gzip.GzipFile(filename="", mode="wb", fileobj=dst, mtime=mtime))


@contextmanager
def _spooled(src: BinaryIO) -> Iterator[BinaryIO]:
    """A seekable copy of a nested archive (zip needs to seek)."""
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(src, copy, _COPY)
        copy.seek(0)
        yield cast(BinaryIO, copy)


@contextmanager
def _nullcontext(dst: BinaryIO) -> Iterator[BinaryIO]:
    yield dst
