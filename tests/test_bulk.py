"""`logscrub bulk` with the local engine: each file scrubbed on its own by worker processes
that read the key themselves (issue 17, the part that needs no extra)."""

from __future__ import annotations

import gzip
import json
import pickle
import shutil
from pathlib import Path

import pytest

import logscrub
from logscrub import bulk, bulkjob
from logscrub.cli import main
from logscrub.errors import PolicyError

from .conftest import BULK_INPUTS, KEY, KEY_HEX, OTHER_KEY_HEX, REPO

SAMPLES = REPO / "samples"
INPUTS = BULK_INPUTS


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    top = tmp_path / "in"
    (top / "sub").mkdir(parents=True)
    for number, path in enumerate(INPUTS):
        shutil.copy(path, (top / "sub" if number % 2 else top) / path.name)
    return top


@pytest.fixture(autouse=True)
def _team_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAM_KEY", KEY_HEX)
    monkeypatch.delenv("LOGSCRUB_KEY", raising=False)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_outputs_equal_scrub_file_for_logs_captures_and_bundles(
    tmp_path: Path, sources: Path, jobs: str
) -> None:
    out = tmp_path / "out"
    rows_file = tmp_path / "rows.jsonl"
    args = ["bulk", str(sources), "--dest", f"{out}/{{relpath}}", "--key-env", "TEAM_KEY", "--jobs", jobs]
    assert main([*args, "--results", str(rows_file)]) == 0
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert len(rows) == len(INPUTS) and all(row["ok"] for row in rows)
    assert len({row["key_id"] for row in rows}) == 1
    scrubber = logscrub.Scrubber(key=KEY)
    for row in rows:
        expected = tmp_path / "expected"
        scrubber.scrub_file(row["path"], expected)
        assert Path(row["output"]).read_bytes() == expected.read_bytes(), row["path"]
    assert (out / "in" / "sub" / "messaging.jsonl").exists()  # the structure is mirrored


def test_a_bad_file_is_a_failed_row_and_the_others_are_written(
    tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = gzip.compress((SAMPLES / "provisioning.log").read_bytes())
    (sources / "cut.log.gz").write_bytes(whole[: len(whole) // 2])  # a truncated gzip
    out = tmp_path / "out"
    rows_file, report = tmp_path / "rows.jsonl", tmp_path / "report.json"
    code = main(
        [
            "bulk", str(sources), "--dest", f"{out}/{{relpath}}", "--key-file", str(_key_file(tmp_path)),
            "--jobs", "2", "--results", str(rows_file), "--report", str(report),
        ]
    )  # fmt: skip
    assert code == 1
    rows = {Path(r["path"]).name: r for r in map(json.loads, rows_file.read_text().splitlines())}
    assert not rows["cut.log.gz"]["ok"] and rows["cut.log.gz"]["error_class"] == "InputError"
    assert not (out / "in" / "cut.log.gz").exists() and not list(out.rglob("*.tmp"))  # nothing partial
    assert sum(r["ok"] for r in rows.values()) == len(INPUTS)
    summary = json.loads(report.read_text())
    assert summary["files"] == len(INPUTS) + 1 and [f["path"] for f in summary["failed"]] == [
        str(sources / "cut.log.gz")
    ]
    assert "failed: " in capsys.readouterr().err


def _key_file(tmp_path: Path, hex_key: str = KEY_HEX) -> Path:
    path = tmp_path / f"key-{hex_key[:4]}"
    path.write_text(hex_key)
    return path


def test_the_key_is_never_passed_or_written(
    tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = bulk.KeyRef(env="TEAM_KEY")
    work = bulk.tasks([str(sources)], f"{tmp_path}/out/{{relpath}}")
    for blob in (pickle.dumps(reference), pickle.dumps(work)):
        assert KEY not in blob and KEY_HEX.encode() not in blob
    rows_file, report = tmp_path / "rows.jsonl", tmp_path / "report.json"
    assert main(
        ["bulk", str(sources), "--dest", f"{tmp_path}/out/{{relpath}}", "--key-env", "TEAM_KEY",
         "--results", str(rows_file), "--report", str(report), "--jobs", "2"]
    ) == 0  # fmt: skip
    captured = capsys.readouterr()
    for text in (rows_file.read_text(), report.read_text(), captured.out, captured.err):
        assert KEY_HEX not in text and KEY.decode() not in text


def test_no_key_or_different_keys_fail_the_job(
    tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = f"{tmp_path}/out/{{relpath}}"
    assert main(["bulk", str(sources), "--dest", out]) == 2  # no key reference at all
    assert main(["bulk", str(sources), "--dest", out, "--key-env", "NOT_SET_ANYWHERE"]) == 2
    assert "no pseudonym key" in capsys.readouterr().err
    # Rows from workers that read different keys (two machines' environments).
    rows = [bulk.Row("a", "a.out", True, "1111"), bulk.Row("b", "b.out", True, "2222")]
    with pytest.raises(bulk.KeyMismatch, match="2 different keys"):
        bulk.check_keys(rows)
    assert (
        bulk.check_keys([bulk.Row("a", "a.out", True, "1111"), bulk.Row("b", "b.out", False, "1111")])
        == "1111"
    )


def test_other_key_other_pseudonyms_same_key_same_bytes(tmp_path: Path, sources: Path) -> None:
    def run(key: str, name: str) -> bytes:
        dest = f"{tmp_path}/{name}/{{name}}"
        assert main(["bulk", str(sources / "linphone-sip-trace.log"), "--dest", dest, "--key-file", key]) == 0
        return (tmp_path / name / "linphone-sip-trace.log").read_bytes()

    first = run(str(_key_file(tmp_path)), "one")
    assert run(str(_key_file(tmp_path)), "two") == first
    assert run(str(_key_file(tmp_path, OTHER_KEY_HEX)), "three") != first


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("out/fixed.log", "names no placeholder"),
        ("out/{nope}", "{relpath}"),
        ("out/{name}", "both be written"),
    ],
)
def test_bad_destination_templates(
    tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str], template: str, message: str
) -> None:
    (sources / "sub" / INPUTS[0].name).write_bytes(INPUTS[0].read_bytes())  # two files of one name
    assert main(["bulk", str(sources), "--dest", f"{tmp_path}/{template}", "--key-env", "TEAM_KEY"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_glob_sources_keep_their_path_below_the_pattern_root(tmp_path: Path, sources: Path) -> None:
    work = bulk.tasks([f"{sources}/**/*.pcap*"], "out/{relpath}")
    assert sorted(t.output for t in work) == ["out/relocated-call.pcap", "out/sub/comments.pcapng"]


def test_the_dask_engine_on_a_local_cluster_of_two_workers(
    tmp_path: Path, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same outputs as Scrubber.scrub_file, bad files as failed rows, no key in any
    row or on stderr; a worker without the key fails the job."""
    pytest.importorskip("distributed")
    whole = gzip.compress((SAMPLES / "provisioning.log").read_bytes())
    (sources / "cut.log.gz").write_bytes(whole[: len(whole) // 2])
    out, rows_file = tmp_path / "out", tmp_path / "rows.jsonl"
    args = ["bulk", str(sources), "--dest", f"{out}/{{relpath}}", "--engine", "dask", "--jobs", "2"]
    assert main([*args, "--key-env", "TEAM_KEY", "--results", str(rows_file)]) == 1
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert [Path(r["path"]).name for r in rows if not r["ok"]] == ["cut.log.gz"]
    scrubber = logscrub.Scrubber(key=KEY)
    for row in rows:
        if row["ok"]:
            scrubber.scrub_file(row["path"], tmp_path / "expected")
            assert Path(row["output"]).read_bytes() == (tmp_path / "expected").read_bytes(), row["path"]
    assert KEY_HEX not in rows_file.read_text() + capsys.readouterr().err
    assert main([*args, "--key-env", "NOT_SET_ANYWHERE"]) == 2
    assert "no pseudonym key" in capsys.readouterr().err


def test_dask_workers_with_different_keys_fail_the_job(tmp_path: Path, sources: Path) -> None:
    """Two workers whose environments hold different keys (two machines set up apart): the
    rows carry two key ids and the driver refuses the job."""
    distributed = pytest.importorskip("distributed")
    for number in range(12):  # enough tasks that both workers get some
        shutil.copy(SAMPLES / "provisioning.log", sources / f"copy-{number}.log")
    work = bulk.tasks([str(sources)], f"{tmp_path}/out/{{relpath}}")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        workers = sorted(client.scheduler_info()["workers"])
        # (A bound method of os.environ would be pickled with a copy of the mapping.)
        client.run(exec, f"import os; os.environ['TEAM_KEY'] = {OTHER_KEY_HEX!r}", workers=workers[1:])
        rows = bulk.run_dask(work, bulk.KeyRef(env="TEAM_KEY"), client)
    assert len({row.key_id for row in rows}) == 2
    with pytest.raises(bulk.KeyMismatch, match="2 different keys"):
        bulk.check_keys(rows)


def test_the_library_entry_returns_a_report_of_rows(tmp_path: Path, sources: Path) -> None:
    """`bulkjob.run`: what the ticket system calls; its report is built from the rows."""
    whole = gzip.compress((SAMPLES / "provisioning.log").read_bytes())
    (sources / "cut.log.gz").write_bytes(whole[: len(whole) // 2])
    done = bulkjob.run([str(sources)], f"{tmp_path}/out/{{relpath}}", bulk.KeyRef(env="TEAM_KEY"), jobs=2)
    assert len(done.rows) == len(INPUTS) + 1 and [Path(r.path).name for r in done.failed] == ["cut.log.gz"]
    summary = done.summary()
    assert summary["files"] == len(INPUTS) + 1 and summary["key_id"] == done.key_id
    assert summary["by_entity"] == done.by_entity and sum(done.by_entity.values()) == summary["replaced"]
    assert KEY_HEX not in json.dumps(summary)
    (tmp_path / "empty").mkdir()
    with pytest.raises(bulkjob.NoInputs):
        bulkjob.run([str(tmp_path / "empty")], f"{tmp_path}/o/{{relpath}}", bulk.KeyRef(env="TEAM_KEY"))


def test_raw_key_bytes_are_refused_as_a_key_reference(capsys: pytest.CaptureFixture[str]) -> None:
    for raw in (KEY_HEX, "c2VjcmV0LWtleS1tYXRlcmlhbC1mb3ItdGhlLXRlYW0tMzI="):
        with pytest.raises(PolicyError, match="never the key"):
            bulk.KeyRef(env=raw)
    for wrong in (KEY, KEY_HEX):
        with pytest.raises(PolicyError, match="never the key"):
            bulk.KeyRef(file=wrong)  # type: ignore[arg-type]
    assert main(["bulk", "in", "--dest", "out/{relpath}", "--key-env", KEY_HEX]) == 2
    err = capsys.readouterr().err
    assert "never the key" in err and KEY_HEX not in err
