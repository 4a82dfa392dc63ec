"""Helpers the benchmark scripts share: a work directory, line counts, children's peak RSS.

The scripts run as `python benchmarks/bench_*.py`, which puts this directory on sys.path;
the tests that load a script by its path put it there too.
"""

from __future__ import annotations

import resource
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MB = 1_000_000


@contextmanager
def workdir(keep: str | None, prefix: str) -> Iterator[Path]:
    """`keep` (made if missing, left in place) or a temporary directory removed at the end."""
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            yield Path(tmp)


def count_lines(path: Path) -> int:
    """Number of lines (a final unterminated line counts), reading in large blocks."""
    count, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(16 * 1024 * 1024):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def children_peak_rss_mb() -> float:
    """Peak RSS of the largest waited-for child so far (ru_maxrss: KiB on Linux, bytes on macOS).
    On Linux a child's figure starts from this process's RSS when it is spawned (about 40 MB
    after generating 30 MB), far below logscrub's own."""
    raw = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return raw / MB if sys.platform == "darwin" else raw * 1024 / MB
