"""`logscrub bulk --engine spark` on a local Spark session (issue 17). Needs pyspark,
pandas and pyarrow (`logscrub[spark]`) and Java 17 or later; marked `spark` and skipped
without them (CI installs both)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

import logscrub
from logscrub import bulk
from logscrub.cli import main

from .conftest import BULK_INPUTS, KEY, KEY_HEX, REPO

pytestmark = pytest.mark.spark
if os.environ.get("LOGSCRUB_REQUIRE_TOOLS"):  # CI: run, never skip
    import pyarrow  # noqa: F401
    import pyspark  # noqa: F401

    assert shutil.which("java"), "Java is required here (LOGSCRUB_REQUIRE_TOOLS is set)"
pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

SAMPLES = REPO / "samples"
INPUTS = BULK_INPUTS


def test_spark_rows_and_outputs_equal_scrub_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One local session: outputs byte-identical to Scrubber.scrub_file, a bad file as a
    failed row while the others are written, the audit table free of the key, and a
    worker without the key failing the job."""
    monkeypatch.setenv("TEAM_KEY", KEY_HEX)
    top = tmp_path / "in"
    top.mkdir()
    for path in INPUTS:
        shutil.copy(path, top / path.name)
    whole = gzip.compress((SAMPLES / "provisioning.log").read_bytes())
    (top / "cut.log.gz").write_bytes(whole[: len(whole) // 2])
    rows_file = tmp_path / "rows.jsonl"
    args = ["bulk", str(top), "--dest", f"{tmp_path}/out/{{relpath}}", "--engine", "spark", "--jobs", "2"]
    assert main([*args, "--key-env", "TEAM_KEY", "--results", str(rows_file)]) == 1
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert [Path(r["path"]).name for r in rows if not r["ok"]] == ["cut.log.gz"]
    assert not (tmp_path / "out/in/cut.log.gz").exists()
    scrubber = logscrub.Scrubber(key=KEY)
    for row in rows:
        if row["ok"]:
            scrubber.scrub_file(row["path"], tmp_path / "expected")
            assert Path(row["output"]).read_bytes() == (tmp_path / "expected").read_bytes(), row["path"]
            assert row["counts"] and row["key_id"] == rows[0]["key_id"]
    assert KEY_HEX not in rows_file.read_text() + capsys.readouterr().err
    work = bulk.tasks([str(top / "messaging.jsonl")], f"{tmp_path}/again/{{relpath}}")
    from logscrub.bulk_spark import run_spark

    no_key = run_spark(work, bulk.KeyRef(env="NOT_SET_ANYWHERE"), workers=1)
    with pytest.raises(bulk.KeyMismatch, match="no pseudonym key"):
        bulk.check_keys(no_key)
