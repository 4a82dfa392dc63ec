"""Two files of one incident get the same pseudonyms, in one run or in two runs with one
key file; nothing the CLI writes holds the key or an original value (issue 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from logscrub.cli import main

CALLER = "+14155550123"
CALLER_SPACED = "+1 415-555-0123"
SBC = "203.0.113.50"
PUSH = "4a1f0c7e9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"
NAME = "Jane Roe"

LOGCAT = f"""\
03-04 10:11:30.120  4821  4870 I AcmeCall: incoming call from {CALLER_SPACED} ({NAME})
03-04 10:11:30.121  4821  4870 D AcmePush: push_token={PUSH} registered with sbc {SBC}
03-04 10:11:31.002  4821  4870 I AcmeCall: answered, remote party {CALLER}
"""

SIP_TRACE = f"""\
INVITE sip:alice@pbx.example.org SIP/2.0
Via: SIP/2.0/UDP {SBC}:5060;branch=z9hG4bK776asdhds
From: "{NAME}" <sip:{CALLER}@pbx.example.org>;tag=1928301774
To: <sip:alice@pbx.example.org>
Contact: <sip:alice@10.0.0.7:5060;pn-provider=apns;pn-prid={PUSH};pn-param=ABCD1234.org.acme.voip>
Call-ID: a84b4c76e66710@pbx.example.org
CSeq: 314159 INVITE
Content-Length: 0

"""

ORIGINALS = [CALLER, "4155550123", SBC, PUSH, NAME, "alice"]


@pytest.fixture()
def incident(tmp_path: Path) -> tuple[Path, Path, Path]:
    logcat, trace = tmp_path / "logcat.txt", tmp_path / "sip.log"
    logcat.write_text(LOGCAT)
    trace.write_text(SIP_TRACE)
    key = tmp_path / "incident.key"
    assert main(["keygen", str(key)]) == 0
    return logcat, trace, key


def _pseudonyms(logcat: str, trace: str) -> dict[str, tuple[str, str]]:
    """The replacement of each planted value in each file, found at its known place."""
    caller_l = re.search(r"remote party (\S+)", logcat)
    caller_t = re.search(r'From: "[^"]+" <sip:([^@]+)@', trace)
    sbc_l = re.search(r"with sbc (\S+)", logcat)
    sbc_t = re.search(r"UDP ([\d.]+):5060", trace)
    push_l = re.search(r"push_token=(\S+)", logcat)
    push_t = re.search(r"pn-prid=([^;]+);", trace)
    name_l = re.search(r"\((Person-[0-9a-f]+)\)", logcat)
    name_t = re.search(r'From: "([^"]+)"', trace)
    found = [caller_l, caller_t, sbc_l, sbc_t, push_l, push_t, name_l, name_t]
    assert all(found), (logcat, trace)
    groups = [m.group(1) for m in found if m]
    return {
        "caller": (groups[0], groups[1]),
        "sbc": (groups[2], groups[3]),
        "push": (groups[4], groups[5]),
        "name": (groups[6], groups[7]),
    }


def test_one_run_and_two_runs_agree_everywhere(incident: tuple[Path, Path, Path], tmp_path: Path) -> None:
    logcat, trace, key = incident
    together = tmp_path / "together"
    together.mkdir()
    keyed = ["--key-file", str(key), "-q"]
    assert main(["scrub", str(logcat), str(trace), "--out-dir", str(together), *keyed]) == 0
    apart = [tmp_path / "apart-logcat.txt", tmp_path / "apart-sip.log"]
    assert main(["scrub", str(logcat), "-o", str(apart[0]), "--key-file", str(key), "-q"]) == 0
    assert main(["scrub", str(trace), "-o", str(apart[1]), "--key-file", str(key), "-q"]) == 0

    one_run = _pseudonyms((together / "logcat.txt").read_text(), (together / "sip.log").read_text())
    two_runs = _pseudonyms(apart[0].read_text(), apart[1].read_text())
    assert one_run == two_runs
    for what, (in_logcat, in_trace) in one_run.items():
        assert in_logcat == in_trace, what  # the same party, address and token in both files
    assert one_run["caller"][0] not in (CALLER,) and one_run["caller"][0].startswith("+1")
    # The spaced and the E.164 spelling in the logcat are one number.
    spaced = re.search(r"call from (\+1 \d{3}-\d{3}-\d{4})", (together / "logcat.txt").read_text())
    assert spaced and re.sub(r"[ -]", "", spaced.group(1)) == one_run["caller"][0]
    for path in [*together.iterdir(), *apart]:
        text = path.read_text()
        assert not any(value in text for value in ORIGINALS), path


def test_nothing_written_holds_the_key_or_an_original(
    incident: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logcat, trace, key = incident
    key_text = key.read_text().strip()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    report, mapping = tmp_path / "report.json", tmp_path / "map.bin"
    assert main(["keygen", "--owner", str(tmp_path / "owner")]) == 0
    args = ["scrub", str(logcat), str(trace), "--out-dir", str(out_dir), "--key-file", str(key)]
    args += ["--report", str(report), "--mapping", str(mapping), "--mapping-key", str(tmp_path / "owner.pub")]
    assert main(args) == 0
    # A bad key file is refused without echoing it.
    bad = tmp_path / "bad.key"
    bad.write_text("short")
    assert main(["scrub", str(logcat), "-o", str(tmp_path / "x.txt"), "--key-file", str(bad)]) == 2
    captured = capsys.readouterr()
    written = [p.read_bytes() for p in out_dir.iterdir()] + [report.read_bytes(), mapping.read_bytes()]
    written += [captured.out.encode(), captured.err.encode()]
    for blob in written:
        assert key_text.encode() not in blob and bytes.fromhex(key_text) not in blob
        assert not any(value.encode() in blob for value in ORIGINALS)
    assert "short" not in captured.err
    # The data owner, and only the owner, reads the table back.
    assert main(["mapping", "show", str(mapping), "--owner-key", str(tmp_path / "owner.key")]) == 0
    table = capsys.readouterr().out
    assert f"PHONE_NUMBER\t{CALLER}\t" in table and f"IP_ADDRESS\t{SBC}\t" in table
    other = tmp_path / "other"
    assert main(["keygen", "--owner", str(other)]) == 0
    assert main(["mapping", "show", str(mapping), "--owner-key", f"{other}.key"]) == 2
