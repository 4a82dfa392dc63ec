"""`logscrub bulk` on Spark: a DataFrame of tasks in, a DataFrame of result rows out.

The same contract as the other engines (bulk.py): a row of the input DataFrame is a
task, `source` and `output` (paths or URLs), never file contents; each Python worker
builds its Scrubber once and reads the key itself from the `KeyRef`; the result is a
DataFrame of result rows (the audit table) that the driver checks with
`bulk.check_keys`. Work runs through `mapInPandas`, so a partition's tasks run in one
Python worker, one after the other.

Keep the key out of Spark's configuration and UI: put it in the executors' environment
through the cluster manager's secrets (Kubernetes secrets, YARN's credential files), or
mount a key file; when `spark.executorEnv.NAME` is the only way, choose a NAME that
`spark.redaction.regex` matches (by default anything with `secret`, `password` or
`token`), so the Environment tab shows it redacted. The worker Python is
`spark.pyspark.python` (or PYSPARK_PYTHON) and must have logscrub installed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from .bulk import KeyRef, Row, Task, scrub_one
from .errors import LogscrubError

# The result rows' schema, in Spark's DDL: counts per entity as a map.
ROW_SCHEMA = (
    "path string, output string, ok boolean, key_id string, error_class string, error string,"
    " counts map<string,bigint>, bytes_in bigint, replaced bigint, seconds double"
)
_COLUMNS = [
    "path", "output", "ok", "key_id", "error_class", "error", "counts", "bytes_in", "replaced", "seconds"
]  # fmt: skip


def _session_module() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise LogscrubError("the Spark engine needs the extra: pip install 'logscrub[spark]'") from None
    return SparkSession


def tasks_frame(spark: Any, work: Iterable[Task], partitions: int | None = None) -> Any:
    """A DataFrame of tasks (`source`, `output`), spread over `partitions` (default: the
    session's parallelism)."""
    rows = [(task.source, task.output) for task in work]
    frame = spark.createDataFrame(rows, "source string, output string")
    return frame.repartition(partitions or spark.sparkContext.defaultParallelism)


def _scrub_batches(
    batches: Iterator[Any], key_ref: KeyRef, policy_file: str | None, rules: tuple[str, ...]
) -> Iterator[Any]:
    """mapInPandas' function: each task of each batch through scrub_one, in the worker."""
    import pandas as pd

    for batch in batches:
        records = []
        for source, output in zip(batch["source"], batch["output"], strict=True):
            record = scrub_one(Task(str(source), str(output)), key_ref, policy_file, rules).to_dict()
            records.append(record)
        yield pd.DataFrame(records, columns=_COLUMNS)


def scrub_frame(
    tasks: Any, key_ref: KeyRef, policy_file: str | None = None, rules: tuple[str, ...] = ()
) -> Any:
    """The result rows (ROW_SCHEMA) of scrubbing every task of the DataFrame `tasks`
    (columns `source` and `output`). Lazy, like every Spark transformation: the work runs
    when the rows are collected or written."""
    return tasks.mapInPandas(
        partial(_scrub_batches, key_ref=key_ref, policy_file=policy_file, rules=rules), ROW_SCHEMA
    )


def run_spark(
    work: list[Task],
    key: KeyRef,
    master: str | None = None,
    policy_file: str | None = None,
    rules: tuple[str, ...] = (),
    workers: int = 2,
) -> list[Row]:
    """Every task on Spark: the session at `master` (spark://host:7077, yarn, k8s://...),
    or a local one of `workers` cores made and stopped here. Rows in task order."""
    session = _session_module()
    builder = session.builder.appName("logscrub-bulk").master(master or f"local[{workers}]")
    spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    try:
        found = scrub_frame(tasks_frame(spark, work), key, policy_file, rules).collect()
    finally:
        if master is None:
            spark.stop()
    by_path = {row["path"]: _row(row.asDict()) for row in found}
    return [by_path[task.source] for task in work]


def _row(record: dict[str, Any]) -> Row:
    counts = record.get("counts") or {}
    return Row(**{**record, "counts": dict(sorted(counts.items()))})
