"""What every detector shares: the Detector protocol, context checks and rule timeouts."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Protocol

import regex

from ..errors import RuleTimeoutError
from ..model import Entity, Finding
from ..rulepack import Rule
from .validators import VALIDATORS, Validator, line_prefix

_NUMERIC = regex.compile(r"(?:\+|%2[Bb])?[\d \-.()]*\d[\d \-.()]*")


class ScanText:
    """The text of one block plus lazily computed views that several detectors share."""

    __slots__ = ("__dict__", "text")

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lower(self) -> str:
        """ASCII-lowercased text with the same length and offsets as `text`.

        bytes.lower() touches only ASCII letters, so the round trip keeps every other
        character (str.lower() may change lengths, e.g. for U+0130) and is twice as fast.
        """
        return self.text.encode("utf-8", "surrogateescape").lower().decode("utf-8", "surrogateescape")

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """[start, end) of the line holding `pos` (end excludes the newline)."""
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        return start, len(text) if end < 0 else end


class Detector(Protocol):
    def find(self, scan: ScanText) -> Iterator[Finding]: ...


class RuleChecks:
    """Context keys, deny-context keys and validators of one rule, applied to a candidate."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.validators: tuple[Validator, ...] = tuple(VALIDATORS[name] for name in rule.validators)

    def accepts(self, text: str, start: int, end: int) -> bool:
        rule = self.rule
        if rule.context or rule.deny_context:
            before = line_prefix(text, start, rule.context_window).lower()
            if rule.context and not any(key in before for key in rule.context):
                return False
            if rule.deny_context and any(key in before for key in rule.deny_context):
                return False
        value = text[start:end]
        return all(check(value, text, start, end) for check in self.validators)

    def entity_for(self, value: str) -> Entity:
        rule = self.rule
        if rule.numeric_entity is not None and _NUMERIC.fullmatch(value):
            return rule.numeric_entity
        return rule.entity


def run_regex(
    pattern: regex.Pattern[str], text: str, timeout: float, rule_id: str, pos: int = 0, endpos: int | None = None
) -> Iterator[regex.Match[str]]:
    """finditer with a time limit; running out of time is a failure, never "no match"."""
    try:
        yield from pattern.finditer(text, pos, len(text) if endpos is None else endpos, timeout=timeout)
    except TimeoutError:
        raise RuleTimeoutError(f"rule {rule_id!r} exceeded its time limit of {timeout:g}s") from None
