"""One immutable Policy: the pseudonym key, limits, and which operator each entity gets.

Built once at the edge (CLI options, a policy file, or API arguments) and passed down.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import PolicyError
from .model import Entity, Operator
from .yamlfiles import read_yaml

DEFAULT_OPERATORS: Mapping[Entity, Operator] = MappingProxyType(
    {
        Entity.PHONE_NUMBER: Operator.PSEUDONYM,
        Entity.EMAIL_ADDRESS: Operator.PSEUDONYM,
        Entity.IP_ADDRESS: Operator.PSEUDONYM,
        Entity.MAC_ADDRESS: Operator.PSEUDONYM,
        Entity.PERSON_NAME: Operator.PSEUDONYM,
        Entity.USERNAME: Operator.PSEUDONYM,
        Entity.TOKEN: Operator.PSEUDONYM,
        Entity.DEVICE_ID: Operator.PSEUDONYM,
        # No correlation is needed for these, so nothing about them leaks by default.
        Entity.CREDENTIAL: Operator.MASK,
        Entity.CARD_NUMBER: Operator.LABEL,
        Entity.GEO_LOCATION: Operator.LABEL,
        Entity.MESSAGE_BODY: Operator.LABEL,
        Entity.NATIONAL_ID: Operator.MASK,
    }
)

BINARY_MODES = ("scan", "fail")
ARCHIVE_BINARY_MODES = ("drop", "scan")
KEY_ENV = "LOGSCRUB_KEY"
_POLICY_FIELDS = {
    "operators",
    "provider_domains",
    "binary",
    "max_line_length",
    "window_overlap",
    "rule_timeout",
    "disabled_rules",
    "block_size",
    "same_length",
    "lookback",
    "keep_media",
    "salvage_captures",
    "archive_binary",
    "archive_max_bytes",
    "archive_max_ratio",
    "archive_max_members",
    "archive_max_depth",
    "default_region",
}


def _random_key() -> bytes:
    return os.urandom(32)


@dataclass(frozen=True)
class Policy:
    """Everything that decides how a run replaces what it finds.

    `operators` holds explicit per-entity choices; an entity not listed there gets the
    rule's own default operator, and failing that DEFAULT_OPERATORS.
    """

    key: bytes = field(default_factory=_random_key, repr=False)
    # The key was given (a key file, LOGSCRUB_KEY, an argument), not drawn for this run:
    # what a run writes can then be verified with it (see seal.py).
    key_given: bool = field(default=False, repr=False)
    operators: Mapping[Entity, Operator] = field(default_factory=lambda: MappingProxyType({}))
    provider_domains: frozenset[str] = frozenset()
    binary: str = "scan"
    max_line_length: int = 1 << 20
    window_overlap: int = 8192
    rule_timeout: float = 10.0
    disabled_rules: frozenset[str] = frozenset()
    block_size: int = 1 << 20
    # Every replacement keeps the length of what it replaces (capture payloads: lengths,
    # Content-Length and TCP sequence numbers stay right).
    same_length: bool = False
    # Characters before the place a value was first found in which it is replaced too
    # (see lookback.py); 0 turns the look back off.
    lookback: int = 1 << 16
    # Keep original -> pseudonym pairs for an encrypted mapping export (see mapping.py).
    record_mapping: bool = False
    # Captures: keep RTP payloads (voice, video, DTMF) instead of blanking them.
    keep_media: bool = False
    # Captures cut short or corrupt: scrubbed up to their last intact packet, with a
    # warning that says what was dropped, instead of refused (exit 2).
    salvage_captures: bool = False
    # Archive members that are neither text nor captures (images, databases): "drop"
    # (left out of the output, listed in the report) or "scan" (scanned as text).
    archive_binary: str = "drop"
    # Hostile archives: the most an archive may expand to (bytes, and times its own size,
    # over all members and nesting levels), how many members and how deep it may nest.
    archive_max_bytes: int = 16 << 30
    archive_max_ratio: int = 250
    archive_max_members: int = 100_000
    archive_max_depth: int = 5
    # The country (ISO 3166 code, `US`, `GB`) of phone numbers written nationally, when a
    # run has not seen them written internationally: `415-555-0123` then gets the
    # pseudonym of `+14155550123`, and is found wherever that number is learned.
    default_region: str | None = None

    def __post_init__(self) -> None:
        if len(self.key) < 16:
            raise PolicyError("pseudonym key must be at least 16 bytes")
        if self.binary not in BINARY_MODES:
            raise PolicyError(f"binary must be one of {', '.join(BINARY_MODES)}, not {self.binary!r}")
        if self.window_overlap < 256 or self.max_line_length < 2 * self.window_overlap:
            raise PolicyError("max_line_length must be at least twice window_overlap (>= 256)")
        if self.archive_binary not in ARCHIVE_BINARY_MODES:
            raise PolicyError(f"archive_binary must be one of {', '.join(ARCHIVE_BINARY_MODES)}")
        if (
            min(
                self.archive_max_bytes,
                self.archive_max_ratio,
                self.archive_max_members,
                self.archive_max_depth,
            )
            < 1
        ):
            raise PolicyError("archive limits must be positive")
        if self.block_size < 1024:
            raise PolicyError("block_size must be at least 1024 bytes")
        if self.lookback < 0:
            raise PolicyError("lookback must be 0 or more characters")
        if not self.rule_timeout > 0:
            raise PolicyError("rule_timeout must be positive")
        if self.default_region is not None:
            import phonenumbers

            region = self.default_region.upper()
            if region not in phonenumbers.SUPPORTED_REGIONS:
                raise PolicyError(
                    f"default_region: unknown region {self.default_region!r} (an ISO code such as US)"
                )
            object.__setattr__(self, "default_region", region)
        object.__setattr__(self, "operators", MappingProxyType(dict(self.operators)))

    def operator_for(self, entity: Entity, rule_default: Operator | None = None) -> Operator:
        explicit = self.operators.get(entity)
        if explicit is not None:
            return explicit
        return rule_default or DEFAULT_OPERATORS[entity]

    def with_operators(self, overrides: Mapping[Entity | str, Operator | str]) -> Policy:
        merged = dict(self.operators)
        merged.update(parse_operators(overrides, "operator override"))
        return replace(self, operators=merged)

    def with_key(self, key: bytes) -> Policy:
        return replace(self, key=key, key_given=True)

    @property
    def given_key(self) -> bytes | None:
        """The key when it was given, None when it was drawn for this run."""
        return self.key if self.key_given else None

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], source: str = "policy", base: Policy | None = None
    ) -> Policy:
        unknown = set(data) - _POLICY_FIELDS
        if unknown:
            raise PolicyError(f"{source}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        base = base or cls()
        changes: dict[str, Any] = {}
        if "operators" in data:
            if not isinstance(data["operators"], dict):
                raise PolicyError(f"{source}: 'operators' must map entity names to operators")
            merged = dict(base.operators)
            merged.update(parse_operators(data["operators"], source))
            changes["operators"] = merged
        if "provider_domains" in data:
            changes["provider_domains"] = frozenset(
                d.lower().strip(".") for d in _strings(data, "provider_domains", source)
            )
        if "disabled_rules" in data:
            changes["disabled_rules"] = frozenset(_strings(data, "disabled_rules", source))
        for name in ("same_length", "keep_media", "salvage_captures"):
            if name in data:
                if not isinstance(data[name], bool):
                    raise PolicyError(f"{source}: '{name}' must be true or false")
                changes[name] = data[name]
        for name in ("binary", "archive_binary", "default_region"):
            if name in data:
                changes[name] = str(data[name])
        for name, kind in (
            ("max_line_length", int),
            ("window_overlap", int),
            ("block_size", int),
            ("archive_max_bytes", int),
            ("archive_max_ratio", int),
            ("archive_max_members", int),
            ("archive_max_depth", int),
            ("rule_timeout", float),
            ("lookback", int),
        ):
            if name in data:
                value = data[name]
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise PolicyError(f"{source}: '{name}' must be a number")
                changes[name] = kind(value)
        try:
            return replace(base, **changes)
        except PolicyError as exc:
            raise PolicyError(f"{source}: {exc}") from None

    @classmethod
    def from_file(cls, path: str | Path, base: Policy | None = None) -> Policy:
        data = read_yaml(path, "policy file", PolicyError)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise PolicyError(f"{path}: a policy file must be a mapping")
        return cls.from_mapping(data, str(path), base)


def parse_operators(raw: Mapping[Any, Any], source: str) -> dict[Entity, Operator]:
    parsed: dict[Entity, Operator] = {}
    for entity_name, operator_name in raw.items():
        try:
            entity = Entity(str(entity_name).upper())
        except ValueError:
            raise PolicyError(f"{source}: unknown entity {entity_name!r}") from None
        try:
            parsed[entity] = Operator(str(operator_name).lower())
        except ValueError:
            known = ", ".join(o.value for o in Operator)
            raise PolicyError(
                f"{source}: unknown operator {operator_name!r} for {entity} (known: {known})"
            ) from None
    return parsed


def _strings(data: Mapping[str, Any], name: str, source: str) -> Iterable[str]:
    value = data[name]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"{source}: '{name}' must be a list of strings")
    return value


def read_key_file(path: Path) -> bytes:
    """The key in a key file (see load_key); PolicyError when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read key file: {exc.strerror or exc}") from None
    return load_key(data, str(path))


def load_key(data: bytes, source: str) -> bytes:
    """A key file or LOGSCRUB_KEY holds the key as text (hex or any string of >= 16 bytes)."""
    text = data.strip()
    if not text:
        raise PolicyError(f"{source}: the pseudonym key is empty")
    try:
        decoded = bytes.fromhex(text.decode("ascii"))
        if len(decoded) >= 16:
            return decoded
    except (UnicodeDecodeError, ValueError):
        pass
    if len(text) < 16:
        raise PolicyError(f"{source}: the pseudonym key must be at least 16 bytes")
    return text
