"""Seals: a capture scrub wrote carries a digest of itself (capture/seal.py); check passes
it while it is unchanged, fix leaves it alone, and any change after makes it checked again."""

from __future__ import annotations

import io
import struct
import subprocess
from pathlib import Path

import pytest

import logscrub
from logscrub.capture.seal import verify
from logscrub.cli import main

from .conftest import KEY, KEY_HEX, OTHER_KEY_HEX, PYTHON, REPO

CAPTURES = REPO / "samples" / "captures"


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGSCRUB_KEY", raising=False)


def key_file(tmp_path: Path, hex_key: str, name: str = "key") -> Path:
    path = tmp_path / name
    path.write_text(hex_key)
    return path


def scrubbed(tmp_path: Path, capture: str, *args: str) -> Path:
    out = tmp_path / f"out-{capture}"
    assert main(["scrub", "-q", str(CAPTURES / capture), "-o", str(out), *args]) == 0
    return out


def check(path: Path, *args: str) -> int:
    return main(["check", str(path), *args])


@pytest.mark.parametrize("capture", ["message.pcap", "comments.pcapng", "udp-call-be.pcap"])
def test_a_scrubbed_capture_passes_check_unkeyed(tmp_path: Path, capture: str) -> None:
    assert check(CAPTURES / capture) == 1  # the original has findings
    out = scrubbed(tmp_path, capture)
    assert check(out) == 0
    with out.open("rb") as file:
        assert verify(file, None)


@pytest.mark.parametrize("capture", ["message.pcap", "comments.pcapng"])
def test_a_keyed_seal_verifies_only_with_its_key(tmp_path: Path, capture: str) -> None:
    key = key_file(tmp_path, KEY_HEX)
    out = scrubbed(tmp_path, capture, "--key-file", str(key))
    assert check(out, "--key-file", str(key)) == 0
    assert check(out) == 1  # without the key the seal cannot be verified
    assert check(out, "--key-file", str(key_file(tmp_path, OTHER_KEY_HEX, "other"))) == 1
    with out.open("rb") as file:
        assert verify(file, KEY) and file.tell() == 0  # the position is restored


@pytest.mark.parametrize("capture", ["message.pcap", "comments.pcapng"])
def test_any_change_after_scrubbing_breaks_the_seal(tmp_path: Path, capture: str) -> None:
    out = scrubbed(tmp_path, capture)
    data = bytearray(out.read_bytes())
    data[-5] ^= 0x01  # one bit of the last packet
    out.write_bytes(bytes(data))
    assert check(out) == 1
    # Appending a packet (as mergecap or a later capture would) breaks it too.
    data[-5] ^= 0x01
    out.write_bytes(bytes(data) + bytes(data[-64:]))
    assert not verify(io.BytesIO(out.read_bytes()), None)


def test_pcap_seal_lives_in_the_reserved_header_fields(tmp_path: Path) -> None:
    original = (CAPTURES / "message.pcap").read_bytes()
    out = scrubbed(tmp_path, "message.pcap").read_bytes()
    assert out[:8] == original[:8] and out[16:24] == original[16:24]  # magic, version, snaplen, link type
    assert out[8:16] != bytes(8)
    assert len(out) == len(original)  # every record keeps its length
    # An old writer's non-zero time zone in the input does not survive as a false seal.
    tz = bytearray(original)
    tz[8:12] = struct.pack("<i", -3600)
    source = tmp_path / "tz.pcap"
    source.write_bytes(bytes(tz))
    assert check(source) == 1


def test_pcapng_seal_is_in_the_first_section_comment_only(tmp_path: Path) -> None:
    one = (CAPTURES / "comments.pcapng").read_bytes()
    two_sections = tmp_path / "two.pcapng"
    two_sections.write_bytes(one + one)
    out = tmp_path / "two.scrubbed.pcapng"
    assert main(["scrub", "-q", str(two_sections), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.count(b"scrubbed by logscrub") == 2 and data.count(b"; seal sha256:") == 1
    assert b"0" * 64 not in data  # the placeholder was filled in
    assert check(out) == 0


def test_stdout_is_sealed_but_a_stream_in_and_out_is_not() -> None:
    """A digest is known only at the end: a file's output is spooled to a temporary file
    before stdout (sealed); a capture streamed from stdin to stdout cannot be written back."""
    capture = (CAPTURES / "message.pcap").read_bytes()

    def run(*args: str, stdin: bytes = b"") -> bytes:
        proc = subprocess.run(
            [PYTHON, "-m", "logscrub", "scrub", "-q", *args], input=stdin, capture_output=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert verify(io.BytesIO(run(str(CAPTURES / "message.pcap"))), None)
    streamed = run("-", stdin=capture)
    assert streamed[8:16] == bytes(8) and not verify(io.BytesIO(streamed), None)


def test_fix_scrubs_a_capture_once_and_then_leaves_it(tmp_path: Path) -> None:
    capture = tmp_path / "call.pcapng"
    capture.write_bytes((CAPTURES / "comments.pcapng").read_bytes())
    assert main(["fix", str(capture)]) == 1
    once = capture.read_bytes()
    assert main(["fix", str(capture)]) == 0
    assert capture.read_bytes() == once
    assert check(capture) == 0


def test_the_library_tells_sealed_captures(tmp_path: Path) -> None:
    out = scrubbed(tmp_path, "message.pcap", "--key-file", str(key_file(tmp_path, KEY_HEX)))
    assert logscrub.Scrubber(key=KEY).sealed(out)
    assert not logscrub.Scrubber().sealed(out)
    assert not logscrub.Scrubber(key=KEY).sealed(CAPTURES / "message.pcap")
    assert logscrub.Scrubber(key=KEY).check(out) == []


def _tar_gz_bundle(path: Path) -> Path:
    import tarfile

    with tarfile.open(path, "w:gz") as bundle:
        for name in ("linphone-sip-trace.log", "provisioning.log"):
            bundle.add(REPO / "samples" / name, arcname=f"logs/{name}")
        bundle.add(CAPTURES / "relocated-call.pcap", arcname="captures/call.pcap")
    return path


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_a_scrubbed_bundle_passes_check_by_its_manifest_seals(tmp_path: Path, kind: str) -> None:
    """Each member a run wrote has its seal in LOGSCRUB-MANIFEST.json: text members with
    format-preserving pseudonyms and member names with numbers pass too."""
    source = (
        REPO / "samples" / "bundles" / "send-logs.zip"
        if kind == "zip"
        else _tar_gz_bundle(tmp_path / "b.tar.gz")
    )
    assert check(source) == 1
    out = tmp_path / f"out.{kind}"
    assert main(["scrub", "-q", str(source), "-o", str(out)]) == 0
    assert check(out) == 0
    key = key_file(tmp_path, KEY_HEX)
    keyed = tmp_path / f"keyed.{kind}"
    assert main(["scrub", "-q", str(source), "-o", str(keyed), "--key-file", str(key)]) == 0
    assert check(keyed, "--key-file", str(key)) == 0
    assert check(keyed) == 1  # a keyed seal is verified with its key only


def test_a_member_changed_after_scrubbing_is_checked_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    out = tmp_path / "out.zip"
    assert main(["scrub", "-q", str(REPO / "samples" / "bundles" / "send-logs.zip"), "-o", str(out)]) == 0
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(out) as original, zipfile.ZipFile(changed, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "logs/messaging.jsonl":
                data += b'{"from": "+14155550123", "text": "call me"}\n'
            copy.writestr(info, data)
    capsys.readouterr()
    assert check(changed) == 1
    reported = capsys.readouterr().out.splitlines()
    assert reported and all("!logs/messaging.jsonl:" in line for line in reported)
