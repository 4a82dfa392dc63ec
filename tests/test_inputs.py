"""Trees and streams: directories (walked, .gitignore-aware, --include/--exclude) and '-'
for scrub, check, fix and explain; the structure mirrored under --out-dir."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from logscrub.cli import main
from logscrub.inputs import Filters, expand

from .test_cli import LOG, SECRETS, run_cli

GIT = shutil.which("git")


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGSCRUB_KEY", raising=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """logs/app.log, logs/sub/deep.txt, logs/sub/call.pcap (a real capture), logs/notes.md."""
    top = tmp_path / "logs"
    (top / "sub").mkdir(parents=True)
    (top / "app.log").write_text(LOG)
    (top / "sub" / "deep.txt").write_text("callback +12025550147 please\n")
    shutil.copy(Path("samples/captures/message.pcap"), top / "sub" / "call.pcap")
    (top / "notes.md").write_text("mail bob.smith@example.com\n")
    return top


def relatives(top: Path, **filters: list[str]) -> list[str]:
    return [i.relative for i in expand([str(top)], Filters(**filters))]


def test_a_directory_is_walked_in_a_stable_order(tree: Path) -> None:
    assert relatives(tree) == ["logs/app.log", "logs/notes.md", "logs/sub/call.pcap", "logs/sub/deep.txt"]


def test_include_and_exclude_take_gitignore_patterns(tree: Path) -> None:
    assert relatives(tree, include=["*.log", "*.txt"]) == ["logs/app.log", "logs/sub/deep.txt"]
    assert relatives(tree, exclude=["sub/"]) == ["logs/app.log", "logs/notes.md"]
    assert relatives(tree, include=["logs/sub/**"], exclude=["*.pcap"]) == ["logs/sub/deep.txt"]
    # A named file is filtered too (a pre-commit hook's --exclude applies to what it is given).
    assert expand([str(tree / "notes.md")], Filters(exclude=["*.md"])) == []


def test_links_are_not_followed(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.log").write_text("password=hunter2x\n")
    (tree / "linked").symlink_to(outside, target_is_directory=True)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "file-link.log").symlink_to(tree / "app.log")
    assert relatives(tree) == ["logs/app.log", "logs/notes.md", "logs/sub/call.pcap", "logs/sub/deep.txt"]


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_inside_a_git_work_tree_ignored_files_are_left_out(tree: Path) -> None:
    assert GIT is not None
    subprocess.run([GIT, "init", "-q", str(tree)], check=True)
    (tree / ".gitignore").write_text("*.pcap\n")
    (tree / "sub" / ".gitignore").write_text("deep.txt\n")
    assert relatives(tree) == ["logs/.gitignore", "logs/app.log", "logs/notes.md", "logs/sub/.gitignore"]


def test_scrub_mirrors_a_tree_under_out_dir(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "clean"
    (tree / "jane.roe@example.com").mkdir()
    (tree / "jane.roe@example.com" / "call.log").write_text(LOG)
    assert main(["scrub", "-q", str(tree), "--out-dir", str(out)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(written) == 5
    assert "logs/sub/call.pcap" in written and "logs/sub/deep.txt" in written
    assert not any("jane.roe" in name for name in written)  # directory names are scrubbed too
    for path in out.rglob("*.log"):
        text = path.read_text()
        assert not any(secret in text for secret in SECRETS)
    assert "+12025550147" not in (out / "logs/sub/deep.txt").read_text()
    assert (out / "logs/sub/call.pcap").read_bytes()[:4] == Path(
        "samples/captures/message.pcap"
    ).read_bytes()[:4]


def test_out_dir_inside_the_tree_is_not_scrubbed_again(tree: Path) -> None:
    out = tree / "clean"
    assert main(["scrub", "-q", str(tree), "--out-dir", str(out), "--include", "*.log"]) == 0
    assert main(["scrub", "-q", str(tree), "--out-dir", str(out), "--include", "*.log"]) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.log")) == ["logs/app.log"]


def test_a_directory_needs_out_dir_or_in_place(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scrub", str(tree)]) == 2
    assert "need --out-dir or --in-place" in capsys.readouterr().err


def test_nothing_left_after_filters_is_an_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tree), "--include", "*.nothing"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no input files" in err


def test_check_and_fix_on_a_tree(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tree), "--exclude", "*.pcap"]) == 1
    out = capsys.readouterr().out
    assert f"{tree}/app.log:" in out and f"{tree}/sub/deep.txt:" in out and "call.pcap" not in out
    assert main(["fix", str(tree), "--exclude", "*.pcap"]) == 1
    assert main(["fix", str(tree), "--exclude", "*.pcap"]) == 0  # converged
    assert main(["check", str(tree), "--exclude", "*.pcap"]) == 0
    assert "<PHONE_NUMBER>" in (tree / "sub" / "deep.txt").read_text()


def test_explain_a_tree_skips_captures(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--hide-values", str(tree)]) == 0
    captured = capsys.readouterr()
    assert f"==> {tree}/sub/deep.txt <==" in captured.out
    assert "1 capture(s) or bundle(s) skipped" in captured.err
    # A capture named on the command line is still refused.
    assert main(["explain", str(tree / "sub" / "call.pcap")]) == 2


def test_fix_reads_stdin_and_writes_stdout() -> None:
    proc = run_cli("fix", "-", stdin=LOG.encode())
    assert proc.returncode == 1, proc.stderr
    fixed = proc.stdout.decode()
    assert not any(secret in fixed for secret in SECRETS)
    assert fixed.count("\n") == LOG.count("\n") and "<PHONE_NUMBER>" in fixed
    assert proc.stderr.decode().startswith("logscrub: scrubbed - (")
    again = run_cli("fix", "-", stdin=proc.stdout)
    assert again.returncode == 0 and again.stdout == proc.stdout


def test_explain_reads_stdin() -> None:
    proc = run_cli("explain", "--hide-values", "-", stdin=LOG.encode())
    assert proc.returncode == 0, proc.stderr
    assert "PHONE_NUMBER" in proc.stdout.decode() and "of -" in proc.stderr.decode()


def test_stdin_is_read_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-", "-"]) == 2
    assert "only once" in capsys.readouterr().err


def test_allow_takes_a_tree_and_check_then_passes(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["allow", str(tree), "--exclude", "*.pcap"]) == 0
    assert main(["check", str(tree), "--exclude", "*.pcap"]) == 0
    assert main(["check", str(tree)]) == 1  # the capture was not accepted
