"""Check mode, the allowlist, the fixer and the pre-commit hooks, through the real CLI
(and the real `pre-commit` tool on a temporary git repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

import logscrub
from logscrub.checking import digest

from .conftest import KEY, KEY_HEX, REPO

SAMPLES = REPO / "samples"
DIRTY = "2026-11-30 10:01:02 INFO call from +14155550123 (Jane Roe) via 198.51.100.23\n"
CLEAN = "2026-11-30 10:01:03 INFO registration refreshed, expires=3600\n"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-2.1.0.json"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LOGSCRUB_KEY"}
    environment.update(env or {})
    return subprocess.run(
        ["logscrub", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=environment
    )


def test_exit_codes_on_clean_dirty_and_bad_input(tmp_path: Path) -> None:
    (tmp_path / "clean.log").write_text(CLEAN)
    (tmp_path / "dirty.log").write_text(CLEAN + DIRTY)
    clean = run("check", "clean.log", cwd=tmp_path)
    assert clean.returncode == 0 and clean.stdout == ""
    dirty = run("check", "dirty.log", cwd=tmp_path)
    assert dirty.returncode == 1
    lines = dirty.stdout.splitlines()
    assert lines[0].startswith("dirty.log:2:") and " PHONE_NUMBER " in lines[0]
    assert {line.split()[1] for line in lines} == {"PHONE_NUMBER", "PERSON_NAME", "IP_ADDRESS"}
    for value in ("+14155550123", "Jane Roe", "198.51.100.23"):
        assert value not in dirty.stdout + dirty.stderr
    assert run("check", "missing.log", cwd=tmp_path).returncode == 2
    assert run("check", "dirty.log", "--format", "xml", cwd=tmp_path).returncode == 2
    assert run("check", "dirty.log", "--fail-on", "NOPE", cwd=tmp_path).returncode == 2


def test_fail_on_and_min_count_choose_what_fails(tmp_path: Path) -> None:
    (tmp_path / "dirty.log").write_text(DIRTY)
    assert run("check", "dirty.log", "--fail-on", "CARD_NUMBER,TOKEN", cwd=tmp_path).returncode == 0
    assert run("check", "dirty.log", "--fail-on", "PHONE_NUMBER", cwd=tmp_path).returncode == 1
    assert run("check", "dirty.log", "--min-count", "4", cwd=tmp_path).returncode == 0
    assert run("check", "dirty.log", "--min-count", "3", cwd=tmp_path).returncode == 1
    # Printed: the failing findings; the others with --verbose; all three counted.
    only = run("check", "dirty.log", "--fail-on", "PHONE_NUMBER", cwd=tmp_path)
    assert [line.split()[1] for line in only.stdout.splitlines()] == ["PHONE_NUMBER"]
    assert "3 finding(s)" in only.stderr
    every = run("check", "dirty.log", "--fail-on", "PHONE_NUMBER", "--verbose", cwd=tmp_path)
    assert len(every.stdout.splitlines()) == 3


def test_findings_in_captures_name_the_packet(tmp_path: Path) -> None:
    result = run("check", str(SAMPLES / "captures" / "message.pcap"), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["failed"] is True
    packets = {f["packet"] for f in report["findings"]}
    assert packets == {1, 2}
    assert {"PHONE_NUMBER", "PERSON_NAME", "MESSAGE_BODY"} <= set(report["counts"])
    assert "Jane Roe" not in result.stdout and "+14155550123" not in result.stdout
    relocated = run("check", str(SAMPLES / "captures" / "relocated-call.pcap"), cwd=tmp_path)
    assert "capture.ip_header" in relocated.stdout and "#1 IP_ADDRESS" in relocated.stdout


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    (tmp_path / "dirty.log").write_text(DIRTY)
    shutil.copy(SAMPLES / "captures" / "message.pcap", tmp_path / "call.pcap")
    result = run("check", "dirty.log", "call.pcap", "--format", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert result.returncode == 1
    log = json.loads((tmp_path / "out.sarif").read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validate(log, schema, cls=jsonschema.Draft202012Validator)
    results = log["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "dirty.log",
        "call.pcap",
    }
    text_result = next(r for r in results if r["ruleId"] == "phone.e164")
    region = text_result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": DIRTY.index("+") + 1, "endColumn": DIRTY.index(" (") + 1}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    # A broken document is rejected by the same validation (the check can fail).
    del log["runs"][0]["tool"]["driver"]["name"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_sarif_fingerprints_are_stable_without_a_key_inside_a_repository(tmp_path: Path) -> None:
    """No key, no allowlist: the digests are keyed with a salt of the git repository (its
    first commit), so two runs agree and another repository's runs do not."""

    def fingerprints(repo: Path) -> list[str]:
        result = run("check", "dirty.log", "--format", "sarif", cwd=repo)
        assert result.returncode == 1
        log = json.loads(result.stdout)
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()), cls=jsonschema.Draft202012Validator)
        return [r["partialFingerprints"]["logscrubDigest/v1"] for r in log["runs"][0]["results"]]

    repos = []
    for name in ("one", "two"):
        repo = tmp_path / name
        repo.mkdir()
        (repo / "dirty.log").write_text(DIRTY)
        env = {"GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.invalid", "GIT_COMMITTER_NAME": "ci"}
        env["GIT_COMMITTER_EMAIL"] = "ci@example.invalid"
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = "2026-12-07T10:00:00Z"
        for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", f"first commit of {name}"]):
            subprocess.run(["git", *args], cwd=repo, check=True, env={**os.environ, **env})
        repos.append(repo)
    first = fingerprints(repos[0])
    assert len(first) == 3 and fingerprints(repos[0]) == first
    assert set(fingerprints(repos[1])).isdisjoint(first)
    # Outside a repository, without a key or allowlist, they change from run to run.
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "dirty.log").write_text(DIRTY)
    assert run("check", "dirty.log", cwd=outside).stdout != run("check", "dirty.log", cwd=outside).stdout


@pytest.mark.parametrize("keyed", [False, True], ids=["salted", "keyed"])
def test_allowlist_round_trip(tmp_path: Path, keyed: bool) -> None:
    env = {"LOGSCRUB_KEY": KEY_HEX} if keyed else {}
    fixture = tmp_path / "fixture.log"
    fixture.write_text(DIRTY)
    assert run("allow", "fixture.log", cwd=tmp_path, env=env).returncode == 0
    allow_file = tmp_path / ".logscrub-allow.yaml"
    text = allow_file.read_text()
    for value in ("+14155550123", "14155550123", "Jane Roe", "Jane", "198.51.100.23"):
        assert value not in text
    data = yaml.safe_load(text)
    assert data["version"] == 1 and len(data["allowed"]) == 3
    assert ("key_id" in data) is keyed and ("salt" in data) is not keyed
    # Accepted: check passes, also after the line moved, and says how many it let pass.
    fixture.write_text(CLEAN + CLEAN + DIRTY)
    passed = run("check", "fixture.log", cwd=tmp_path, env=env)
    assert passed.returncode == 0 and "3 allowed by .logscrub-allow.yaml" in passed.stderr
    # A new finding fails.
    fixture.write_text(DIRTY + "2026-11-30 10:02:00 INFO sms to +442079460958\n")
    result = run("check", "fixture.log", cwd=tmp_path, env=env)
    assert result.returncode == 1 and result.stdout.count("\n") == 1 and "fixture.log:2:" in result.stdout
    if keyed:  # the digests are keyed: another key cannot use this allowlist
        other = run("check", "fixture.log", cwd=tmp_path, env={"LOGSCRUB_KEY": "another-key-of-16-bytes!"})
        assert other.returncode == 2 and "another key" in other.stderr
        assert digest(KEY, "PHONE_NUMBER", "+14155550123") in text


def test_inline_allow_marker(tmp_path: Path) -> None:
    (tmp_path / "fixture.log").write_text(DIRTY.rstrip("\n") + "  # logscrub: allow\n")
    assert run("check", "fixture.log", cwd=tmp_path).returncode == 0


def test_library_check_returns_findings_without_values(tmp_path: Path) -> None:
    path = tmp_path / "dirty.log"
    path.write_text(CLEAN + DIRTY)
    findings = logscrub.Scrubber(key=KEY).check(path)
    assert [(f.line, f.entity) for f in findings][:1] == [(2, "PHONE_NUMBER")]
    assert all(
        f.digest == digest(KEY, f.entity, DIRTY[f.column - 1 :].split()[0].strip("()")) for f in findings[:1]
    )
    assert "+14155550123" not in repr(findings)


def test_fix_rewrites_in_place_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_text(CLEAN + DIRTY)
    first = run("fix", "app.log", cwd=tmp_path)
    assert first.returncode == 1 and "app.log (3 replaced)" in first.stderr
    fixed = path.read_text()
    assert "+14155550123" not in fixed and "<PHONE_NUMBER>" in fixed and fixed.startswith(CLEAN)
    second = run("fix", "app.log", cwd=tmp_path)
    assert second.returncode == 0 and path.read_text() == fixed
    assert run("check", "app.log", cwd=tmp_path).returncode == 0


@pytest.mark.skipif(
    shutil.which("pre-commit") is None and not os.environ.get("LOGSCRUB_REQUIRE_TOOLS"),
    reason="pre-commit is not installed (the test extras install it)",
)
def test_pre_commit_runs_both_hooks(tmp_path: Path) -> None:
    """The real pre-commit tool, with this repository's hook definitions, on a temporary
    repository. The hooks are run as `language: system` (the logscrub installed here):
    pre-commit's own `language: python` would build a virtualenv from the network."""
    repo = tmp_path / "app"
    repo.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "LOGSCRUB_KEY"}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("config", "user.email", "ci@example.invalid")
    git("config", "user.name", "ci")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        hook["language"] = "system"
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]})
    )
    (repo / "upload").mkdir()
    (repo / "upload" / "app.log").write_text(CLEAN + DIRTY)
    shutil.copy(SAMPLES / "captures" / "message.pcap", repo / "upload" / "call.pcap")
    # A log scrubbed with pseudonyms before it was committed: its addresses and numbers
    # look real by design, so the team accepted them in the allowlist, as the README says.
    key = tmp_path / "team.key"
    key.write_text(KEY_HEX)
    scrubbed = repo / "upload" / "trace.scrubbed.log"
    assert (
        run(
            "scrub",
            "-q",
            str(SAMPLES / "linphone-sip-trace.log"),
            "-o",
            str(scrubbed),
            "--key-file",
            str(key),
            cwd=repo,
        ).returncode
        == 0
    )
    assert run("allow", "upload/trace.scrubbed.log", cwd=repo).returncode == 0
    before = scrubbed.read_bytes()
    git("add", ".")

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "run", "--all-files"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    first = pre_commit()
    assert first.returncode == 1, first.stdout
    assert "logscrub fix" in first.stdout and "files were modified by this hook" in first.stdout
    assert "+14155550123" not in (repo / "upload" / "app.log").read_text()
    capture = (repo / "upload" / "call.pcap").read_bytes()
    assert capture != (SAMPLES / "captures" / "message.pcap").read_bytes()  # scrubbed in place, sealed
    assert scrubbed.read_bytes() == before  # accepted findings are left as they are
    git("add", "-A")
    second = pre_commit()
    assert second.returncode == 0, second.stdout
    assert second.stdout.count("Passed") == 2
    assert (repo / "upload" / "call.pcap").read_bytes() == capture  # a sealed capture is left alone


@pytest.mark.parametrize("command", ["scrub", "check", "fix"])
def test_progress_bar_on_a_terminal_for_big_inputs(tmp_path: Path, command: str) -> None:
    """stderr a terminal (a pseudo-terminal here) and an input past PROGRESS_FROM: rich's
    bar shows the throughput; with stderr not a terminal there is none (other tests)."""
    import pty

    from logscrub.cli import PROGRESS_FROM

    big = tmp_path / "big.log"
    line = CLEAN.encode()
    big.write_bytes(line * (PROGRESS_FROM // len(line) + 1000))
    leader, follower = pty.openpty()
    output = ["-o", str(tmp_path / "out.log")] if command == "scrub" else []
    process = subprocess.Popen(
        ["logscrub", command, str(big), *output],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=300) == 0
    assert b"big.log" in seen and b"/s" in seen


EVAL_LOGS = REPO.parent / "shared" / "eval" / "real-logs"
# Real logs of every kind: the samples, the other apps' logs and, where present, the shared
# evaluation logs.
CONVERGENCE_INPUTS = [
    *sorted(SAMPLES.glob("*.log")),
    *sorted(SAMPLES.glob("*.jsonl")),
    *sorted((SAMPLES / "other-apps").glob("*.log")),
    *sorted((SAMPLES / "blind-15").glob("*.log")),
    *sorted((SAMPLES / "blind-16").glob("*.log")),
    *(sorted(EVAL_LOGS.glob("*.log")) if EVAL_LOGS.is_dir() else []),
    # Captures (scrubbed with pseudonyms and sealed) and bundles (members as their kind).
    *sorted((SAMPLES / "captures").glob("*.pcap*")),
    *sorted((SAMPLES / "bundles").glob("*.zip")),
]


def test_fix_converges_and_check_passes_after_it(tmp_path: Path) -> None:
    """fix then fix changes nothing; check after fix passes; nothing a replacement wrote is
    scrubbed again (a label is never part of a finding); logs, captures and bundles."""
    names = []
    for number, source in enumerate(CONVERGENCE_INPUTS):
        target = tmp_path / f"{number:02d}-{source.name}"
        shutil.copy(source, target)
        names.append(target.name)
    assert run("fix", *names, cwd=tmp_path).returncode == 1
    first = {name: (tmp_path / name).read_bytes() for name in names}
    again = run("fix", *names, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert {name: (tmp_path / name).read_bytes() for name in names} == first
    gate = run("check", *names, cwd=tmp_path)
    assert gate.returncode == 0, gate.stdout


def test_labels_are_never_scrubbed_again() -> None:
    scrubber = logscrub.Scrubber()
    for text in (
        '<entry name="contact">"<PERSON_NAME>" &lt;sip:<USERNAME>@sip.example.org&gt;</entry>\n',
        "[21/11/25, 18:30:46] <PERSON_NAME>: <MESSAGE_BODY>\n",
    ):
        assert scrubber.scrub_text(text).text == text


# What `check` still reports after `scrub` in a text log: pseudonyms that keep the
# value's format by design (the README says so); every other entity gets a reserved shape.
FORMAT_PRESERVED = {
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "MAC_ADDRESS",
    "TOKEN",
    "DEVICE_ID",
    "CARD_NUMBER",
    "GEO_LOCATION",
    "NATIONAL_ID",
}


@pytest.mark.parametrize("keyed", [False, True], ids=["unkeyed", "keyed"])
def test_check_after_scrub_reports_only_format_preserving_pseudonyms(tmp_path: Path, keyed: bool) -> None:
    """Names, users, emails (also URL-encoded) and message bodies that `scrub` wrote have
    reserved shapes: `check` (another run, with the key or without) does not report them.
    Addresses, numbers and MACs keep their formats by design and are reported in logs;
    a scrubbed capture passes whole (its seal)."""
    env = {"LOGSCRUB_KEY": KEY_HEX} if keyed else {}
    sources = [
        *sorted(SAMPLES.glob("*.log")),
        SAMPLES / "messaging.jsonl",
        SAMPLES / "captures" / "udp-call.pcap",
    ]
    assert run("scrub", "-q", *map(str, sources), "--out-dir", "out", cwd=tmp_path, env=env).returncode == 0
    found = run("check", "out", cwd=tmp_path, env=env).stdout.splitlines()  # the directory, as one run
    assert not any(".pcap" in line for line in found)  # sealed
    entities = {line.split()[1] for line in found}
    assert "IP_ADDRESS" in entities and entities <= FORMAT_PRESERVED


@pytest.mark.parametrize("keyed", [False, True])
def test_fix_honours_the_allowlist_and_the_inline_marker(tmp_path: Path, keyed: bool) -> None:
    env = {"LOGSCRUB_KEY": KEY_HEX} if keyed else {}
    fixture = tmp_path / "fixture.log"
    fixture.write_text(DIRTY)
    assert run("allow", "fixture.log", cwd=tmp_path, env=env).returncode == 0
    marked = "2026-11-30 10:05:00 INFO test number +442079460958 # logscrub: allow\n"
    other = "2026-11-30 10:06:00 INFO sms to +33612345678\n"
    fixture.write_text(DIRTY + marked + other)
    result = run("fix", "fixture.log", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    text = fixture.read_text()
    assert text.startswith(DIRTY + marked)  # accepted, as check accepts them
    assert "+33612345678" not in text
    assert run("check", "fixture.log", cwd=tmp_path, env=env).returncode == 0
