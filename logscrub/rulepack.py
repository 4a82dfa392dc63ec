"""Load and validate rule packs (rules/*.yaml and user packs given with --rules).

A bad pack fails here, at load time, with one message naming the file, the rule id
and the problem; nothing about a rule is left to be discovered at scan time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

from . import cachefiles
from .detectors.validators import VALIDATORS
from .errors import RuleError
from .model import Entity, Operator
from .yamlfiles import yaml_problem

# libyaml's loader is ~10x faster than the pure-Python one; start-up time matters for hooks.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SCHEMA_VERSION = 1
_ID = regex.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)+$")


def regex_flags(ignore_case: bool) -> int:
    """The flags rule patterns compile with, as a plain int: the regex module does flag
    arithmetic at every node it parses, and on its enum each operation is a Python call
    (a third of compile time at start-up). The same value for the check here and the
    detector's compile lets the module's cache serve the second."""
    return int(regex.V0 | (regex.IGNORECASE if ignore_case else 0))


_VALUE_MODES = ("token", "phrase", "line", "phone", "wrapped")
_RULE_FIELDS = {
    "anchor",
    "line_anchor",
    "trim_to_valid",
    "examples",
    "id",
    "entity",
    "description",
    "patterns",
    "keys",
    "key_match",
    "value",
    "prefilter",
    "context",
    "deny_context",
    "context_window",
    "validators",
    "operator",
    "priority",
    "numeric_entity",
    "handle_entity",
    "groups",
    "ignore_case",
    "within",
}
_PACK_FIELDS = {"schema", "name", "version", "description", "rules"}

# A line anchor is matched by Hyperscan against the block's text view (one byte per
# character: ASCII as itself, other characters as bytes >= 0x80; see
# detectors.hyperscan_db), and must select every line the regex module would find a match
# on. So it is written in a subset whose byte-level meaning there covers its meaning in
# the regex module: ASCII literals, escaped punctuation, classes of ASCII members (a
# negated class or '.' also matches any non-ASCII character, as it should), groups,
# alternation, quantifiers, and ^ $ at line ends. Not allowed: \w \d \s \b (Unicode-aware
# in the regex module, ASCII in Hyperscan), non-ASCII characters, lookarounds.
_ANCHOR_ESCAPE = r"\\[^A-Za-z0-9\s]|\\t"
_ANCHOR_SUBSET = regex.compile(
    rf"""(?x)
    (?: {_ANCHOR_ESCAPE}                                    # \. \+ \t ...
      | \[ \^? \]? (?: {_ANCHOR_ESCAPE} | [^\]\\\n] )+ \]   # [0-9A-Fa-f] [^0-9A-Za-z_]
      | \(\?: | \((?!\?) | [)|]                             # groups, alternation
      | [*+?] | \{{ \d+ (?: , \d* )? \}}                     # quantifiers
      | [.^$]                                              # any character, line ends
      | [^\\\[\](){{}}.^$*+?|\s] | [ ]                        # literal characters, space
    )+"""
)


@dataclass(frozen=True)
class RuleExample:
    """A text and the values this rule must find in it (none: it must find nothing).
    The tests check every example; the rules reference shows them."""

    text: str
    finds: tuple[str, ...] = ()


def _examples(raw: Mapping[str, Any], source: str, rule_id: str) -> tuple[RuleExample, ...]:
    value = raw.get("examples", [])
    if not isinstance(value, list):
        raise _fail(source, rule_id, "'examples' must be a list of {text, finds} mappings")
    examples = []
    for item in value:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("text"), str)
            or set(item) - {"text", "finds"}
        ):
            raise _fail(source, rule_id, "each example needs 'text' (a string) and optional 'finds'")
        finds = item.get("finds", [])
        finds = [finds] if isinstance(finds, str) else finds
        if not isinstance(finds, list) or not all(isinstance(f, str) and f in item["text"] for f in finds):
            raise _fail(source, rule_id, f"example {item['text']!r}: 'finds' must be values from its text")
        examples.append(RuleExample(item["text"], tuple(finds)))
    return tuple(examples)


def portable_anchor(anchor: str) -> bool:
    """Whether `anchor` is in the portable subset (see _ANCHOR_SUBSET)."""
    return bool(anchor) and anchor.isascii() and _ANCHOR_SUBSET.fullmatch(anchor) is not None


@dataclass(frozen=True)
class Rule:
    """One detection rule: either regex `patterns` or structured `keys`."""

    id: str
    entity: Entity
    source: str
    patterns: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    key_match: str = "exact"
    value_mode: str = "token"
    prefilter: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    deny_context: tuple[str, ...] = ()
    context_window: int = 64
    validators: tuple[str, ...] = ()
    operator: Operator | None = None
    priority: int = 50
    numeric_entity: Entity | None = None
    # Key rules for names only: a one-word value of letters and digits (`CallerIDName:
    # user101`) is a login shown as the name, of this entity.
    handle_entity: Entity | None = None
    groups: Mapping[str, Entity] = field(default_factory=dict)
    ignore_case: bool = False
    # Key rules only: the key counts inside a JSON object held by one of these keys
    # (`"from": {"id": 234140659}`), nowhere else.
    within: tuple[str, ...] = ()
    anchor: str | None = None
    line_anchor: str | None = None
    trim_to_valid: bool = False
    examples: tuple[RuleExample, ...] = ()
    description: str = ""

    @property
    def is_key_rule(self) -> bool:
        return bool(self.keys)


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    source: str
    rules: tuple[Rule, ...]


def builtin_rules_dir() -> Path:
    """Where the shipped packs are: `logscrub/rules/` in an installed wheel, or the top-level
    `rules/` beside `logscrub/` in a source checkout (tests, editable installs)."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    if any(packaged.glob("*.yaml")):
        return packaged
    return here.parent / "rules"


def _yaml_data(text: str, source: str) -> Any:
    """The YAML document in `text`. Reading YAML costs most of a start-up's rule loading
    (about 70 ms for the built-in packs, with libyaml); the same data as JSON reads in a
    tenth of that, so what a text holds is kept in the cache (see cachefiles.py), under
    the digest of the text. JSON, not pickle: a cache file is data, never code."""
    directory = cachefiles.cache_dir()
    path = None
    if directory is not None:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        path = directory / f"rules-{digest}.json"
        try:
            return json.loads(path.read_bytes())
        except (OSError, ValueError):
            pass
    try:
        data = yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        raise RuleError(f"{source}: not valid YAML: {yaml_problem(exc)}") from None
    if path is not None:
        try:
            encoded = json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):
            return data  # (a value JSON cannot hold, a date: the pack is read as YAML each time)
        if json.loads(encoded) == data:  # (not a mapping with keys of other types than text)
            cachefiles.store(path, encoded)
    return data


def builtin_pack_paths() -> list[Path]:
    paths = sorted(builtin_rules_dir().glob("*.yaml"))
    if not paths:
        raise RuleError(f"{builtin_rules_dir()}: no built-in rule packs found (broken installation)")
    return paths


def load_pack(path: str | Path, check_patterns: bool = True) -> RulePack:
    """`check_patterns`: compile every regex now, so a bad one fails at load time (see
    parse_pack)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{source}: cannot read rule pack: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RuleError(f"{source}: rule pack is not UTF-8 text") from None
    return parse_pack(text, source, check_patterns)


def parse_pack(text: str, source: str = "<string>", check_patterns: bool = True) -> RulePack:
    """The pack in `text`. A process that builds many Scrubbers (a test run, a service)
    parses each text once: packs and rules are immutable, so they are shared.

    `check_patterns=False` leaves the regexes to be compiled when a rule is first used
    (compiling them all takes most of a start-up); only for the built-in packs, whose
    patterns the test suite checks (tests/test_rulepack.py)."""
    return _parse_pack(text, source, check_patterns)


@lru_cache(maxsize=64)
def _parse_pack(text: str, source: str, check_patterns: bool) -> RulePack:
    data = _yaml_data(text, source)
    if not isinstance(data, dict):
        raise RuleError(f"{source}: a rule pack must be a mapping with 'schema' and 'rules'")
    unknown = set(data) - _PACK_FIELDS
    if unknown:
        raise RuleError(f"{source}: unknown top-level field(s): {', '.join(sorted(map(str, unknown)))}")
    if data.get("schema") != SCHEMA_VERSION:
        raise RuleError(
            f"{source}: unsupported schema version {data.get('schema')!r} "
            f"(this logscrub reads {SCHEMA_VERSION})"
        )
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleError(f"{source}: 'rules' must be a non-empty list")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(raw, source, index, check_patterns)
        if rule.id in seen:
            raise RuleError(f"{source}: rule {rule.id!r}: duplicate rule id")
        seen.add(rule.id)
        rules.append(rule)
    name = str(data.get("name") or Path(source).stem)
    return RulePack(name=name, version=str(data.get("version", "0")), source=source, rules=tuple(rules))


def merge_packs(packs: Iterable[RulePack]) -> tuple[Rule, ...]:
    """All rules of several packs; a rule id may exist only once across them."""
    owner: dict[str, str] = {}
    merged: list[Rule] = []
    for pack in packs:
        for rule in pack.rules:
            if rule.id in owner:
                raise RuleError(
                    f"{pack.source}: rule {rule.id!r}: duplicate rule id (also in {owner[rule.id]})"
                )
            owner[rule.id] = pack.source
            merged.append(rule)
    return tuple(merged)


def _fail(source: str, rule_id: str, problem: str) -> RuleError:
    return RuleError(f"{source}: rule {rule_id!r}: {problem}")


def _str_list(raw: Mapping[str, Any], key: str, source: str, rule_id: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(source, rule_id, f"'{key}' must be a string or a list of non-empty strings")
    return tuple(value)


def _entity(value: Any, source: str, rule_id: str, what: str) -> Entity:
    try:
        return Entity(str(value))
    except ValueError:
        known = ", ".join(e.value for e in Entity)
        raise _fail(source, rule_id, f"unknown {what} {value!r} (known: {known})") from None


def _checked_regex(pattern: str, flags: int, what: str, source: str, rule_id: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise _fail(source, rule_id, f"invalid {what} {pattern!r}: {exc}") from None


def _parse_rule(raw: Any, source: str, index: int, check_patterns: bool = True) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{source}: rule #{index + 1}: must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(
            f"{source}: rule #{index + 1} ({rule_id!r}): id must be dotted lowercase, e.g. 'phone.e164'"
        )
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise _fail(source, rule_id, f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    entity = _entity(raw.get("entity"), source, rule_id, "entity")
    patterns = _str_list(raw, "patterns", source, rule_id)
    keys = _str_list(raw, "keys", source, rule_id)
    if bool(patterns) == bool(keys):
        raise _fail(source, rule_id, "needs exactly one of 'patterns' or 'keys'")
    ignore_case = bool(raw.get("ignore_case", False))
    groups: dict[str, Entity] = {}
    raw_groups = raw.get("groups", {})
    if not isinstance(raw_groups, dict):
        raise _fail(source, rule_id, "'groups' must map group names to entities")
    for group, group_entity in raw_groups.items():
        groups[str(group)] = _entity(group_entity, source, rule_id, f"entity of group {group!r}")
    for pattern in patterns if check_patterns else ():
        compiled = _checked_regex(pattern, regex_flags(ignore_case), "regex", source, rule_id)
        for group in groups:
            if group not in compiled.groupindex:
                raise _fail(source, rule_id, f"group {group!r} is not in pattern {pattern!r}")
        if compiled.fullmatch("") is not None:
            raise _fail(source, rule_id, f"pattern {pattern!r} matches the empty string")
    anchor = raw.get("anchor")
    if anchor is not None:
        if not isinstance(anchor, str) or not anchor:
            raise _fail(source, rule_id, "'anchor' must be a non-empty regex string")
        if check_patterns:  # with the detector's flags: the module's cache serves its compile
            _checked_regex(anchor, regex_flags(ignore_case), "anchor regex", source, rule_id)
    line_anchor = raw.get("line_anchor")
    if line_anchor is not None:
        if not isinstance(line_anchor, str) or not portable_anchor(line_anchor):
            raise _fail(
                source,
                rule_id,
                f"line_anchor {line_anchor!r} is outside the portable subset (ASCII literals, escaped "
                "punctuation, [positive ASCII classes], (?:groups), |, quantifiers)",
            )
        if check_patterns:
            _checked_regex(line_anchor, 0, "line_anchor regex", source, rule_id)
    validators = _str_list(raw, "validators", source, rule_id)
    for name in validators:
        if name not in VALIDATORS:
            raise _fail(
                source, rule_id, f"unknown validator {name!r} (known: {', '.join(sorted(VALIDATORS))})"
            )
    operator = raw.get("operator")
    if operator is not None:
        try:
            operator = Operator(str(operator))
        except ValueError:
            raise _fail(source, rule_id, f"unknown operator {operator!r}") from None
    value_mode = raw.get("value", "token")
    if value_mode not in _VALUE_MODES:
        raise _fail(source, rule_id, f"'value' must be one of {', '.join(_VALUE_MODES)}")
    key_match = raw.get("key_match", "exact")
    if key_match not in ("exact", "suffix"):
        raise _fail(source, rule_id, "'key_match' must be 'exact' or 'suffix'")
    numeric_entity = raw.get("numeric_entity")
    handle_entity = raw.get("handle_entity")
    ints = {}
    for name, default, low, high in (
        ("priority", 50, 0, 1000),
        ("context_window", 64, 1, 4096),
    ):
        value = raw.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _fail(source, rule_id, f"'{name}' must be an integer from {low} to {high}")
        ints[name] = value
    return Rule(
        id=rule_id,
        entity=entity,
        source=source,
        patterns=patterns,
        keys=tuple(k.lower() for k in keys),
        key_match=key_match,
        value_mode=value_mode,
        prefilter=_str_list(raw, "prefilter", source, rule_id),
        context=tuple(c.lower() for c in _str_list(raw, "context", source, rule_id)),
        deny_context=tuple(c.lower() for c in _str_list(raw, "deny_context", source, rule_id)),
        context_window=ints["context_window"],
        validators=validators,
        operator=operator,
        priority=ints["priority"],
        numeric_entity=_entity(numeric_entity, source, rule_id, "numeric_entity") if numeric_entity else None,
        handle_entity=_entity(handle_entity, source, rule_id, "handle_entity") if handle_entity else None,
        groups=groups,
        ignore_case=ignore_case,
        within=tuple(k.lower() for k in _str_list(raw, "within", source, rule_id)),
        anchor=anchor,
        line_anchor=line_anchor
        if line_anchor is not None
        else (anchor if anchor is not None and portable_anchor(anchor) else None),
        trim_to_valid=bool(raw.get("trim_to_valid", False)),
        examples=_examples(raw, source, rule_id),
        description=str(raw.get("description") or ""),
    )


def describe(rules: Sequence[Rule]) -> list[dict[str, str]]:
    """Rows for `logscrub rules list`."""
    return [
        {
            "id": r.id,
            "entity": r.entity.value,
            "kind": "keys" if r.is_key_rule else "pattern",
            "source": r.source,
        }
        for r in rules
    ]
