"""A bulk job on any engine, as one call: the library entry (`bulkjob.run`) and its report.

bulk.py holds the tasks, the worker side and the local and Dask engines; bulk_spark.py the
Spark engine. This module picks the engine and sums the rows up, so neither engine module
needs the other.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .bulk import KeyRef, Row, check_keys, failed, run_dask, run_local, tasks
from .errors import LogscrubError
from .inputs import Filters

ENGINES = ("local", "dask", "spark")


class NoInputs(LogscrubError):
    """The sources name no file."""


@dataclass
class BulkReport:
    """What a bulk job did: its result rows (the audit table) and their summary. Built
    only from rows whose key ids agree (see `bulk.check_keys`)."""

    rows: list[Row]
    key_id: str
    duration_seconds: float

    @property
    def failed(self) -> list[Row]:
        return list(failed(self.rows))

    @property
    def by_entity(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for row in self.rows:
            totals.update(row.counts)
        return dict(sorted(totals.items()))

    def summary(self) -> dict[str, Any]:
        """The job's summary (`--report`): counts, failures, key id; never a value or the key."""
        from . import __version__

        return {
            "logscrub_version": __version__,
            "key_id": self.key_id,
            "files": len(self.rows),
            "failed": [{"path": r.path, "error_class": r.error_class, "error": r.error} for r in self.failed],
            "bytes_in": sum(r.bytes_in for r in self.rows),
            "replaced": sum(r.replaced for r in self.rows),
            "by_entity": self.by_entity,
            "duration_seconds": round(self.duration_seconds, 3),
        }


def run(
    sources: Iterable[str],
    template: str,
    key: KeyRef,
    engine: str = "local",
    *,
    client: Any = None,
    master: str | None = None,
    jobs: int = 0,
    policy_file: str | None = None,
    rules: tuple[str, ...] = (),
    filters: Filters | None = None,
) -> BulkReport:
    """Scrub every file `sources` name (paths, directories, globs, object-storage URLs)
    into `template` on `engine` (local processes, a Dask `client` or local cluster, a
    Spark `master` or local session), each worker reading the key where `key` points.
    KeyMismatch when a worker had no key or the workers disagree; a file that fails is a
    failed row of the report, the others are written."""
    if engine not in ENGINES:
        raise LogscrubError(f"engine {engine}: one of {', '.join(ENGINES)}")
    started = time.monotonic()
    sources = list(sources)
    work = tasks(sources, template, filters)
    if not work:
        raise NoInputs(f"no input files in {' '.join(sources)}")
    workers = jobs or os.cpu_count() or 1
    if engine == "dask":
        rows = run_dask(work, key, client, policy_file, rules, workers)
    elif engine == "spark":
        from .bulk_spark import run_spark

        rows = run_spark(work, key, master, policy_file, rules, workers)
    else:
        rows = run_local(work, key, workers, policy_file, rules)
    return BulkReport(rows, check_keys(rows), time.monotonic() - started)
