"""`logscrub bulk` from and to object storage: a local S3 server (moto) on 127.0.0.1,
reached through s3fs exactly as a cluster reaches a real bucket (issue 17)."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import logscrub
from logscrub import bulk, remote
from logscrub.cli import main

from .conftest import KEY, KEY_HEX, REPO

moto_server = pytest.importorskip("moto.server")
s3fs = pytest.importorskip("s3fs")
fsspec = pytest.importorskip("fsspec")

SAMPLES = REPO / "samples"
INPUTS = {
    "day/linphone-sip-trace.log": SAMPLES / "linphone-sip-trace.log",
    "day/app/messaging.jsonl": SAMPLES / "messaging.jsonl",
    "day/app/relocated-call.pcap": SAMPLES / "captures" / "relocated-call.pcap",
    "day/send-logs.zip": SAMPLES / "bundles" / "send-logs.zip",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    """A moto S3 server on 127.0.0.1; the endpoint and dummy credentials reach workers the
    way a deployment gives them (environment variables, fsspec's configuration)."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "FSSPEC_S3_ENDPOINT_URL": endpoint,  # read by fsspec when a worker imports it
        }.items():
            patch.setenv(name, value)
        patch.setitem(fsspec.config.conf, "s3", {"endpoint_url": endpoint})
        fs = s3fs.S3FileSystem(endpoint_url=endpoint)
        yield fs
    server.stop()


@pytest.fixture
def buckets(s3: Any, request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    name = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]  # a valid bucket name
    source, target = f"in-{name}", f"out-{name}"
    s3.mkdir(source)
    s3.mkdir(target)
    for key, path in INPUTS.items():
        s3.pipe(f"{source}/{key}", path.read_bytes())
    s3.invalidate_cache()
    yield source, target
    s3.invalidate_cache()


@pytest.fixture(autouse=True)
def _team_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAM_KEY", KEY_HEX)
    monkeypatch.delenv("LOGSCRUB_KEY", raising=False)


def _expected(tmp_path: Path, source: Path) -> bytes:
    target = tmp_path / "expected"
    logscrub.Scrubber(key=KEY).scrub_file(source, target)
    return target.read_bytes()


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_s3_prefix_to_s3_equals_scrub_file(
    tmp_path: Path, s3: Any, buckets: tuple[str, str], engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine == "dask":
        pytest.importorskip("distributed")
    source, target = buckets
    rows_file = tmp_path / "rows.jsonl"
    args = [
        "bulk",
        f"s3://{source}/day",
        "--dest",
        f"s3://{target}/clean/{{relpath}}",
        "--key-env",
        "TEAM_KEY",
    ]
    assert main([*args, "--engine", engine, "--jobs", "2", "--results", str(rows_file)]) == 0
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert sorted(r["path"] for r in rows) == sorted(f"s3://{source}/{k}" for k in INPUTS)
    s3.invalidate_cache()
    for key, original in INPUTS.items():
        written = s3.cat(f"{target}/clean/{key}")  # the prefix's own name starts the path
        assert written == _expected(tmp_path, original), key
    assert sorted(s3.find(target)) == sorted(f"{target}/clean/{k}" for k in INPUTS)  # nothing else
    assert KEY_HEX not in rows_file.read_text() + capsys.readouterr().err


def test_s3_glob_to_local_directory(tmp_path: Path, buckets: tuple[str, str]) -> None:
    source, _ = buckets
    work = bulk.tasks([f"s3://{source}/day/**/*.jsonl"], f"{tmp_path}/out/{{relpath}}")
    assert [(t.source, t.output) for t in work] == [
        (f"s3://{source}/day/app/messaging.jsonl", f"{tmp_path}/out/app/messaging.jsonl")
    ]
    rows = bulk.run_local(work, bulk.KeyRef(env="TEAM_KEY"), jobs=1)
    assert rows[0].ok, rows[0].error
    assert (tmp_path / "out/app/messaging.jsonl").read_bytes() == _expected(
        tmp_path, INPUTS["day/app/messaging.jsonl"]
    )


def test_a_failure_leaves_no_object(
    tmp_path: Path, s3: Any, buckets: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad input is a failed row with no object at its destination; a scrub interrupted
    halfway (after writing part of its output) publishes nothing either."""
    source, target = buckets
    whole = gzip.compress((SAMPLES / "provisioning.log").read_bytes())
    s3.pipe(f"{source}/day/cut.log.gz", whole[: len(whole) // 2])
    s3.invalidate_cache()
    work = bulk.tasks([f"s3://{source}/day"], f"s3://{target}/{{relpath}}")
    real = logscrub.Scrubber.scrub_file

    def interrupted(self: logscrub.Scrubber, src: Any, dst: Any, progress: Any = None) -> Any:
        if Path(src).name == "messaging.jsonl":
            Path(dst).write_bytes(b"half of an output")
            raise OSError("connection reset by peer")
        return real(self, src, dst, progress)

    monkeypatch.setattr(logscrub.Scrubber, "scrub_file", interrupted)
    rows = {Path(r.path).name: r for r in bulk.run_local(work, bulk.KeyRef(env="TEAM_KEY"), jobs=1)}
    assert rows["cut.log.gz"].error_class == "InputError"
    assert rows["messaging.jsonl"].error_class == "OSError" and "a bug" in (
        rows["messaging.jsonl"].error or ""
    )
    assert sum(r.ok for r in rows.values()) == len(INPUTS) - 1
    s3.invalidate_cache()
    written = sorted(s3.find(target))
    assert f"{target}/day/cut.log.gz" not in written and f"{target}/day/app/messaging.jsonl" not in written
    assert len(written) == len(INPUTS) - 1


def test_publishing_elsewhere_moves_a_complete_object_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filesystems without atomic object writes (here fsspec's in-memory one) get a
    temporary object moved into place; a failed move leaves neither."""
    memory = fsspec.filesystem("memory")
    local = tmp_path / "out.log"
    local.write_bytes(b"scrubbed\n")
    remote.publish(local, "memory://published/day/out.log")
    assert memory.cat("/published/day/out.log") == b"scrubbed\n"
    assert memory.find("/published") == ["/published/day/out.log"]

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("lost the connection")

    monkeypatch.setattr(type(memory), "mv", broken)
    with pytest.raises(OSError, match="lost the connection"):
        remote.publish(local, "memory://failed/day/out.log")
    assert memory.find("/failed") == []


def test_urls_without_their_backend_are_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bulk", "nosuchproto://bucket/x", "--dest", "out/{relpath}", "--key-env", "TEAM_KEY"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nosuchproto" in err
