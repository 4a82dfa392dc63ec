"""The command line, called in-process through logscrub.cli.main (and once as a subprocess for stdin)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import logscrub
from logscrub.cli import main

from .conftest import KEY_HEX, OTHER_KEY_HEX, PYTHON, REPO, SLOW_LINE, SLOW_PACK, one_error_line

LOG = (
    "2026-03-04 10:11:12.345 INFO [main] REGISTER sip:pbx.example.org\n"
    'From: "Jane Roe" <sip:+12025550147@pbx.example.org>;tag=a6c85cf\r\n'
    "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK776asdhds\n"
    "password=hunter2x\n"
    "mail bob.smith@example.com"
)
SECRETS = ["Jane Roe", "+12025550147", "192.168.1.20", "hunter2x", "bob.smith@example.com"]


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "app.log"
    path.write_bytes(LOG.encode())
    return path


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key.txt"
    path.write_text(KEY_HEX + "\n")
    return path


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGSCRUB_KEY", raising=False)


def assert_scrubbed(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    for secret in SECRETS:
        assert secret not in text
    assert text.count("\n") == LOG.count("\n")
    assert "branch=z9hG4bK776asdhds" in text and "@pbx.example.org" in text


def test_scrub_file_to_output(tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.log"
    assert main(["scrub", str(log_file), "-o", str(out)]) == 0
    assert_scrubbed(out.read_bytes())
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "replaced" in captured.err  # the summary
    for secret in SECRETS:
        assert secret not in captured.err
    assert log_file.read_bytes() == LOG.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.log", "out.log"]


def test_quiet(tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scrub", "-q", str(log_file), "-o", str(tmp_path / "out.log")]) == 0
    assert capsys.readouterr().err == ""


def test_scrub_to_stdout(log_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["scrub", "-q", str(log_file), "-o", "-"]) == 0
    assert_scrubbed(capsysbinary.readouterr().out)
    assert main(["scrub", "-q", str(log_file)]) == 0
    assert_scrubbed(capsysbinary.readouterr().out)


def run_cli(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if k != "LOGSCRUB_KEY"}
    full_env.update(env or {})
    return subprocess.run(
        [PYTHON, "-m", "logscrub", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_stdin_to_stdout_subprocess(tmp_path: Path) -> None:
    proc = run_cli("scrub", "-q", "-", stdin=LOG.encode() + b"\xff\n")
    assert proc.returncode == 0, proc.stderr
    assert_scrubbed(proc.stdout[:-2])
    assert proc.stdout.endswith(b"\xff\n")
    assert proc.stderr == b""
    # stdin to a file
    out = tmp_path / "from_stdin.log"
    proc = run_cli("scrub", "-q", "-", "-o", str(out), stdin=LOG.encode())
    assert proc.returncode == 0, proc.stderr
    assert_scrubbed(out.read_bytes())


def test_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing, out = tmp_path / "nope.log", tmp_path / "out.log"
    assert main(["scrub", str(missing), "-o", str(out)]) == 2
    one_error_line(capsys.readouterr().err, str(missing))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_unreadable_input(tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(log_file, 0)
    try:
        if os.access(log_file, os.R_OK):
            pytest.skip("running with privileges that can read a mode-000 file")
        out = tmp_path / "out.log"
        assert main(["scrub", str(log_file), "-o", str(out)]) == 2
        one_error_line(capsys.readouterr().err, str(log_file))
        assert not out.exists()
    finally:
        os.chmod(log_file, 0o644)


def test_directory_as_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    assert main(["scrub", str(folder), "-o", str(tmp_path / "out.log")]) == 2
    one_error_line(capsys.readouterr().err, str(folder))
    assert not (tmp_path / "out.log").exists()


def test_several_inputs_need_out_dir(
    tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.log"
    other.write_text("x\n")
    assert main(["scrub", str(log_file), str(other)]) == 2
    one_error_line(capsys.readouterr().err)
    assert main(["scrub", str(log_file), str(other), "-o", str(tmp_path / "o.log")]) == 2
    assert not (tmp_path / "o.log").exists()


def test_conflicting_output_options(tmp_path: Path, log_file: Path) -> None:
    assert main(["scrub", str(log_file), "-o", str(tmp_path / "o"), "--in-place"]) == 2
    assert main(["scrub", "-", "--in-place"]) == 2
    assert log_file.read_bytes() == LOG.encode()


def test_out_dir(tmp_path: Path, log_file: Path) -> None:
    second = tmp_path / "sub" / "second.log"
    second.parent.mkdir()
    second.write_bytes(b"call +1 202 555 0147 ok\n")
    dest = tmp_path / "scrubbed"
    dest.mkdir()
    assert main(["scrub", "-q", str(log_file), str(second), "--out-dir", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == ["app.log", "second.log"]
    assert_scrubbed((dest / "app.log").read_bytes())
    assert b"555 0147" not in (dest / "second.log").read_bytes()
    # an out-dir that is a file is an input error (a missing one is created)
    assert main(["scrub", "-q", str(log_file), "--out-dir", str(log_file)]) == 2


def test_out_dir_name_clash(tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "sub" / "app.log"
    other.parent.mkdir()
    other.write_text("x\n")
    dest = tmp_path / "scrubbed"
    dest.mkdir()
    assert main(["scrub", str(log_file), str(other), "--out-dir", str(dest)]) == 2
    one_error_line(capsys.readouterr().err)
    assert list(dest.iterdir()) == []


def test_in_place(tmp_path: Path, log_file: Path) -> None:
    other = tmp_path / "b.log"
    other.write_bytes(b"ip 10.1.2.3\r\n")
    assert main(["scrub", "-q", "--in-place", str(log_file), str(other)]) == 0
    assert_scrubbed(log_file.read_bytes())
    data = other.read_bytes()
    assert b"10.1.2.3" not in data and data.endswith(b"\r\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.log", "b.log"]


def test_report(tmp_path: Path, log_file: Path) -> None:
    out, report = tmp_path / "out.log", tmp_path / "report.json"
    assert main(["scrub", "-q", str(log_file), "-o", str(out), "--report", str(report)]) == 0
    raw = report.read_text()
    data = json.loads(raw)
    totals = data["totals"]
    assert totals["replaced"] == 5
    assert totals["by_entity"] == {
        "CREDENTIAL": 1,
        "EMAIL_ADDRESS": 1,
        "IP_ADDRESS": 1,
        "PERSON_NAME": 1,
        "PHONE_NUMBER": 1,
    }
    assert data["files"][0]["path"] == str(log_file)
    assert data["files"][0]["replaced"] == 5
    for secret in SECRETS:
        assert secret not in raw
    assert KEY_HEX not in raw


def test_key_file_and_env_give_stable_output(
    tmp_path: Path, log_file: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(*extra: str) -> bytes:
        out = tmp_path / "out.log"
        assert main(["scrub", "-q", str(log_file), "-o", str(out), *extra]) == 0
        data = out.read_bytes()
        out.unlink()
        return data

    with_file = run("--key-file", str(key_file))
    assert run("--key-file", str(key_file)) == with_file
    monkeypatch.setenv("LOGSCRUB_KEY", KEY_HEX)
    assert run() == with_file
    assert run() == with_file
    monkeypatch.setenv("LOGSCRUB_KEY", OTHER_KEY_HEX)
    other = run()
    assert other != with_file
    assert run() == other
    other_file = tmp_path / "other.key"
    other_file.write_text(OTHER_KEY_HEX)
    assert run("--key-file", str(other_file)) == other  # the key file wins over the environment
    monkeypatch.delenv("LOGSCRUB_KEY")
    assert run() != run()  # no key: a random one per run
    for data in (with_file, other):
        assert KEY_HEX.encode() not in data and OTHER_KEY_HEX.encode() not in data


def test_bad_key_file(tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    short = tmp_path / "short.key"
    short.write_text("abc\n")
    out = tmp_path / "out.log"
    assert main(["scrub", str(log_file), "-o", str(out), "--key-file", str(short)]) == 2
    one_error_line(capsys.readouterr().err, str(short))
    assert not out.exists()


def test_rules_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    out = capsys.readouterr().out
    for rule_id in ("phone.e164", "email.address", "ip.v4", "sip.uri.user", "key.credential", "token.jwt"):
        assert rule_id in out
    ids = {r.id for r in logscrub.Scrubber().rules}
    assert len(out.strip().splitlines()) == len(ids)


def test_rules_list_with_user_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "schema: 1\nrules:\n  - id: custom.ticket\n    entity: TOKEN\n    patterns: ['CUST-[0-9]{6}']\n"
    )
    assert main(["rules", "list", "--rules", str(pack)]) == 0
    assert "custom.ticket" in capsys.readouterr().out


def test_rules_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "schema: 1\nrules:\n  - id: custom.ticket\n    entity: TOKEN\n    patterns: ['CUST-[0-9]{6}']\n"
    )
    assert main(["rules", "check", str(good)]) == 0
    assert "ok" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\nrules:\n  - id: custom.broken\n    entity: TOKEN\n    patterns: ['(oops']\n")
    assert main(["rules", "check", str(bad)]) == 2
    one_error_line(capsys.readouterr().err, "custom.broken", str(bad))
    clash = tmp_path / "clash.yaml"
    clash.write_text(
        "schema: 1\nrules:\n  - id: phone.e164\n    entity: TOKEN\n    patterns: ['CUST-[0-9]{6}']\n"
    )
    assert main(["rules", "check", str(clash)]) == 2
    one_error_line(capsys.readouterr().err, "phone.e164")


def test_builtin_packs_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    # the shipped packs are valid on their own (checked alone: alongside the built-ins they clash)
    for path in sorted((REPO / "rules").glob("*.yaml")):
        logscrub.load_pack(path)
    assert main(["rules", "check", "--help"]) == 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"logscrub {logscrub.__version__}"


def test_policy_file_switches_operator(tmp_path: Path, log_file: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("operators:\n  PHONE_NUMBER: label\n")
    out = tmp_path / "out.log"
    assert main(["scrub", "-q", str(log_file), "-o", str(out), "--policy", str(policy)]) == 0
    text = out.read_text()
    assert "sip:<PHONE_NUMBER>@pbx.example.org" in text
    assert "+12025550147" not in text


def test_bad_policy_file(tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("operators:\n  PHONE_NUMBER: shred\n")
    out = tmp_path / "out.log"
    assert main(["scrub", str(log_file), "-o", str(out), "--policy", str(policy)]) == 2
    one_error_line(capsys.readouterr().err, str(policy))
    assert not out.exists()


def test_no_half_written_output_on_rule_timeout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(SLOW_PACK)
    policy = tmp_path / "policy.yaml"
    policy.write_text("rule_timeout: 1.0\nblock_size: 1024\n")
    src = tmp_path / "big.log"
    src.write_text("".join(f"line {i} call +1 202 555 01{i % 100:02} ok\n" for i in range(400)) + SLOW_LINE)
    out = tmp_path / "out.log"
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(["scrub", str(src), "-o", str(out), "--rules", str(pack), "--policy", str(policy)])
    assert code == 2  # an input problem, not a bug
    one_error_line(capsys.readouterr().err, "custom.slow")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left
    # with an existing output, the old content stays
    out.write_text("old\n")
    assert main(["scrub", "-q", str(src), "-o", str(out), "--rules", str(pack), "--policy", str(policy)]) == 2
    assert out.read_text() == "old\n"


def test_no_half_written_output_from_stdin(tmp_path: Path) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(SLOW_PACK)
    policy = tmp_path / "policy.yaml"
    policy.write_text("rule_timeout: 1.0\n")
    out = tmp_path / "out.log"
    proc = run_cli(
        "scrub",
        "-",
        "-o",
        str(out),
        "--rules",
        str(pack),
        "--policy",
        str(policy),
        stdin=LOG.encode() + b"\n" + SLOW_LINE.encode(),
    )
    assert proc.returncode == 2, proc.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.yaml", "slow.yaml"]


@pytest.mark.parametrize("args", [["scrub", "--frobnicate", "x.log"], ["nonsense"], ["scrub"]])
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert "this is a bug" not in capsys.readouterr().err


def test_check_reads_stdin_with_files() -> None:
    proc = run_cli("check", "-", "samples/linphone-sip-trace.log", stdin=LOG.encode())
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert any(line.startswith("-:") for line in lines)
    assert any(line.startswith("samples/linphone-sip-trace.log:") for line in lines)


def test_out_dir_is_created(tmp_path: Path, log_file: Path) -> None:
    out_dir = tmp_path / "a" / "b"
    assert main(["scrub", "-q", str(log_file), "--out-dir", str(out_dir), "--keep-names"]) == 0
    assert (out_dir / log_file.name).exists()


@pytest.mark.parametrize(
    ("policy_text", "message"),
    [
        ("disabled_rules: [phone.no_such_rule]\n", "'phone.no_such_rule'"),
        ("operators:\n  PHONE_NUMBER: [mask\n", "line 3, column 1"),
    ],
)
def test_policy_mistakes_are_one_line(
    tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str], policy_text: str, message: str
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(policy_text)
    assert main(["scrub", "-q", str(log_file), "-o", str(tmp_path / "o.log"), "--policy", str(policy)]) == 2
    one_error_line(capsys.readouterr().err, message)


def test_scrub_text_says_to_use_scrub_bytes() -> None:
    with pytest.raises(logscrub.LogscrubError, match="scrub_bytes"):
        logscrub.Scrubber().scrub_text(b"call +14155550123")  # type: ignore[arg-type]


COMMANDS = [
    "scrub",
    "check",
    "fix",
    "explain",
    "allow",
    "bulk",
    "keygen",
    "rules list",
    "rules doc",
    "mapping show",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_plain_text_that_fits_80_columns(command: str) -> None:
    """No Python types (`<list[str]>`, `<bool>`), no markup eaten (`[values]` stays), and
    no line past the terminal's 80 columns."""
    proc = run_cli(*command.split(), "--help", env={"COLUMNS": "80", "TERM": "dumb"})
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode()
    assert "Usage: logscrub" in text
    for python_type in ("<list", "<bool>", "<str>", "<path>", "<int>", "Path]", "None"):
        assert python_type not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_the_summary_table_fits_the_terminal(tmp_path: Path) -> None:
    """A bundle with twelve kinds of finding and long member names: every line of the
    per-member table fits 80 columns; what was found is wrapped, names shortened."""
    proc = run_cli(
        "scrub", "samples/bundles/send-logs.zip", "-o", str(tmp_path / "out.zip"), env={"COLUMNS": "80"}
    )
    assert proc.returncode == 0, proc.stderr
    table = proc.stderr.decode().split("\n", 2)[2]  # after the summary and the warning
    rows = table.splitlines()
    assert rows[0].split() == ["file", "MB", "lines", "packets", "replaced", "found"]
    assert max(len(row) for row in rows) <= 80
    assert "PHONE 86" in table and "screenshot.png" in table and "dropped" in table
    wide = run_cli(
        "scrub", "samples/bundles/send-logs.zip", "-o", str(tmp_path / "out.zip"), env={"COLUMNS": "200"}
    )
    assert len(wide.stderr.decode().split("\n", 2)[2].splitlines()) < len(rows)  # wider: fewer wraps


def test_reports_findings_and_allowlists_get_ordinary_permissions(
    tmp_path: Path, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files that hold no secret get 0666 less the umask, as any new file; the encrypted
    mapping stays the owner's alone; a scrubbed file keeps its input's bits."""
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        log_file.chmod(0o640)
        assert main(["scrub", "-q", str(log_file), "-o", "out.log", "--report", "report.json"]) == 0
        assert main(["check", str(log_file), "--format", "sarif", "-o", "findings.sarif"]) == 1
        assert main(["allow", str(log_file)]) == 0
        assert main(["keygen", "--owner", "owner"]) == 0
        assert (
            main(
                [
                    "scrub",
                    "-q",
                    str(log_file),
                    "-o",
                    "x.log",
                    "--mapping",
                    "map.bin",
                    "--mapping-key",
                    "owner.pub",
                ]
            )
            == 0
        )
    finally:
        os.umask(old)
    modes = {
        name: (tmp_path / name).stat().st_mode & 0o777
        for name in (
            "out.log",
            "report.json",
            "findings.sarif",
            ".logscrub-allow.yaml",
            "map.bin",
            "owner.key",
        )
    }
    assert modes == {
        "out.log": 0o640,
        "report.json": 0o644,
        "findings.sarif": 0o644,
        ".logscrub-allow.yaml": 0o644,
        "map.bin": 0o600,
        "owner.key": 0o600,
    }
