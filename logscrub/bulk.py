"""Bulk scrubbing: many files, each scrubbed on its own, by workers that share nothing but a key.

A ticket system scrubs every attachment; a support organisation scrubs archives of logs
and captures. Each file is one task: its path goes to a worker, never its contents (they
would sit in queues, pickles and spill files), and the worker scrubs it into its
destination through `Scrubber.scrub_file` (written to a temporary file and renamed: a
failure leaves no partial output). Keyed pseudonyms make the workers agree without
talking: every worker with the same key writes the same pseudonyms, so the outputs are
byte-identical whatever the number of workers, their order or their machines.

The key never travels: a task names where the key is (`KeyRef`: an environment variable
or a file the worker can read) and each worker reads it itself, once. Every result row
carries the key id (a keyed fingerprint, see stamp.py); the driver fails the job when a
worker had no key or the workers disagree, rather than accept output scrubbed with a
random key.

Unlike `logscrub scrub FILE...` (one run: a value found in one file is replaced in all),
each file here is a run of its own: what one file teaches does not reach the others.
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import remote
from .errors import LogscrubError, PolicyError
from .inputs import Filters, expand
from .model import Stats
from .policy import Policy, load_key, read_key_file
from .stamp import key_id

# An environment variable's name (a key is no name: hex or base64 of 32 bytes and more is
# longer than any variable anyone names), and a hex key where a file's path belongs.
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64,}")
# Placeholders a destination template may use (see `Task.destination`).
PLACEHOLDERS = ("relpath", "parent", "name", "stem", "suffix")


@dataclass(frozen=True)
class KeyRef:
    """Where a worker finds the pseudonym key: an environment variable, or a file. Never
    the key itself."""

    env: str | None = None
    file: str | None = None

    def __post_init__(self) -> None:
        if (self.env is None) == (self.file is None):
            raise PolicyError("a key reference names either an environment variable or a key file")
        # Key bytes or a key's text where a name belongs would travel with every task.
        if self.env is not None and not (isinstance(self.env, str) and _ENV_NAME.fullmatch(self.env)):
            raise PolicyError("a key reference names where the key is (a variable, a file), never the key")
        if self.file is not None and not (isinstance(self.file, str) and not _HEX_KEY.fullmatch(self.file)):
            raise PolicyError("a key reference names where the key is (a variable, a file), never the key")

    def load(self) -> bytes:
        """The key, read where the reference points (in the worker)."""
        if self.env is not None:
            value = os.environ.get(self.env)
            if not value:
                raise PolicyError(f"${self.env} is not set in this worker: no pseudonym key")
            return load_key(value.encode(), f"${self.env}")
        assert self.file is not None
        return read_key_file(Path(self.file))


@dataclass(frozen=True)
class Task:
    """One file to scrub: where it is, where it goes."""

    source: str
    output: str


@dataclass
class Row:
    """What happened to one file (a result row; a list of them is the audit table)."""

    path: str
    output: str
    ok: bool
    key_id: str | None = None
    error_class: str | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    bytes_in: int = 0
    replaced: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tasks(sources: Iterable[str], template: str, filters: Filters | None = None) -> list[Task]:
    """One task per file that `sources` name (files, directories walked as by `scrub`,
    and glob patterns), its output given by `template` (see `destination`)."""
    found: list[Task] = []
    for source in sources:
        if remote.is_url(source):
            for url, relative in remote.listing(source):
                if filters is None or filters.takes(relative):
                    found.append(Task(url, destination(template, relative)))
            continue
        if glob.has_magic(source):
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                raise LogscrubError(f"{source}: matches no file")
            named = [m for m in matches if Path(m).is_file()]
            root = _glob_root(source)
            found += [Task(m, destination(template, os.path.relpath(m, root))) for m in named]
            continue
        for item in expand([source], filters):
            found.append(Task(item.path, destination(template, item.relative)))
    counts = Counter(t.output for t in found)
    clash = next((o for o, n in counts.items() if n > 1), None)
    if clash is not None:
        raise LogscrubError(f"two inputs would both be written to {clash}: put {{relpath}} in --dest")
    return found


def destination(template: str, relative: str) -> str:
    """`template` with {relpath} (the file's path below what was named, as `scrub
    --out-dir` mirrors it), {parent}, {name}, {stem} and {suffix} filled in."""
    path = PurePosixPath(relative)
    values = {
        "relpath": relative,
        "parent": str(path.parent) if str(path.parent) != "." else "",
        "name": path.name,
        "stem": path.name.split(".", 1)[0],
        "suffix": path.name[len(path.name.split(".", 1)[0]) :],
    }
    try:
        filled = template.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise LogscrubError(
            f"--dest {template!r}: {exc}; use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
        ) from None
    if filled == template:
        raise LogscrubError(f"--dest {template!r} names no placeholder: every file would go to one place")
    return filled


def _glob_root(pattern: str) -> str:
    """The directory a glob pattern starts from (its parts before the first wildcard)."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


# -- the worker side -------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def init_worker(key: KeyRef, policy_file: str | None, rules: tuple[str, ...]) -> None:
    """Build this worker's Scrubber once (it cannot be pickled, and compiling the rules
    is the costly part). A key that cannot be read is remembered: every task of this
    worker then fails with it, and the driver fails the job."""
    from .api import Scrubber  # the worker's own import: the driver needs none of it

    _WORKER.clear()
    try:
        policy = Policy().with_key(key.load())
        if policy_file is not None:
            policy = Policy.from_file(Path(policy_file), base=policy)
        _WORKER["scrubber"] = Scrubber(policy, rules=list(rules))
        _WORKER["key_id"] = key_id(policy.key)
    except LogscrubError as exc:
        _WORKER["error"] = exc


def scrub_task(task: Task) -> Row:
    """Scrub one file in this worker (init_worker ran first); a failure is a failed row."""
    started = time.monotonic()
    error = _WORKER.get("error")
    if error is not None:
        return Row(task.source, task.output, False, None, type(error).__name__, str(error))
    scrubber = _WORKER["scrubber"]
    row = Row(task.source, task.output, False, _WORKER["key_id"])
    try:
        if remote.is_url(task.source) or remote.is_url(task.output):
            stats = _scrub_by_url(scrubber, task)
        else:
            Path(task.output).parent.mkdir(parents=True, exist_ok=True)
            stats = scrubber.scrub_file(task.source, task.output)
    except LogscrubError as exc:
        row.error_class, row.error = type(exc).__name__, str(exc)
    except Exception as exc:  # a bug: the row says so, the other files go on
        row.error_class, row.error = type(exc).__name__, f"unexpected error (a bug): {exc}"
    else:
        row.ok = True
        row.counts = dict(sorted(stats.by_entity.items()))
        row.bytes_in = stats.bytes_in
        row.replaced = stats.replaced
    row.seconds = round(time.monotonic() - started, 3)
    return row


_INIT_LOCK = threading.Lock()


def scrub_one(
    task: Task, key_ref: KeyRef, policy_file: str | None = None, rules: tuple[str, ...] = ()
) -> Row:
    """One task on any worker (a Dask worker, a Ray task, a Beam DoFn, a plain process):
    the worker's Scrubber is built on its first task (per key reference, policy and rules)
    and kept for the others; threads of one worker share it (a Scrubber is safe to share
    across threads). Arguments are paths and a key reference, never contents or a key."""
    config = (key_ref, policy_file, rules)
    with _INIT_LOCK:
        if _WORKER.get("config") != config:
            init_worker(key_ref, policy_file, rules)
            _WORKER["config"] = config
    return scrub_task(task)


def _scrub_by_url(scrubber: Any, task: Task) -> Stats:
    """A task whose source or output is a URL: through a private temporary directory
    (removed at the end), the output published only when complete (see remote.py)."""
    with tempfile.TemporaryDirectory(prefix="logscrub-bulk-") as tmp:
        workdir = Path(tmp)
        source = remote.fetch(task.source, workdir) if remote.is_url(task.source) else Path(task.source)
        if not remote.is_url(task.output):
            Path(task.output).parent.mkdir(parents=True, exist_ok=True)
            stats: Stats = scrubber.scrub_file(source, task.output)
            return stats
        local_out = workdir / "out" / PurePosixPath(task.output).name
        local_out.parent.mkdir(mode=0o700)
        stats = scrubber.scrub_file(source, local_out)
        remote.publish(local_out, task.output)
        return stats


# -- the driver side -------------------------------------------------------------------


class KeyMismatch(PolicyError):
    """Workers wrote with no key or with different keys."""


def check_keys(rows: list[Row]) -> str:
    """The key id every row agrees on; KeyMismatch when a worker had no key or the
    workers disagree (their outputs would not correlate)."""
    without = [r for r in rows if r.key_id is None and r.error_class == "PolicyError"]
    if without:
        raise KeyMismatch(f"a worker has no pseudonym key: {without[0].error}")
    ids = {r.key_id for r in rows if r.key_id is not None}
    if len(ids) > 1:
        raise KeyMismatch(f"the workers used {len(ids)} different keys (key ids {', '.join(sorted(ids))})")
    if not ids:
        raise KeyMismatch("no file was scrubbed with a key")
    return ids.pop()


def run_local(
    work: list[Task],
    key: KeyRef,
    jobs: int,
    policy_file: str | None = None,
    rules: tuple[str, ...] = (),
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Every task on `jobs` local worker processes (1: in this process); rows in task order."""
    if jobs < 1:
        raise LogscrubError("--jobs must be at least 1")
    if jobs == 1 or len(work) == 1:
        init_worker(key, policy_file, rules)
        rows = []
        for task in work:
            rows.append(scrub_task(task))
            if on_row is not None:
                on_row(rows[-1])
        return rows
    with ProcessPoolExecutor(jobs, initializer=init_worker, initargs=(key, policy_file, rules)) as pool:
        rows = []
        for row in pool.map(scrub_task, work, chunksize=1):
            rows.append(row)
            if on_row is not None:
                on_row(row)
        return rows


def failed(rows: Iterable[Row]) -> Iterator[Row]:
    return (row for row in rows if not row.ok)


# -- Dask ----------------------------------------------------------------------------------


def run_dask(
    work: list[Task],
    key: KeyRef,
    client: Any = None,
    policy_file: str | None = None,
    rules: tuple[str, ...] = (),
    workers: int = 2,
) -> list[Row]:
    """Every task on a Dask cluster (`client`: a `distributed.Client`; by default a local
    cluster of `workers` processes, one thread each, made and closed here). Tasks carry
    paths and the key reference only; rows come back in task order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise LogscrubError("the Dask engine needs the extra: pip install 'logscrub[dask]'") from None
    own = client is None
    cluster = None
    if own:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    try:
        futures = client.map(scrub_one, work, key_ref=key, policy_file=policy_file, rules=rules, pure=False)
        return list(client.gather(futures))
    finally:
        if own:
            client.close()
            assert cluster is not None
            cluster.close()
