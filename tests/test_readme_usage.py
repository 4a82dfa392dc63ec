"""The README's "Three ways to use it" commands, run exactly as written (from a copy of the
repository's samples), so the documentation cannot drift from what the tool does."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import logscrub

from .conftest import REPO

README = (REPO / "README.md").read_text()
DIRTY = "2026-11-30 10:01:02 INFO call from +14155550123 (Jane Roe) via 198.51.100.23\n"


def sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert command in README, f"not in the README as written: {command}"
    env = {k: v for k, v in os.environ.items() if k != "LOGSCRUB_KEY"}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def test_support_engineer_bundle(tmp_path: Path) -> None:
    (tmp_path / "samples").symlink_to(REPO / "samples")
    result = sh(
        "logscrub scrub samples/bundles/send-logs.zip -o send-logs.scrubbed.zip --report report.json",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "send-logs.scrubbed.zip") as bundle:
        names = bundle.namelist()
    assert (
        "captures/call.pcap" in names and "desktop-client.tar.gz" in names and "screenshot.png" not in names
    )
    assert not any("+14155550123" in name for name in names)
    assert (
        "screenshot.png: dropped" in result.stderr
        and "desktop-client.tar.gz!desktop/pjsip-sip-trace.log" in result.stderr
    )
    assert "+14155550123" not in (tmp_path / "report.json").read_text()


def test_pipeline_gate(tmp_path: Path) -> None:
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "app.log").write_text(DIRTY)
    # A call whose packets carry addresses that stay addresses (pseudonyms) after scrubbing.
    shutil.copy(REPO / "samples" / "captures" / "relocated-call.pcap", upload / "call.pcap")
    (upload / "sub").mkdir()
    (upload / "sub" / "notes.txt").write_text(DIRTY)
    assert sh("logscrub fix upload/", tmp_path).returncode == 1  # it changed the log, the notes, the capture
    assert "<PHONE_NUMBER>" in (upload / "sub" / "notes.txt").read_text()
    scrubbed_capture = (upload / "call.pcap").read_bytes()
    assert scrubbed_capture != (REPO / "samples" / "captures" / "relocated-call.pcap").read_bytes()
    assert sh("logscrub fix upload/", tmp_path).returncode == 0  # nothing left to change
    assert (upload / "call.pcap").read_bytes() == scrubbed_capture  # sealed: left alone
    gate = sh("logscrub check --format sarif -o logscrub.sarif upload/", tmp_path)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert "1 capture(s) sealed by logscrub passed" in gate.stderr
    assert (tmp_path / "logscrub.sarif").exists()
    # The capture's addresses still look like addresses: only its seal lets it pass.
    tampered = bytearray(scrubbed_capture)
    tampered[-1] ^= 1
    (upload / "call.pcap").write_bytes(bytes(tampered))
    assert logscrub.Scrubber().check(upload / "call.pcap") != []
    fixtures = tmp_path / "tests" / "fixtures"
    fixtures.mkdir(parents=True)
    (fixtures / "sample.log").write_text(DIRTY)
    assert sh("logscrub allow tests/fixtures/*.log", tmp_path).returncode == 0
    assert subprocess.run(["logscrub", "check", "tests/fixtures/sample.log"], cwd=tmp_path).returncode == 0
    assert "+14155550123" not in (tmp_path / ".logscrub-allow.yaml").read_text()


def test_library_snippet_names_exist() -> None:
    assert "scrubber.scrub_files([(path, scrubbed_path)])" in README and "report.to_json()" in README
    assert hasattr(logscrub.Scrubber, "scrub_files") and hasattr(logscrub.Report, "to_json")
    assert hasattr(logscrub.Scrubber, "check")


def test_ticket_system_known_values(tmp_path: Path) -> None:
    (tmp_path / "samples").symlink_to(REPO / "samples")
    (tmp_path / "customer.yaml").write_text("PERSON_NAME: [Jane Roe]\nPHONE_NUMBER: ['+14155550123']\n")
    result = sh(
        "logscrub scrub --known customer.yaml samples/bundles/send-logs.zip -o send-logs.scrubbed.zip",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "send-logs.scrubbed.zip") as bundle:
        texts = [bundle.read(n) for n in bundle.namelist() if n.endswith((".log", ".txt"))]
    assert texts and not any(b"Jane Roe" in t or b"555-0123" in t or b"4155550123" in t for t in texts)
    assert "scrubber = logscrub.Scrubber(key=team_key, known=customer)" in README
