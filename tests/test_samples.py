"""The bundled samples: every path gives the committed expected output byte for byte, and
the sensitive values planted in them are gone from it.

Expected outputs change only with an intentional rule change (`python samples/regenerate.py`,
then review the diff); a change here that was not intended is a regression.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from logscrub import Policy, Scrubber
from logscrub.cli import main

from .conftest import REPO

SAMPLES = REPO / "samples"
KEY_FILE = SAMPLES / "demo.key"
NAMES = sorted(p.name for p in (SAMPLES / "expected").iterdir())

# A few values per sample that must never survive (more are covered by the expected files).
MUST_GO = {
    "android-logcat-linphone.log": ["Marta Kowalczyk", "+442079460958", "192.168.1.37"],
    "ios-console-softphone.log": ["+12025550143", "jonas.becker+work@example.org", "+493090182055"],
    "linphone-sip-trace.log": ["Anna Fischer", "+493090182071", "anna.fischer@example.org"],
    "pjsip-sip-trace.log": ["Alice Nguyen", "Robert Okafor", "+12025550199", "192.168.0.23"],
    "provisioning.log": ["Kx9#vT2q!wLp", "Adm1n#2026", "m.kowalczyk.private@example.net"],
    "messaging.jsonl": ["Graham Fletcher", "+1 202 555 0112", "4111 1111 1111 1111"],
}
# ...and a few that must (support needs them).
MUST_STAY = {
    "pjsip-sip-trace.log": ["CSeq:", "REGISTER", "--end msg--"],
    "linphone-sip-trace.log": ["SIP/2.0 200 OK", "branch=z9hG4bK"],
    "provisioning.log": [".cfg"],
}


def _scrubber() -> Scrubber:
    return Scrubber(Policy(key=bytes.fromhex(KEY_FILE.read_text().strip())))


class _TinyReads(io.RawIOBase):
    """A reader that hands out a few bytes per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = min(len(buffer), 1 + self.pos % 97, len(self.data) - self.pos)
        buffer[:size] = self.data[self.pos : self.pos + size]
        self.pos += size
        return size


def test_every_sample_has_an_expected_output() -> None:
    inputs = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".log", ".jsonl"))
    assert inputs == NAMES
    assert len(NAMES) >= 5


@pytest.mark.parametrize("name", NAMES)
def test_sample_matches_expected_on_every_path(name: str, tmp_path: Path) -> None:
    data = (SAMPLES / name).read_bytes()
    expected = (SAMPLES / "expected" / name).read_bytes()
    assert _scrubber().scrub_bytes(data).data == expected

    # A stream is read once (it learns forward only, see run.py): tiny reads give what
    # one big read gives, and never more than the file path leaves.
    out = io.BytesIO()
    _scrubber().scrub_stream(io.BufferedReader(_TinyReads(data), buffer_size=7), out)  # type: ignore[arg-type]
    whole = io.BytesIO()
    _scrubber().scrub_stream(io.BytesIO(data), whole)
    assert out.getvalue() == whole.getvalue()
    assert out.getvalue().count(b"\n") == expected.count(b"\n")

    _scrubber().scrub_file(SAMPLES / name, tmp_path / "lib.out")
    assert (tmp_path / "lib.out").read_bytes() == expected

    assert (
        main(
            ["scrub", str(SAMPLES / name), "-o", str(tmp_path / "cli.out"), "--key-file", str(KEY_FILE), "-q"]
        )
        == 0
    )
    assert (tmp_path / "cli.out").read_bytes() == expected


@pytest.mark.parametrize("name", NAMES)
def test_sample_output_keeps_lines_and_drops_secrets(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    out = (SAMPLES / "expected" / name).read_bytes()
    assert out.count(b"\n") == data.count(b"\n")
    assert out.endswith(b"\n") == data.endswith(b"\n")
    text = out.decode("utf-8", "surrogateescape")
    for secret in MUST_GO.get(name, []):
        assert secret in data.decode("utf-8", "surrogateescape"), f"sample lost its planted value {secret!r}"
        assert secret not in text, secret
    for keeper in MUST_STAY.get(name, []):
        assert keeper in text, keeper


def test_readme_first_command_shape() -> None:
    """The README's first command scrubs a bundled sample to stdout."""
    proc = subprocess.run(
        [sys.executable, "-m", "logscrub", "scrub", str(SAMPLES / "linphone-sip-trace.log")],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(b"\n") == (SAMPLES / "linphone-sip-trace.log").read_bytes().count(b"\n")
    assert b"replaced" in proc.stderr
