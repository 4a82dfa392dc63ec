"""The public library API: exports, Scrubber methods, stats, errors, byte fidelity."""

from __future__ import annotations

import io
import itertools
import json
import os
from pathlib import Path

import pytest

import logscrub
from logscrub import (
    Entity,
    InputError,
    LogscrubError,
    Policy,
    PolicyError,
    RuleError,
    RuleTimeoutError,
    Scrubber,
    Stats,
)

from .conftest import KEY, REPO, SLOW_LINE, SLOW_PACK

EXPECTED_ALL = {
    "DEFAULT_OPERATORS",
    "BytesResult",
    "CheckFinding",
    "FileReport",
    "Report",
    "Entity",
    "Explained",
    "ExplainedLine",
    "Finding",
    "InputError",
    "LogscrubError",
    "Operator",
    "Policy",
    "PolicyError",
    "Rule",
    "RuleError",
    "RulePack",
    "RuleTimeoutError",
    "Scrubber",
    "Stats",
    "TextResult",
    "__version__",
    "load_pack",
    "load_rule_packs",
    "parse_pack",
    "scrub_text",
}

SAMPLE = (
    'From: "Jane Roe" <sip:+12025550147@pbx.example.org>;tag=a6c85cf\r\n'
    "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK776asdhds\r\n"
    "password=hunter2x\r\n"
    "mail bob.smith@example.com\r\n"
)
SECRETS = ["Jane Roe", "+12025550147", "192.168.1.20", "hunter2x", "bob.smith@example.com"]


def test_public_names_are_exactly_the_expected_set() -> None:
    assert set(logscrub.__all__) == EXPECTED_ALL
    assert len(logscrub.__all__) == len(set(logscrub.__all__))
    for name in logscrub.__all__:
        assert hasattr(logscrub, name), name


def test_version_string() -> None:
    assert isinstance(logscrub.__version__, str)
    assert logscrub.__version__.count(".") >= 1


def test_scrub_text_simple_case() -> None:
    text = 'From: "Jane Roe" <sip:+14155550123@pbx.example.org>\n'
    out = logscrub.scrub_text(text)
    assert isinstance(out, str)
    assert "Jane Roe" not in out and "+14155550123" not in out
    assert out.endswith("@pbx.example.org>\n")
    assert out.startswith('From: "')
    # one default Scrubber per process: the same call gives the same answer
    assert logscrub.scrub_text(text) == out
    # a policy can switch operators
    labelled = logscrub.scrub_text(text, Policy(key=KEY).with_operators({"PHONE_NUMBER": "label"}))
    assert "<PHONE_NUMBER>" in labelled


def test_text_result_and_bytes_result() -> None:
    scrubber = Scrubber(key=KEY)
    result = scrubber.scrub_text(SAMPLE)
    assert str(result) == result.text
    assert isinstance(result.stats, Stats)
    data = scrubber.scrub_bytes(SAMPLE.encode())
    assert data.data == result.text.encode()


def test_stats_count_per_entity() -> None:
    result = Scrubber(key=KEY).scrub_text(SAMPLE)
    stats = result.stats
    assert stats.by_entity["PERSON_NAME"] == 1
    assert stats.by_entity["PHONE_NUMBER"] == 1
    assert stats.by_entity["IP_ADDRESS"] == 1
    assert stats.by_entity["CREDENTIAL"] == 1
    assert stats.by_entity["EMAIL_ADDRESS"] == 1
    assert stats.replaced == 5
    assert sum(stats.by_rule.values()) == 5
    assert stats.lines == 4
    assert stats.bytes_in == len(SAMPLE.encode())
    assert stats.bytes_out == len(result.text.encode())
    as_dict = stats.to_dict()
    assert as_dict["replaced"] == 5
    assert as_dict["by_entity"]["IP_ADDRESS"] == 1
    # counts only, never the values
    rendered = repr(as_dict) + repr(stats)
    for secret in SECRETS:
        assert secret not in rendered


def test_stats_merge() -> None:
    scrubber = Scrubber(key=KEY)
    total = Stats()
    total.merge(scrubber.scrub_text(SAMPLE).stats)
    total.merge(scrubber.scrub_text(SAMPLE).stats)
    assert total.by_entity["PHONE_NUMBER"] == 2
    assert total.lines == 8


def test_findings_do_not_replace() -> None:
    scrubber = Scrubber(key=KEY)
    findings = scrubber.findings(SAMPLE)
    values = {SAMPLE[f.start : f.end] for f in findings}
    assert set(SECRETS) <= values
    assert all(isinstance(f.entity, Entity) for f in findings)
    spans = [(f.start, f.end) for f in findings]
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_scrub_file_writes_dst(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.log", tmp_path / "out.log"
    src.write_bytes(SAMPLE.encode())
    stats = Scrubber(key=KEY).scrub_file(src, dst)
    assert stats.replaced == 5
    out = dst.read_text()
    for secret in SECRETS:
        assert secret not in out
    assert src.read_bytes() == SAMPLE.encode()  # the input is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.log", "out.log"]


def test_scrub_file_in_place(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_bytes(SAMPLE.encode())
    os.chmod(path, 0o640)
    expected = Scrubber(key=KEY).scrub_bytes(SAMPLE.encode()).data
    Scrubber(key=KEY).scrub_file(path, path)
    assert path.read_bytes() == expected
    assert (path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["app.log"]  # no temporary file left behind


def test_scrub_file_errors_leave_no_output(tmp_path: Path) -> None:
    scrubber = Scrubber(key=KEY)
    dst = tmp_path / "out.log"
    with pytest.raises(InputError) as info:
        scrubber.scrub_file(tmp_path / "missing.log", dst)
    assert "missing.log" in str(info.value)
    assert not dst.exists()
    src = tmp_path / "in.log"
    src.write_text("x\n")
    with pytest.raises(InputError):
        scrubber.scrub_file(src, tmp_path / "no_such_dir" / "out.log")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.log"]


def _timeout_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "slow.yaml"
    pack.write_text(SLOW_PACK)
    return pack


def test_scrub_file_is_atomic_on_rule_timeout(tmp_path: Path) -> None:
    """A rule timeout in the middle of a file leaves neither the output nor a temp file."""
    src = tmp_path / "in.log"
    body = "".join(f"line {i} call +1 202 555 01{i % 100:02} ok\n" for i in range(400))
    src.write_text(body + SLOW_LINE)
    dst = tmp_path / "out.log"
    dst.write_text("previous content\n")
    policy = Policy(key=KEY, rule_timeout=1.0, block_size=1024)
    scrubber = Scrubber(policy, rules=[_timeout_pack(tmp_path)])
    with pytest.raises(RuleTimeoutError):
        scrubber.scrub_file(src, dst)
    assert dst.read_text() == "previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.log", "out.log", "slow.yaml"]


def test_library_never_prints(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    scrubber = Scrubber(key=KEY)
    scrubber.scrub_text(SAMPLE)
    scrubber.scrub_bytes(b"\x00\xffbinary\n")
    src = tmp_path / "in.log"
    src.write_text(SAMPLE)
    scrubber.scrub_file(src, tmp_path / "out.log")
    logscrub.scrub_text(SAMPLE)
    for bad in (
        lambda: scrubber.scrub_file(tmp_path / "nope", tmp_path / "o"),
        lambda: Policy(key=b"short"),
        lambda: Scrubber(rules=[tmp_path / "nope.yaml"]),
    ):
        with pytest.raises(LogscrubError):
            bad()
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_error_hierarchy() -> None:
    for cls in (InputError, PolicyError, RuleError, RuleTimeoutError):
        assert issubclass(cls, LogscrubError)
    assert issubclass(LogscrubError, Exception)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Policy(key=b"too short"),
        lambda: Policy(key=KEY, binary="explode"),
        lambda: Policy(key=KEY, max_line_length=1000, window_overlap=512),
        lambda: Policy(key=KEY, block_size=10),
        lambda: Policy(key=KEY, rule_timeout=0),
        lambda: Policy(key=KEY).with_operators({"PHONE_NUMBER": "shred"}),
        lambda: Policy(key=KEY).with_operators({"SHOE_SIZE": "label"}),
        lambda: Policy.from_mapping({"colour": "blue"}),
        lambda: Scrubber(key=KEY, operators={"PHONE_NUMBER": "obliterate"}),
    ],
)
def test_policy_errors(make: object) -> None:
    with pytest.raises(PolicyError):
        make()  # type: ignore[operator]


def test_policy_from_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "operators:\n  phone_number: label\n  EMAIL_ADDRESS: mask\nmax_line_length: 4096\n"
        "window_overlap: 512\n"
    )
    policy = Policy.from_file(path, base=Policy(key=KEY))
    assert policy.key == KEY and policy.max_line_length == 4096
    out = Scrubber(policy).scrub_text("call +1 202 555 0147 or bob@example.com\n").text
    assert out == "call <PHONE_NUMBER> or ********\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text("operators: [1, 2]\n")
    with pytest.raises(PolicyError, match=r"bad\.yaml"):
        Policy.from_file(bad)


def test_operators_per_entity() -> None:
    text = "call +1 202 555 0147 ok\n"
    assert (
        Scrubber(key=KEY, operators={"PHONE_NUMBER": "label"}).scrub_text(text).text
        == "call <PHONE_NUMBER> ok\n"
    )
    assert (
        Scrubber(key=KEY, operators={Entity.PHONE_NUMBER: "mask"}).scrub_text(text).text
        == "call ******** ok\n"
    )
    assert Scrubber(key=KEY, operators={"PHONE_NUMBER": "keep"}).scrub_text(text).text == text


def test_binary_input_is_reported() -> None:
    data = b"header\x00\x01\x02 call +1 202 555 0147 ok\n\x00tail"
    result = Scrubber(key=KEY).scrub_bytes(data)
    assert result.stats.binary is True
    assert result.stats.warnings and any("binary" in w for w in result.stats.warnings)
    assert b"202 555 0147" not in result.data  # still scanned as text
    assert result.data.count(b"\x00") == 2
    clean = Scrubber(key=KEY).scrub_bytes(b"no nul here\n").stats
    assert clean.binary is False and clean.warnings == []


def test_binary_fail_policy_raises(tmp_path: Path) -> None:
    scrubber = Scrubber(Policy(key=KEY, binary="fail"))
    with pytest.raises(InputError, match="binary"):
        scrubber.scrub_bytes(b"abc\x00def\n")
    src, dst = tmp_path / "capture.bin", tmp_path / "out.bin"
    src.write_bytes(b"x" * 5000 + b"\x00")
    with pytest.raises(InputError) as info:
        scrubber.scrub_file(src, dst)
    assert "capture.bin" in str(info.value)
    assert not dst.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["capture.bin"]


@pytest.mark.parametrize(
    "data",
    [
        b"call +1 202 555 0147\r\nnext line\r\n",
        b"call +1 202 555 0147\r\nno final newline +1 202 555 0148",
        b"\xff\xfe bad +1 202 555 0147 \xc3( bytes\n\x80\n",
        b"ip 10.1.2.3\r\n\r\n\n\r\nip 10.1.2.4",
        "caf\u00e9 +1 202 555 0147 \u00fcber \xf0\x9f\x98\x80\r\n".encode("latin-1", "replace") + b"\xff",
        b"\xed\xa0\x80 surrogate bytes password=hunter2x \xed\xb0\x80\r\n",
    ],
)
def test_bytes_preserved_around_replacements(data: bytes) -> None:
    scrubber = Scrubber(key=KEY)
    out = scrubber.scrub_bytes(data).data
    assert b"555 0147" not in out and b"10.1.2.3" not in out and b"hunter2x" not in out
    assert out.count(b"\n") == data.count(b"\n")
    assert out.count(b"\r\n") == data.count(b"\r\n")
    assert out.endswith(b"\n") == data.endswith(b"\n")
    # every byte outside the replaced values is unchanged: rebuild the input from the
    # output by swapping the replacements back
    text_in = data.decode("utf-8", "surrogateescape")
    findings = scrubber.findings(text_in)
    assert findings
    pieces_in, last = [], 0
    for f in findings:
        pieces_in.append(text_in[last : f.start])
        last = f.end
    pieces_in.append(text_in[last:])
    text_out = out.decode("utf-8", "surrogateescape")
    pos = 0
    for piece in pieces_in:
        idx = text_out.find(piece, pos)
        assert idx >= 0, f"{piece!r} not preserved in {text_out!r}"
        pos = idx + len(piece)
    assert text_out.startswith(pieces_in[0]) and text_out.endswith(pieces_in[-1])


def test_scrub_text_preserves_surrogate_escapes() -> None:
    text = b"\xff ip 10.1.2.3 \xfe\r\n".decode("utf-8", "surrogateescape")
    out = Scrubber(key=KEY).scrub_text(text).text
    assert out.startswith("\udcff ip ") and out.endswith(" \udcfe\r\n")
    assert "10.1.2.3" not in out


def test_scrub_stream_reads_and_writes_binary_streams() -> None:
    src, dst = io.BytesIO(SAMPLE.encode()), io.BytesIO()
    stats = Scrubber(key=KEY).scrub_stream(src, dst, name="bundle/app.log")
    assert stats.replaced == 5
    assert dst.getvalue() == Scrubber(key=KEY).scrub_bytes(SAMPLE.encode()).data


def test_empty_input() -> None:
    scrubber = Scrubber(key=KEY)
    assert scrubber.scrub_text("").text == ""
    result = scrubber.scrub_bytes(b"")
    assert result.data == b"" and result.stats.replaced == 0


def test_scrubber_is_thread_safe() -> None:
    from concurrent.futures import ThreadPoolExecutor

    scrubber = Scrubber(key=KEY)
    lines = [f"call +1 202 555 {i:04} from 10.0.{i % 250}.{i % 200 + 1}\n" for i in range(200)]
    reference = Scrubber(key=KEY)
    expected = [reference.scrub_text(line).text for line in lines]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda line: scrubber.scrub_text(line).text, lines))
    assert got == expected


def test_scrub_files_returns_a_typed_report(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("call from +14155550123 (Jane Roe)\n")
    capture = REPO / "samples" / "captures" / "message.pcap"
    report = logscrub.Scrubber(key=KEY).scrub_files(
        [(log, tmp_path / "app.out"), (capture, tmp_path / "m.pcap")]
    )
    assert isinstance(report, logscrub.Report)
    assert [f.path for f in report.files] == [str(log), str(capture)]
    assert report.totals.packets == 2 and report.totals.by_entity["PHONE_NUMBER"] >= 2
    data = json.loads(report.to_json())
    assert data["files"][1]["packets"] == 2 and data["rule_packs"] and data["logscrub_version"]
    assert "+14155550123" not in report.to_json() and "Jane Roe" not in report.to_json()
    assert "app.log" in report.table()
