"""`logscrub explain` and Scrubber.explain: findings per line, with entity, rule and fate."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import logscrub
from logscrub import Entity, Scrubber
from logscrub.cli import main
from logscrub.explain import ALREADY_SCRUBBED, ExplainedLine, render

from .conftest import KEY

SIP = (
    b'From: "Alice Smith" <sip:+14155550123@pbx.example.org>;tag=a1\r\n'
    b"Max-Forwards: 70\r\n"
    b"\tvia\t192.0.2.7 \xff end\r\n"
    b"username=agent77x\n"
    b"later agent77x again"  # no final newline; a learned value
)


def _explain(data: bytes, scrubber: Scrubber | None = None) -> list[ExplainedLine]:
    return list((scrubber or Scrubber(key=KEY)).explain(io.BytesIO(data)))


def test_lines_and_findings() -> None:
    lines = _explain(SIP)
    assert [line.number for line in lines] == [1, 2, 3, 4, 5]
    assert lines[1].findings == ()  # Max-Forwards: nothing to see
    found = {(lines[0].text[f.start : f.end], f.entity, f.rule_id) for f in lines[0].findings}
    assert ("Alice Smith", Entity.PERSON_NAME, "sip.display_name.quoted") in found
    assert ("+14155550123", Entity.PHONE_NUMBER, "sip.uri.user") in found
    assert [lines[2].text[f.start : f.end] for f in lines[2].findings] == ["192.0.2.7"]
    assert lines[0].text.endswith("tag=a1")  # the line end is not part of the text
    learned = [f for f in lines[4].findings if lines[4].text[f.start : f.end] == "agent77x"]
    assert learned and learned[0].rule_id.startswith("learned.")


def test_actions_follow_the_policy() -> None:
    scrubber = Scrubber(key=KEY, operators={Entity.IP_ADDRESS: "keep", Entity.PERSON_NAME: "label"})
    lines = _explain(SIP, scrubber)
    actions = {f.entity: f.action for line in lines for f in line.findings}
    assert actions[Entity.IP_ADDRESS] == "keep"
    assert actions[Entity.PERSON_NAME] == "label"
    assert actions[Entity.PHONE_NUMBER] == "pseudonym"
    # A pseudonym this run wrote is recognised when met again (idempotence).
    default = Scrubber(key=KEY)
    scrubbed = default.scrub_bytes(b'From: "Alice Smith" <sip:bob@example.org>\n').data
    (again,) = _explain(scrubbed, default)
    names = [f for f in again.findings if f.entity is Entity.PERSON_NAME]
    assert names and names[0].action == ALREADY_SCRUBBED


def test_render_hides_values_and_aligns_carets() -> None:
    line = _explain(SIP)[2]  # tabs and an invalid byte before and after the address
    hidden = render(line, show_values=False, color=False)
    assert "192.0.2.7" not in "\n".join(hidden)
    shown = render(line, show_values=True, color=False)
    text_row, caret_row = shown[0], shown[1]
    start = caret_row.index("^")
    assert text_row[start : start + len("192.0.2.7")] == "192.0.2.7"
    assert "IP_ADDRESS ip.v4 -> pseudonym" in caret_row
    assert "?" in text_row  # the invalid byte is shown as '?', one column
    colored = render(line, show_values=True, color=True)
    assert "\x1b[7m192.0.2.7\x1b[0m" in colored[0]


def test_cli_masks_values_when_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trace.log"
    path.write_bytes(SIP)
    assert main(["explain", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Alice Smith" not in captured.out and "+14155550123" not in captured.out
    assert "PERSON_NAME sip.display_name.quoted" in captured.out
    assert "Max-Forwards" not in captured.out  # lines without findings are left out
    assert "finding(s) on 4 line(s)" in captured.err
    assert main(["explain", str(path), "--show-values", "--all"]) == 0
    out = capsys.readouterr().out
    assert "Alice Smith" in out and "Max-Forwards" in out


def test_cli_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(tmp_path / "nope.log")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.log: no such file" in err


def test_check_and_explain_read_long_lines_in_the_windows_scrub_uses(tmp_path: Path) -> None:
    """A line longer than max_line_length: check and explain see it in windows (bounded
    memory), with the right columns, and find what scrub replaces."""

    numbers = [f"+1415555{n:04d}" for n in range(40)]
    line = "".join(f'{{"n":{i},"to":"{number}","pad":"{"x" * 90}"}},' for i, number in enumerate(numbers))
    path = tmp_path / "one-line.log"
    path.write_text("head\n" + line + "\ntail\n")
    policy = logscrub.Policy(key=b"k" * 32, max_line_length=1024, window_overlap=256)
    scrubber = logscrub.Scrubber(policy)
    findings = [f for f in scrubber.check(path) if f.entity == "PHONE_NUMBER"]
    assert [f.line for f in findings] == [2] * len(numbers)
    assert [f.column for f in findings] == [line.index(n) + 1 for n in numbers]
    stats = scrubber.scrub_file(path, tmp_path / "out.log")
    assert stats.long_line_windows > 1 and stats.by_entity["PHONE_NUMBER"] == len(numbers)
    with path.open("rb") as source:
        pieces = [p for p in scrubber.explain(source) if p.number == 2]
    assert len(pieces) > 1 and all(len(p.text) <= 1024 for p in pieces)
    assert sum(len(p.findings) for p in pieces) == len(findings)
    rows = [row for p in pieces for row in render(p, show_values=False, color=False)]
    assert len(rows) == 2 * len(findings) and all(len(row) < 300 for row in rows)
    assert not any(n in row for n in numbers for row in rows)
