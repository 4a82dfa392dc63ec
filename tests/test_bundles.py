"""Log bundles: zip / tar / compressed files, nested, scrubbed with their structure,
names and compression kept; hostile archives refused with exit code 2, nothing written."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

import logscrub

from .conftest import KEY, REPO

CAPTURE = REPO / "samples" / "captures" / "message.pcap"
LOG = b"2026-11-30 10:01:02 INFO call from +14155550123 (Jane Roe) via 198.51.100.23\n"
PLANTED = [
    b"+14155550123",
    b"14155550123",
    b"Jane Roe",
    b"198.51.100.23",
    b"Oliver Quinn",
    b"jane.roe@example.com",
]


def _tar_bytes(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _everything(data: bytes, name: str = "") -> dict[str, bytes]:
    """Every file inside `data`, recursively: {path: bytes} (compression undone)."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found: dict[str, bytes] = {}
            for info in archive.infolist():
                if not info.is_dir():
                    found.update(_everything(archive.read(info), f"{name}{info.filename}!"))
            return found
    for opener in (gzip.decompress, bz2.decompress, lzma.decompress):
        try:
            inner = opener(data)
        except (OSError, ValueError, lzma.LZMAError):
            continue
        return _everything(inner, name)
    if data[257:262] == b"ustar":
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            found = {}
            for member in tar.getmembers():
                if member.isreg():
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    found.update(_everything(extracted.read(), f"{name}{member.name}!"))
            return found
    return {name.rstrip("!"): data}


def test_zip_with_logs_a_capture_and_a_nested_tar_gz(tmp_path: Path) -> None:
    nested = _tar_bytes({"desktop/app.log": LOG, "desktop/call-+14155550123.pcap": CAPTURE.read_bytes()})
    source = tmp_path / "send-logs.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(zipfile.ZipInfo("logs/"), b"")
        archive.writestr("logs/app.log", LOG * 50, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "logs/sms-+14155550123.txt", b"SMS to +14155550123: see you\n", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("captures/call.pcap", CAPTURE.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("desktop.tar.gz", nested, compress_type=zipfile.ZIP_STORED)
        archive.writestr("screenshot.png", b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(200))
    out, report = tmp_path / "out.zip", tmp_path / "report.json"
    result = subprocess.run(
        ["logscrub", "scrub", str(source), "-o", str(out), "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as scrubbed, zipfile.ZipFile(source) as original:
        names = [i.filename for i in scrubbed.infolist()]
        assert (
            names[0] == "logs/"
            and names[1] == "logs/app.log"
            and names[3:5] == ["captures/call.pcap", "desktop.tar.gz"]
        )
        assert (
            names[2].startswith("logs/sms-+1415") and names[2] != "logs/sms-+14155550123.txt"
        )  # name scrubbed
        assert "screenshot.png" not in names  # binary: dropped by default
        kept = {i.filename: i.compress_type for i in original.infolist()}
        for info in scrubbed.infolist()[:5]:
            original_name = info.filename if info.filename in kept else "logs/sms-+14155550123.txt"
            assert info.compress_type == kept[original_name]
        inner = scrubbed.read("desktop.tar.gz")
    assert inner[:2] == b"\x1f\x8b"  # still a gzip'ed tar
    with tarfile.open(fileobj=io.BytesIO(inner)) as tar:
        members = tar.getnames()
    assert (
        members[0] == "desktop/app.log" and members[1].startswith("desktop/call-+1415") and len(members) == 2
    )
    files = _everything(out.read_bytes())
    assert len(files) == 6  # five members and the run's manifest
    manifest = json.loads(files.pop("LOGSCRUB-MANIFEST.json"))
    key_id = manifest["scrubbed_by"]["key_id"]
    assert len(key_id) == 16 and int(key_id, 16) >= 0  # a fingerprint of the run's key, not the key
    assert key_id == json.loads(report.read_text())["scrubbed_by"]["key_id"]
    assert manifest["scrubbed_by"]["policy_digest"].startswith("sha256:")
    assert {m["member"] for m in manifest["members"]} >= {"logs/app.log", "captures/call.pcap"}
    for path, data in files.items():
        for planted in PLANTED:
            assert planted not in data and planted.decode() not in path, (planted, path)
    assert files["captures/call.pcap"][:4] == CAPTURE.read_bytes()[:4]
    text = report.read_text()
    for planted in PLANTED:
        assert planted.decode() not in text
    members_report = json.loads(text)["files"][0]["members"]
    assert {m["action"] for m in members_report} == {"scrubbed", "dropped"}
    assert any(m["member"] == "screenshot.png" and m["action"] == "dropped" for m in members_report)
    assert "screenshot.png: dropped" in result.stderr


@pytest.mark.parametrize(
    ("mode", "magic"),
    [("w", None), ("w:gz", b"\x1f\x8b"), ("w:bz2", b"BZh"), ("w:xz", b"\xfd7zXZ\x00")],
    ids=["tar", "tar.gz", "tar.bz2", "tar.xz"],
)
def test_tar_bundles_keep_their_compression(tmp_path: Path, mode: str, magic: bytes | None) -> None:
    source = tmp_path / "bundle"
    source.write_bytes(_tar_bytes({"a/app.log": LOG, "a/b/second.log": LOG}, mode))
    out = tmp_path / "out"
    logscrub.Scrubber(key=KEY).scrub_file(source, out)
    data = out.read_bytes()
    assert data[: len(magic)] == magic if magic else data[257:262] == b"ustar"
    files = _everything(data)
    assert sorted(files) == ["LOGSCRUB-MANIFEST.json", "a/app.log", "a/b/second.log"]
    assert json.loads(files.pop("LOGSCRUB-MANIFEST.json"))["scrubbed_by"]["key_id"]
    assert all(b"+14155550123" not in content and b"+1415" in content for content in files.values())


@pytest.mark.parametrize("mode", ["w:gz", "w:bz2", "w:xz"])
def test_a_compressed_tar_bigger_than_its_read_buffer_keeps_every_member(tmp_path: Path, mode: str) -> None:
    """A compressed tar whose compressed bytes pass tarfile's stream buffer (10 KiB): every
    member comes out, whole (a seek under tarfile's stream once cut such a tar.gz short,
    without an error), and a capture member is read whole."""
    import random

    chance = random.Random(7)
    members = {
        f"logs/{n:02d}.log": "".join(
            f"2026-12-07 10:{n:02d}:{i:02d} INFO call from +1415555{chance.randrange(10**4):04d} "
            f"id={chance.getrandbits(64):016x}\n"
            for i in range(60)
        ).encode()
        for n in range(40)
    }
    assert len(_tar_bytes(members, mode)) > 20_000
    with tarfile.open(tmp_path / "bundle", mode) as bundle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
        bundle.add(REPO / "samples" / "captures" / "relocated-call.pcap", arcname="captures/call.pcap")
    out = tmp_path / "out"
    logscrub.Scrubber(key=KEY).scrub_file(tmp_path / "bundle", out)
    files = _everything(out.read_bytes())
    assert sorted(files) == sorted([*members, "captures/call.pcap", "LOGSCRUB-MANIFEST.json"])
    for name, data in members.items():
        assert files[name].count(b"\n") == 60
        assert data[35:47].startswith(b"+1415555") and data[35:47] not in files[name]
    assert (
        len(files["captures/call.pcap"])
        == (REPO / "samples" / "captures" / "relocated-call.pcap").stat().st_size
    )


def test_single_gzip_log(tmp_path: Path) -> None:
    source = tmp_path / "app.log.gz"
    source.write_bytes(gzip.compress(LOG * 10))
    out = tmp_path / "out.gz"
    stats = logscrub.Scrubber(key=KEY).scrub_file(source, out)
    text = gzip.decompress(out.read_bytes())
    assert text.count(b"\n") == 10 and b"+14155550123" not in text and stats.by_entity["PHONE_NUMBER"] == 10
    findings = logscrub.Scrubber(key=KEY).check(source)
    assert {f.member for f in findings} == {"(content)"} and {f.line for f in findings} == set(range(1, 11))


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)


def _symlink_zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info


def _nested(depth: int) -> bytes:
    data = LOG
    for level in range(depth):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(f"level{level}.{'zip' if level else 'log'}", data)
        data = out.getvalue()
    return data


def _special_tar(name: str, kind: bytes, linkname: str = "", mode: str = "w") -> bytes:
    """A tar holding one member that is not a regular file (a link, a device)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as tar:
        member = tarfile.TarInfo(name)
        member.type, member.linkname = kind, linkname
        tar.addfile(member)
    return out.getvalue()


HOSTILE = {
    "traversal": (
        lambda p: _zip(p, [("logs/../../evil.log", LOG)]),
        "logs/../../evil.log",
        "leaves the archive",
    ),
    "absolute": (
        lambda p: p.write_bytes(_tar_bytes({"/etc/evil.log": LOG})),
        "/etc/evil.log",
        "leaves the archive",
    ),
    "zip-symlink": (
        lambda p: _zip(p, [(_symlink_zip_info("logs/link"), b"/etc/passwd")]),
        "logs/link",
        "symbolic link",
    ),
    "tar-symlink": (
        lambda p: p.write_bytes(_special_tar("logs/passwd", tarfile.SYMTYPE, "/etc/passwd", "w:gz")),
        "logs/passwd",
        "symbolic or hard link",
    ),
    "tar-hard-link": (
        lambda p: p.write_bytes(_special_tar("logs/shadow", tarfile.LNKTYPE, "../../etc/shadow")),
        "logs/shadow",
        "symbolic or hard link",
    ),
    "tar-device": (
        lambda p: p.write_bytes(_special_tar("dev/sda", tarfile.BLKTYPE)),
        "dev/sda",
        "device, fifo or other special file",
    ),
    "zip-bomb": (lambda p: _zip(p, [("big.log", b"A" * (40 << 20))]), "big.log", "zip bomb"),
    "deep-nesting": (lambda p: p.write_bytes(_nested(7)), "level5.zip!", "nested too deep"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_archives_are_refused(tmp_path: Path, kind: str) -> None:
    build, member, why = HOSTILE[kind]
    work = tmp_path / "work"
    work.mkdir()
    source = work / "bundle.zip"
    build(source)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    out = work / "out" / "scrubbed.zip"
    out.parent.mkdir()
    result = subprocess.run(
        ["logscrub", "scrub", str(source), "-o", str(out)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert (
        message.startswith(f"logscrub: error: {source}: refused archive member ")
        and member in message
        and why in message
    )
    assert not out.exists() and list(out.parent.iterdir()) == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == [*before, "out"] or sorted(
        p.name for p in tmp_path.rglob("*")
    ) == sorted([*before, "out"])
    assert not (tmp_path / "evil.log").exists() and not Path("/etc/evil.log").exists()
    check = subprocess.run(["logscrub", "check", str(source)], capture_output=True, text=True, timeout=300)
    assert check.returncode == 2 and why in check.stderr


def test_member_count_limit(tmp_path: Path) -> None:
    source = tmp_path / "many.zip"
    _zip(source, [(f"logs/{i}.log", b"ok\n") for i in range(30)])
    scrubber = logscrub.Scrubber(logscrub.Policy(key=KEY, archive_max_members=20))
    with pytest.raises(logscrub.InputError, match=r"refused archive member logs/20\.log: too many members"):
        scrubber.scrub_file(source, tmp_path / "out.zip")
    assert not (tmp_path / "out.zip").exists()


def test_bundle_on_stdin_and_from_bytes(tmp_path: Path) -> None:
    source = (REPO / "samples" / "bundles" / "send-logs.zip").read_bytes()
    result = subprocess.run(["logscrub", "scrub", "-"], input=source, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    files = _everything(result.stdout)
    assert "captures/call.pcap" in files and all(b"+14155550123" not in data for data in files.values())
    again = logscrub.Scrubber(key=KEY).scrub_bytes(source)
    assert len(_everything(again.data)) == len(files)  # (member names differ: two keys)


def test_two_runs_on_nested_compressed_members_give_identical_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproducible outputs (issue 17): a zip holding a .tar.gz, a .tar.bz2, a .tar.xz and a
    lone .gz, scrubbed twice with one key, the clock moved a day between the runs: the
    same bytes (re-compressed members carry their own times, never the clock's)."""
    source = tmp_path / "bundle.zip"
    members = {"app.log": LOG * 20, "call.pcap": CAPTURE.read_bytes()}
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("nested.tar.gz", _tar_bytes(members, "w:gz"))
        archive.writestr("nested.tar.bz2", _tar_bytes(members, "w:bz2"))
        archive.writestr("nested.tar.xz", _tar_bytes(members, "w:xz"))
        archive.writestr("app.log.gz", gzip.compress(LOG * 20, mtime=1_700_000_000))
    scrubber = logscrub.Scrubber(key=KEY)
    scrubber.scrub_file(source, tmp_path / "one.zip")
    import time as clock

    real = clock.time
    monkeypatch.setattr(clock, "time", lambda: real() + 86_400)
    logscrub.Scrubber(key=KEY).scrub_file(source, tmp_path / "two.zip")
    one, two = (tmp_path / "one.zip").read_bytes(), (tmp_path / "two.zip").read_bytes()
    assert one == two
    with zipfile.ZipFile(tmp_path / "one.zip") as scrubbed:
        inner = scrubbed.read("nested.tar.gz")
        assert inner[:2] == b"\x1f\x8b" and b"+14155550123" not in gzip.decompress(inner)
