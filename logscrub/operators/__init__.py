"""Operators turn a finding into its replacement text: mask, label, pseudonym or keep.

Detection and replacement meet only here, at the Finding. One Replacer lives for a
whole run, so the same value gets the same pseudonym across lines, files and members.
"""

from __future__ import annotations

import ipaddress
import threading

from ..model import Entity, Operator
from ..policy import Policy
from . import formats
from .keyed import KeyedStream

MASK = "********"
# Module constants: looking a member up on an Enum class goes through a descriptor, and
# this runs once per finding.
_KEEP, _MASK, _LABEL = Operator.KEEP, Operator.MASK, Operator.LABEL

_MEMORY_LIMIT = 500_000

# Pseudonyms of these entities are tagged (`Person-7f3a9c`, `user-…@example.invalid`) and
# cannot be real data, so a run remembers them and leaves them alone when it meets them
# again (idempotence). Format-preserving pseudonyms (IPs, phone numbers, MACs, tokens) are
# indistinguishable from real values by design: skipping one because it equals an earlier
# pseudonym would leave a real value in place, so those are always replaced.
_TAGGED = frozenset({Entity.PERSON_NAME, Entity.USERNAME, Entity.MESSAGE_BODY, Entity.EMAIL_ADDRESS})


def label(entity: Entity) -> str:
    return f"<{entity.value}>"


class Replacer:
    """Chooses and applies the operator for each finding under one Policy."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._streams = {entity: KeyedStream(policy.key, entity.value) for entity in Entity}
        self._v6 = KeyedStream(policy.key, "IP_ADDRESS/v6")
        self._cache: dict[tuple[Entity, str], str] = {}
        self._produced: set[tuple[Entity, str]] = set()
        self._lock = threading.Lock()

    def is_replacement(self, entity: Entity, value: str) -> bool:
        """True when `value` is something this run (or any run) wrote as a replacement."""
        if value == MASK or (
            value.startswith("<") and value.endswith(">") and value[1:-1] in Entity.__members__
        ):
            return True
        return (entity, value) in self._produced

    def replace(self, entity: Entity, value: str, operator: Operator) -> str:
        if operator is _KEEP:
            return value
        if operator is _MASK:
            return MASK
        if operator is _LABEL:
            return label(entity)
        key = (entity, value)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = self._pseudonym(entity, value)
        with self._lock:
            if len(self._cache) < _MEMORY_LIMIT:
                self._cache[key] = result
                if entity in _TAGGED:
                    self._produced.add((entity, result))
        return result

    def _pseudonym(self, entity: Entity, value: str) -> str:
        stream = self._streams[entity]
        try:
            if entity is Entity.IP_ADDRESS:
                return self._ip(value)
            if entity is Entity.PHONE_NUMBER and any(c.isdigit() for c in value):
                return formats.pseudonym_phone(stream, value)
            if entity is Entity.MAC_ADDRESS:
                return formats.pseudonym_mac(stream, value)
            if entity is Entity.EMAIL_ADDRESS:
                return formats.pseudonym_email(stream, value, self.policy.provider_domains)
        except ValueError:
            pass  # not parseable as its format after all: fall through to a tagged token
        if entity is Entity.PERSON_NAME:
            return formats.pseudonym_tagged(stream, "Person", value)
        if entity is Entity.USERNAME:
            return formats.pseudonym_tagged(stream, "user", value)
        if entity is Entity.MESSAGE_BODY:
            return formats.pseudonym_tagged(stream, "Message", value)
        if entity in (
            Entity.TOKEN,
            Entity.DEVICE_ID,
            Entity.CARD_NUMBER,
            Entity.CREDENTIAL,
            Entity.GEO_LOCATION,
        ):
            return formats.pseudonym_alnum(stream, value)
        return formats.pseudonym_tagged(stream, entity.value.lower(), value)

    def _ip(self, value: str) -> str:
        v4 = self._streams[Entity.IP_ADDRESS]
        core = value.split("%", 1)[0]
        if ":" in core:
            ipaddress.IPv6Address(core)  # raises ValueError when it is not one
            return formats.pseudonym_ipv6(self._v6, value, v4)
        return formats.pseudonym_ipv4(v4, value)
