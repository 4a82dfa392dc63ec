"""Every shipped rule carries its own table of examples: texts with the values it must
find, and near-misses where it must find nothing. This runs them all, through the whole
engine (a rule must win its overlaps where its example says so)."""

from __future__ import annotations

import pytest

from logscrub import Scrubber
from logscrub.errors import RuleError
from logscrub.model import Operator
from logscrub.rulepack import Rule, parse_pack

from .conftest import KEY

SCRUBBER = Scrubber(key=KEY)
RULES = SCRUBBER.rules
CASES = [(rule, i) for rule in RULES for i in range(len(rule.examples))]


def _id(case: tuple[Rule, int]) -> str:
    rule, i = case
    return f"{rule.id}-{i}-{'pos' if rule.examples[i].finds else 'neg'}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_positive_and_negative_examples(rule: Rule) -> None:
    assert any(e.finds for e in rule.examples), f"{rule.id}: no example it must find"
    assert any(not e.finds for e in rule.examples), f"{rule.id}: no near-miss it must leave alone"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_rule_example(case: tuple[Rule, int]) -> None:
    rule, i = case
    example = rule.examples[i]
    found = sorted(
        example.text[f.start : f.end] for f in SCRUBBER.findings(example.text) if f.rule_id == rule.id
    )
    assert found == sorted(example.finds)
    out = SCRUBBER.scrub_text(example.text).text
    for value in example.finds:
        if rule.operator is Operator.KEEP:
            assert value in out  # a keeper rule (a service centre's number) protects its value
        else:
            assert value not in out


def test_bad_example_fails_at_load() -> None:
    pack = """\
schema: 1
rules:
  - id: custom.x
    entity: TOKEN
    patterns: ['x[0-9]+']
    examples:
      - {text: "id x123", finds: ["x999"]}
"""
    with pytest.raises(RuleError, match=r"custom\.x.*finds"):
        parse_pack(pack, "custom.yaml")


def test_rules_reference_is_current() -> None:
    from logscrub import rulesdoc

    from .conftest import REPO

    expected = rulesdoc.render(SCRUBBER.packs)
    committed = (REPO / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert committed == expected, "docs/RULES.md is stale: run `logscrub rules doc > docs/RULES.md`"
    for rule in RULES:
        assert f"### `{rule.id}`" in committed


POSITIVE = [case for case in CASES if case[0].examples[case[1]].finds]
_BEFORE = "2026-03-04 10:00:00.120 I/worker: ready\n"
_AFTER = "\n2026-03-04 10:00:00.480 I/worker: idle\n"


@pytest.mark.parametrize("case", POSITIVE, ids=[_id(c) for c in POSITIVE])
def test_rule_example_among_other_lines(case: tuple[Rule, int]) -> None:
    """A log holds an example among other lines: the rule finds the same there (a pattern
    that ends at `$` without `(?m)` matches only at the end of the whole text)."""
    rule, i = case
    text = _BEFORE + rule.examples[i].text + _AFTER
    found = sorted(text[f.start : f.end] for f in SCRUBBER.findings(text) if f.rule_id == rule.id)
    assert found == sorted(rule.examples[i].finds)


@pytest.mark.parametrize("case", POSITIVE, ids=[_id(c) for c in POSITIVE])
def test_rule_example_twice_in_a_row(case: tuple[Rule, int]) -> None:
    """The example's line twice, one after the other: candidate lines close together are
    scanned as one run, where a pattern's `$` without `(?m)` matches only at the run's end
    (found so: Home Assistant's `name: life360 jon` followed by other tracker lines)."""
    rule, i = case
    example = rule.examples[i].text
    if "\n" in example:
        pytest.skip("a multi-line example")
    text = _BEFORE + example + "\n" + example + _AFTER
    found = sorted(text[f.start : f.end] for f in SCRUBBER.findings(text) if f.rule_id == rule.id)
    assert found == sorted(rule.examples[i].finds * 2)
