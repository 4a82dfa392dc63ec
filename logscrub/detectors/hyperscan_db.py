"""The optional Hyperscan engine: compiled databases, per-thread scratch, the text view.

Hyperscan matches many expressions in one pass over bytes, far faster than running a
Python regex per rule. It is optional (wheels exist for x86-64 Linux, macOS and
Windows); every user has a pure-Python fallback that gives the same output.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import cachefiles
from ..cachefiles import CACHE_ENV as CACHE_ENV  # re-exported: tests and callers set it

hyperscan: Any
try:  # pragma: no cover - which branch runs depends on the platform
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None


DISABLE_ENV = "LOGSCRUB_HYPERSCAN"


def available() -> bool:
    """Hyperscan is installed and not turned off with LOGSCRUB_HYPERSCAN=0."""
    return hyperscan is not None and os.environ.get(DISABLE_ENV, "1") != "0"


def flag(name: str) -> int:
    """A Hyperscan compile flag by name (`HS_FLAG_CASELESS`), 0 without Hyperscan."""
    return int(getattr(hyperscan, name)) if hyperscan is not None else 0


class DatabaseError(Exception):
    """Hyperscan refused an expression (too large, unsupported); callers name the rule."""


def cache_dir() -> Path | None:
    """Where compiled databases of the rule packs are kept between runs: $LOGSCRUB_CACHE_DIR
    (empty: no cache), else $XDG_CACHE_HOME/logscrub or ~/.cache/logscrub."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "logscrub"


class Database:
    """Compiled expressions (bytes) with one scratch space per thread, so one Database can
    be shared by every thread of a Scrubber."""

    def __init__(
        self, expressions: Sequence[bytes], flags: Sequence[int], literal: bool = False, cache: bool = False
    ) -> None:
        """`literal`: the expressions are plain byte strings (Hyperscan's literal API).
        `cache`: keep the compiled database on disk for later runs (compiling the rule packs'
        databases takes a good part of a second). Only for databases built from rules: a
        stream's learned values are personal data and never written anywhere."""
        if hyperscan is None:
            raise RuntimeError("hyperscan is not installed")
        self._database: Any = None
        if expressions:
            path = _cache_path(expressions, flags, literal) if cache else None
            self._database = _load(path) if path is not None else None
            if self._database is None:
                self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
                try:
                    self._database.compile(
                        expressions=list(expressions),
                        ids=list(range(len(expressions))),
                        elements=len(expressions),
                        flags=list(flags),
                        literal=literal,
                    )
                except hyperscan.error as exc:
                    raise DatabaseError(str(exc)) from None
                if path is not None:
                    _store(path, self._database)
        self._local = threading.local()

    def scan(self, data: bytes) -> list[tuple[int, int]]:
        """(expression index, end byte offset) of every match, in end order."""
        if self._database is None:
            return []
        hits: list[tuple[int, int]] = []
        add = hits.append

        def on_match(index: int, _start: int, end: int, _flags: int, _context: object) -> None:
            add((index, end))

        self._database.scan(data, match_event_handler=on_match, scratch=self._scratch())
        return hits

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = hyperscan.Scratch(self._database)
            self._local.scratch = scratch
        return scratch


def _cache_path(expressions: Sequence[bytes], flags: Sequence[int], literal: bool) -> Path | None:
    directory = cachefiles.cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha256(f"{getattr(hyperscan, '__version__', '?')}|{literal}|{list(flags)}".encode())
    # Each expression length-prefixed (unambiguous), hashed in one call: rule packs have
    # tens of thousands of key words, and this runs at every start.
    digest.update(b"".join([len(e).to_bytes(4, "big") + e for e in expressions]))
    return directory / f"hs-{digest.hexdigest()[:32]}.db"


def _load(path: Path) -> Any:
    """A cached database, or None (missing, unreadable, corrupt or built for another CPU)."""
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error, TypeError, ValueError):
        return None


def _store(path: Path, database: Any) -> None:
    cachefiles.store(path, hyperscan.dumpb(database))


def text_view(text: str) -> bytes:
    """One byte per character of `text`, for Hyperscan to scan with offsets that are text
    offsets: Latin-1 characters as themselves, every other character (and every escaped
    invalid byte) as 0x80. ASCII, line ends and Latin-1 letters stay exact; a literal with
    other characters matches as a pattern of 0x80 bytes and is then checked in the text."""
    return text.encode("latin-1", _VIEW_ERRORS)


def _placeholders(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return "\x80" * (error.end - error.start), error.end


_VIEW_ERRORS = "logscrub.text_view"
codecs.register_error(_VIEW_ERRORS, _placeholders)
