"""Hyperscan and the pure-Python fallback give the same output, byte for byte.

Hyperscan only changes how candidate lines and literals are found; these tests pin that
down on the samples, the evaluation logs, generated text and the pieces themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub import Scrubber, engine
from logscrub.detectors import hyperscan_db
from logscrub.detectors.base import ScanText
from logscrub.detectors.literals import AhoCorasickLiterals, HyperscanLiterals
from logscrub.errors import RuleError
from logscrub.policy import Policy
from logscrub.rulepack import parse_pack, portable_anchor

from .conftest import KEY, REPO
from .test_properties import any_plant, planted_text

needs_hyperscan = pytest.mark.skipif(not hyperscan_db.available(), reason="hyperscan is not installed")

EVAL_LOGS = REPO.parent / "shared" / "eval" / "real-logs"


@pytest.fixture(scope="module")
def both() -> tuple[Scrubber, Scrubber]:
    return Scrubber(key=KEY, hyperscan=True), Scrubber(key=KEY, hyperscan=False)


def _inputs() -> list[Path]:
    samples = sorted(p for p in (REPO / "samples").iterdir() if p.suffix in (".log", ".jsonl"))
    evals = sorted(EVAL_LOGS.glob("*.log")) if EVAL_LOGS.is_dir() else []
    return samples + evals


@needs_hyperscan
@pytest.mark.parametrize("path", _inputs(), ids=lambda p: p.name)
def test_same_output_on_real_logs(both: tuple[Scrubber, Scrubber], path: Path) -> None:
    fast, fallback = both
    data = path.read_bytes()
    assert fast.scrub_bytes(data).data == fallback.scrub_bytes(data).data


@needs_hyperscan
@given(planted_text(any_plant), st.sampled_from(["", "é", "Ж", "\udcff", "日本"]))
@settings(max_examples=60)
def test_same_output_on_generated_text(text_plants: tuple[str, list[object]], extra: str) -> None:
    # Non-ASCII text shifts byte offsets against text offsets: the text view must not.
    text = text_plants[0].replace(" ", f" {extra}", 1)
    fast, fallback = Scrubber(key=KEY, hyperscan=True), Scrubber(key=KEY, hyperscan=False)
    assert fast.scrub_text(text).text == fallback.scrub_text(text).text


@needs_hyperscan
def test_learned_values_found_alike_across_many_blocks() -> None:
    # Many small blocks, each teaching new values that recur later: exercises the merging
    # of learned-value matchers (Hyperscan keeps several, the fallback one).
    lines = []
    for i in range(600):
        lines.append(f"username=agent{i:04d}x login ok\n")
        lines.append(f"later: agent{(i * 7) % (i + 1):04d}x and agent{i:04d}x again\n")
    data = "".join(lines).encode()
    policy = Policy(key=KEY, block_size=2048)
    fast = Scrubber(policy, hyperscan=True).scrub_bytes(data).data
    assert fast == Scrubber(policy, hyperscan=False).scrub_bytes(data).data
    assert b"agent0" not in fast


def test_text_view_keeps_offsets() -> None:
    text = "a é Ж \udcff 日本 z\n"
    view = hyperscan_db.text_view(text)
    assert len(view) == len(text)
    assert view[text.index("z")] == ord("z")
    assert view[text.index("é")] == 0xE9  # Latin-1 stays exact
    assert view[text.index("Ж")] == 0x80  # everything else is a placeholder


@needs_hyperscan
@pytest.mark.parametrize("caseless", [True, False])
def test_literal_backends_agree(caseless: bool) -> None:
    long_a = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_a"
    long_b = long_a[:40] + "_different_tail"  # shares the compiled prefix with long_a
    words = ["phone", "ph", "hone", "номер", "josé", "x=\udcff", "日本", long_a, long_b]
    text = f"PHONE phone номер НОМЕР José josé x=\udcff 日本 telephone {long_a} {long_b} {long_a[:30]}\n" * 3
    scan = ScanText(text)
    lowered = [w.lower() for w in words] if caseless else words
    expected = AhoCorasickLiterals(lowered, caseless).find(scan)
    assert HyperscanLiterals(lowered, caseless).find(scan) == expected
    assert expected  # the test means something


def test_hyperscan_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(hyperscan_db.DISABLE_ENV, "0")
    assert not hyperscan_db.available()
    assert not Scrubber(key=KEY).engine.use_hyperscan


def test_line_anchor_must_be_portable() -> None:
    pack = """\
schema: 1
rules:
  - id: custom.word
    entity: TOKEN
    line_anchor: '\\w+@'
    patterns: ['\\w+@x']
"""
    with pytest.raises(RuleError, match=r"custom\.word.*line_anchor.*portable"):
        parse_pack(pack, "custom.yaml")
    assert portable_anchor(r"[0-9]{9}")
    assert portable_anchor(r"<(?:[Ss][Ii][Pp]:|tel:)|@")
    assert portable_anchor(r"(?:^|[^0-9A-Za-z_])[0-9]{9}[^0-9]")
    assert portable_anchor(r"a.b$")
    for bad in (r"\d{9}", r"\w+@", r"x(?!y)", r"\bword", "é", r"x\n", r"[\w.]", r"(?i:x)"):
        assert not portable_anchor(bad), bad


@needs_hyperscan
def test_compiled_databases_are_cached_and_learned_values_never(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(hyperscan_db.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(engine, "_COMPILED", {})  # no rules compiled earlier in this process
    Scrubber(key=KEY, hyperscan=True).scrub_text("username=secretagent77 login\nsecretagent77 again\n")
    cached = sorted(tmp_path.iterdir())
    assert cached, "rule databases are cached"
    assert not any(b"secretagent77" in p.read_bytes() for p in cached)
    # A corrupt cache file is compiled again, not trusted.
    for path in cached:
        path.write_bytes(b"garbage")
    monkeypatch.setattr(engine, "_COMPILED", {})
    out = Scrubber(key=KEY, hyperscan=True).scrub_text("sip:alice@example.org\n").text
    assert "alice" not in out
    assert all(p.read_bytes() != b"garbage" for p in cached)


@needs_hyperscan
def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(hyperscan_db.CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(engine, "_COMPILED", {})
    Scrubber(key=KEY, hyperscan=True)
    assert not any(tmp_path.rglob("*")), os.listdir(tmp_path)


@needs_hyperscan
def test_user_rule_with_line_anchor(tmp_path: Path) -> None:
    pack = tmp_path / "ourapp.yaml"
    pack.write_text(
        """\
schema: 1
rules:
  - id: ourapp.ticket
    entity: TOKEN
    line_anchor: 'TKT-[0-9]{4}'
    patterns: ['\\bTKT-(?P<value>[0-9]{4,8})\\b']
"""
    )
    text = "opened TKT-20251234 for caller\nnothing here\nTKT-12 too short\n"
    outs = [Scrubber(key=KEY, rules=[pack], hyperscan=h).scrub_text(text).text for h in (True, False)]
    assert outs[0] == outs[1]
    assert "20251234" not in outs[0]
    assert "TKT-12 too short" in outs[0]


@needs_hyperscan
def test_line_anchor_refused_by_hyperscan_fails_at_load(tmp_path: Path) -> None:
    pack = tmp_path / "big.yaml"
    pack.write_text(
        "schema: 1\nrules:\n  - id: custom.big\n    entity: TOKEN\n"
        "    line_anchor: 'a{1,100000}'\n    patterns: ['a+b']\n"
    )
    with pytest.raises(
        RuleError, match=r"big\.yaml: rule 'custom\.big': line_anchor not accepted by Hyperscan"
    ):
        Scrubber(key=KEY, rules=[pack], hyperscan=True)
    assert Scrubber(key=KEY, rules=[pack], hyperscan=False).scrub_text("aab\n").text != "aab\n"


JOIN_SCRUBBER = Scrubber()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                'From: "Jane Roe" <sip:+14155550123@pbx.example.org>;tag=1',
                "Via: SIP/2.0/UDP 10.0.0.5:5060;received=203.0.113.9",
                "incoming call from +1 415-555-0123 (Jane Roe)",
                "we tried to convince Harshita to go vote in the race with you",
                "New Channel sofia/internal/pieter@voip.example.nl",
                "post_sms to 89039213130 with message Hello there send to url",
                "mac address: 001565937C63 and ip 192.168.1.20",
                "",
                "plain line",
            ]
        ),
        min_size=2,
        max_size=12,
    )
)
def test_joined_candidate_lines_find_what_lines_one_by_one_find(lines: list[str]) -> None:
    from logscrub.detectors.pattern import PatternDetector

    text = "\n".join(lines) + "\n"
    runs, pos = [], 0
    for line in lines:
        runs.append((pos, pos + len(line)))
        pos += len(line) + 1
    for detector in JOIN_SCRUBBER.engine.detectors:
        if isinstance(detector, PatternDetector) and detector._joinable:
            one_call = detector._find_joined(text, runs)
            one_by_one = sorted(f for run in runs for f in detector._find_joined(text, [run]))
            assert one_call == one_by_one, detector.rule.id


def _ends_at_value_cases() -> list[tuple[str, str]]:
    """Every rule's examples, whole and cut right after each value they find: the value
    then ends the text, or its last line (where the Hyperscan line filter once selected
    the line after a line anchor's match instead)."""
    rules = Scrubber(key=KEY, hyperscan=False).rules
    cases = []
    for rule in rules:
        for example in rule.examples:
            cases.append((rule.id, example.text))
            for value in example.finds:
                end = example.text.index(value) + len(value)
                cases.append((rule.id, example.text[:end]))
    return cases


@needs_hyperscan
def test_same_output_when_a_value_ends_the_text(both: tuple[Scrubber, Scrubber]) -> None:
    fast, fallback = both
    cases = _ends_at_value_cases()
    assert len(cases) > 100  # the rules' examples are many; the test means something
    # Alone, after a line, and twice with a long line between (two candidate runs, joined).
    filler = "filler " * 40 + "\n"
    differ = [
        (rule_id, text)
        for rule_id, text in cases
        for variant in (text, text + "\n", "first line\n" + text, text + "\n" + filler + text)
        if fast.scrub_text(variant).text != fallback.scrub_text(variant).text
    ]
    assert differ == []
