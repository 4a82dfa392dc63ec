"""Rule packs: a bad rule fails at load time naming its file and rule id; good packs work."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import logscrub
from logscrub import Entity, LogscrubError, RuleError, Scrubber, load_pack, load_rule_packs, parse_pack

from .conftest import KEY, REPO, RULES_DIR


def write_pack(tmp_path: Path, body: str, name: str = "user.yaml", schema: int | str = 1) -> Path:
    path = tmp_path / name
    path.write_text(
        f"schema: {schema}\nname: user\nversion: '1'\nrules:\n"
        + textwrap.indent(textwrap.dedent(body), "  "),
        encoding="utf-8",
    )
    return path


GOOD_RULE = """\
- id: custom.ticket
  entity: DEVICE_ID
  description: "Customer ticket ids (CUST-123456)"
  patterns:
    - 'CUST-(?P<value>[0-9]{6})'
"""

BAD_RULES = {
    "invalid_regex": (
        "custom.bad_regex",
        """\
- id: custom.bad_regex
  entity: TOKEN
  patterns: ['(unclosed[']
""",
        "regex",
    ),
    "unknown_entity": (
        "custom.bad_entity",
        """\
- id: custom.bad_entity
  entity: SHOE_SIZE
  patterns: ['shoe=(?P<value>\\d+)']
""",
        "SHOE_SIZE",
    ),
    "unknown_validator": (
        "custom.bad_validator",
        """\
- id: custom.bad_validator
  entity: TOKEN
  patterns: ['tok=(?P<value>\\w+)']
  validators: [no_such_validator]
""",
        "no_such_validator",
    ),
    "duplicate_id": (
        "custom.twice",
        """\
- id: custom.twice
  entity: TOKEN
  patterns: ['a=(?P<value>\\w+)']
- id: custom.twice
  entity: TOKEN
  patterns: ['b=(?P<value>\\w+)']
""",
        "duplicate",
    ),
    "unknown_field": (
        "custom.typo",
        """\
- id: custom.typo
  entity: TOKEN
  patterns: ['tok=(?P<value>\\w+)']
  validator: [luhn]
""",
        "validator",
    ),
    "empty_match": (
        "custom.empty",
        """\
- id: custom.empty
  entity: TOKEN
  patterns: ['x*']
""",
        "empty",
    ),
    "unknown_operator": (
        "custom.bad_operator",
        """\
- id: custom.bad_operator
  entity: TOKEN
  patterns: ['tok=(?P<value>\\w+)']
  operator: shred
""",
        "shred",
    ),
    "patterns_and_keys": (
        "custom.both",
        """\
- id: custom.both
  entity: TOKEN
  patterns: ['tok=(?P<value>\\w+)']
  keys: [tok]
""",
        "keys",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_bad_rule_fails_at_load_naming_file_and_id(tmp_path: Path, case: str) -> None:
    rule_id, body, problem = BAD_RULES[case]
    path = write_pack(tmp_path, body)
    with pytest.raises(RuleError) as info:
        load_pack(path)
    message = str(info.value)
    assert str(path) in message
    assert rule_id in message
    assert problem.lower() in message.lower()
    assert "\n" not in message
    # the same through the public Scrubber: fails at construction, not at scan time
    with pytest.raises(RuleError, match=rule_id):
        Scrubber(key=KEY, rules=[path])


def test_duplicate_id_across_user_packs(tmp_path: Path) -> None:
    first = write_pack(tmp_path, GOOD_RULE, "first.yaml")
    second = write_pack(tmp_path, GOOD_RULE, "second.yaml")
    with pytest.raises(RuleError) as info:
        Scrubber(key=KEY, rules=[first, second])
    message = str(info.value)
    assert "custom.ticket" in message and "duplicate" in message
    assert str(second) in message and str(first) in message


def test_duplicate_id_with_builtin_pack(tmp_path: Path) -> None:
    path = write_pack(
        tmp_path,
        """\
- id: phone.e164
  entity: PHONE_NUMBER
  patterns: ['tel=(?P<value>\\d+)']
""",
    )
    with pytest.raises(RuleError) as info:
        Scrubber(key=KEY, rules=[path])
    assert "phone.e164" in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("schema", [2, 0, "'1'", "null"])
def test_wrong_schema_version(tmp_path: Path, schema: object) -> None:
    path = write_pack(tmp_path, GOOD_RULE, schema=schema)  # type: ignore[arg-type]
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert str(path) in str(info.value)
    assert "schema" in str(info.value)


def test_unknown_top_level_field(tmp_path: Path) -> None:
    path = tmp_path / "top.yaml"
    path.write_text("schema: 1\nname: x\nrulez: []\nrules:\n" + textwrap.indent(GOOD_RULE, "  "))
    with pytest.raises(RuleError, match="rulez"):
        load_pack(path)


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("schema: 1\nrules: [\n  - id: x\n")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert str(path) in str(info.value)
    missing = tmp_path / "missing.yaml"
    with pytest.raises(RuleError) as info:
        load_pack(missing)
    assert str(missing) in str(info.value)


def test_bad_rule_id_format(tmp_path: Path) -> None:
    path = write_pack(
        tmp_path,
        """\
- id: NoDots
  entity: TOKEN
  patterns: ['tok=(?P<value>\\w+)']
""",
    )
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert "NoDots" in str(info.value) and str(path) in str(info.value)


def test_parse_pack_names_its_source() -> None:
    with pytest.raises(RuleError, match="inline-pack"):
        parse_pack("schema: 1\nrules:\n  - id: a.b\n    entity: NOPE\n    patterns: ['x']\n", "inline-pack")


def test_rule_error_is_logscrub_error() -> None:
    assert issubclass(RuleError, LogscrubError)


def test_valid_user_pack_adds_a_rule(tmp_path: Path) -> None:
    path = write_pack(tmp_path, GOOD_RULE)
    pack = load_pack(path)
    assert [r.id for r in pack.rules] == ["custom.ticket"]
    assert pack.rules[0].entity is Entity.DEVICE_ID
    text = "ticket CUST-482913 opened\n"
    # without the pack nothing is found
    assert Scrubber(key=KEY).scrub_text(text).text == text
    scrubber = Scrubber(key=KEY, rules=[path])
    assert "custom.ticket" in {r.id for r in scrubber.rules}
    findings = scrubber.findings(text)
    assert [(text[f.start : f.end], f.entity, f.rule_id) for f in findings] == [
        ("482913", Entity.DEVICE_ID, "custom.ticket")
    ]
    result = scrubber.scrub_text(text)
    assert "482913" not in result.text
    assert result.text.startswith("ticket CUST-") and result.text.endswith(" opened\n")
    assert result.stats.by_rule["custom.ticket"] == 1
    # a RulePack object works as well as a path
    assert "482913" not in Scrubber(key=KEY, rules=[pack]).scrub_text(text).text


def test_user_key_rule(tmp_path: Path) -> None:
    path = write_pack(
        tmp_path,
        """\
- id: custom.pin
  entity: CREDENTIAL
  keys: [door_code]
""",
    )
    out = Scrubber(key=KEY, rules=[path]).scrub_text("door_code=7781x ok\n").text
    assert "7781x" not in out and out.startswith("door_code=")


def test_builtin_packs_load() -> None:
    packs = load_rule_packs()
    names = {p.name for p in packs}
    assert {"identity", "keys", "network", "phone", "secrets", "sip"} <= names
    ids = [r.id for p in packs for r in p.rules]
    assert len(ids) == len(set(ids))
    entities = {r.entity for p in packs for r in p.rules}
    assert entities == set(Entity), f"entities without a rule: {set(Entity) - entities}"
    # A run leaves the built-in regexes to be compiled when first used; here every one of
    # them is compiled and checked (groups, no empty match) as a user pack's would be.
    for path in sorted(RULES_DIR.glob("*.yaml")):
        assert load_pack(path, check_patterns=True).rules


def test_scrubbers_of_one_process_share_their_compiled_rules() -> None:
    """Building a Scrubber twice compiles nothing twice; a different rule set (a disabled
    rule) gets detectors of its own, and the first is unaffected."""
    first, second = Scrubber(key=KEY), Scrubber(key=KEY)
    assert first.engine.detectors is second.engine.detectors
    assert first.engine.keyword_index is second.engine.keyword_index
    fewer = Scrubber(logscrub.Policy(key=KEY, disabled_rules=frozenset({"phone.e164"})))
    assert fewer.engine.detectors is not first.engine.detectors
    text = "call +1 202 555 0147 ok\n"
    assert "+1 202 555 0147" in fewer.scrub_text(text).text
    assert "+1 202 555 0147" not in first.scrub_text(text).text


def test_builtin_rules_can_be_disabled() -> None:
    assert Scrubber(key=KEY, builtin_rules=False).rules == ()
    text = "call +1 202 555 0147 ok\n"
    assert Scrubber(key=KEY, builtin_rules=False).scrub_text(text).text == text
    policy = logscrub.Policy(key=KEY, disabled_rules=frozenset({"phone.e164"}))
    assert "+1 202 555 0147" in Scrubber(policy).scrub_text(text).text


def test_builtin_rules_found_in_the_installed_layout(tmp_path: Path) -> None:
    """A wheel installs the packs as logscrub/rules/*.yaml (no top-level rules/ beside it)."""
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(REPO / "logscrub", site / "logscrub", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(RULES_DIR, site / "logscrub" / "rules")
    code = (
        "import logscrub, logscrub.rulepack as r;"
        "print(r.builtin_rules_dir());"
        "print(logscrub.Scrubber(key=b'k'*32).scrub_text('password=hunter22').text)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    rules_dir, scrubbed = proc.stdout.splitlines()
    assert Path(rules_dir) == site / "logscrub" / "rules"
    assert scrubbed == "password=********"


def test_rule_pack_data_is_cached_as_json_and_a_bad_cache_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logscrub import rulepack

    monkeypatch.setenv("LOGSCRUB_CACHE_DIR", str(tmp_path))
    text = "schema: 1\nrules:\n  - id: custom.cached\n    entity: TOKEN\n    patterns: ['tok-[0-9]{6}']\n"
    first = rulepack._yaml_data(text, "custom.yaml")
    cached = list(tmp_path.glob("rules-*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_bytes()) == first
    # Read back from the cache: YAML is not parsed again.
    monkeypatch.setattr(rulepack.yaml, "load", lambda *a, **k: pytest.fail("YAML parsed again"))
    assert rulepack._yaml_data(text, "custom.yaml") == first
    monkeypatch.undo()
    monkeypatch.setenv("LOGSCRUB_CACHE_DIR", str(tmp_path))
    cached[0].write_bytes(b"{not json")  # a torn or foreign file: read as YAML again
    assert rulepack._yaml_data(text, "custom.yaml") == first
    # YAML whose data JSON would change (a mapping with number keys) is never cached.
    odd = "schema: 1\nrules: []\n1: one\n"
    assert rulepack._yaml_data(odd, "odd.yaml") == {"schema": 1, "rules": [], 1: "one"}
    assert len(list(tmp_path.glob("rules-*.json"))) == 1
