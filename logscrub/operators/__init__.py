"""Operators turn a finding into its replacement text: mask, label, pseudonym or keep.

Detection and replacement meet only here, at the Finding. One Replacer lives for a
whole run, so the same value gets the same pseudonym across lines, files and members.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import threading
from collections.abc import Iterator

from ..detectors.validators import spaced_ipv4_as_dotted
from ..ipforms import ipv4_from_integer, ipv4_to_integer
from ..model import Entity, Operator
from ..policy import Policy
from . import formats
from .fpe import KeyedPermutation
from .keyed import KeyedStream

MASK = "********"
# Module constants: looking a member up on an Enum class goes through a descriptor, and
# this runs once per finding.
_KEEP, _MASK, _LABEL = Operator.KEEP, Operator.MASK, Operator.LABEL

_MEMORY_LIMIT = 500_000
# Entries an exported mapping holds at most; past it the mapping says it is incomplete.
MAPPING_LIMIT = 2_000_000

# Pseudonyms of these entities are tagged (`Person-7f3a9c`, `user-…@example.invalid`) and
# cannot be real data, so a run remembers them and leaves them alone when it meets them
# again (idempotence). Format-preserving pseudonyms (IPs, phone numbers, MACs, tokens) are
# indistinguishable from real values by design: skipping one because it equals an earlier
# pseudonym would leave a real value in place, so those are always replaced.
_TAGGED = frozenset({Entity.PERSON_NAME, Entity.USERNAME, Entity.MESSAGE_BODY, Entity.EMAIL_ADDRESS})


_TAGS = {Entity.PERSON_NAME: "Person", Entity.USERNAME: "user", Entity.MESSAGE_BODY: "Message"}
# The reserved shapes of tagged pseudonyms (`Person-9d526a24`, `user-231b3883`,
# `user-231b3883@example.invalid`, or at a provider's domain): recognised by `check` and by
# a later run, keyed or not.
_TAGGED_SHAPE = re.compile(r"(?:Person|user|Message)-[0-9a-f]{8}(?:(?:@|%40)[\w.-]+)?")  # `%40`: in a URL
# Pseudonyms of these keep the value's length and alphabet at every position.
_SAME_SHAPE = frozenset(
    {
        Entity.TOKEN,
        Entity.DEVICE_ID,
        Entity.CARD_NUMBER,
        Entity.CREDENTIAL,
        Entity.GEO_LOCATION,
        Entity.NATIONAL_ID,
    }
)


def label(entity: Entity) -> str:
    return f"<{entity.value}>"


def fit_label(entity: Entity, length: int) -> str:
    """The label padded with '*' (or only '*' where it does not fit) to `length` characters."""
    text = label(entity)
    return text + "*" * (length - len(text)) if length >= len(text) else "*" * length


_NOT_ASCII_DIGITS = re.compile(r"[^0-9]+")


def _respaced(layout: str, dotted: str) -> str:
    """`dotted`'s octets written in the places and widths of `layout`'s (`192. 168. 011.
    161`): the blanks kept, zero-padded octets padded to their width."""
    pieces = []
    for field, octet in zip(layout.split("."), dotted.split("."), strict=True):
        digits = field.lstrip(" ")
        blanks = field[: len(field) - len(digits)]
        padded = octet.zfill(len(digits)) if digits.startswith("0") and len(digits) > 1 else octet
        pieces.append(blanks + padded)
    return ".".join(pieces)


class Replacer:
    """Chooses and applies the operator for each finding under one Policy."""

    def __init__(self, policy: Policy, phone_regions: dict[str, str] | None = None) -> None:
        """`phone_regions`: national significant number -> region of the numbers the run
        knows (see learned.py); with the policy's default region, a number written
        nationally gets the pseudonym of its international form."""
        self.policy = policy
        self.phone_regions = phone_regions if phone_regions is not None else {}
        self._streams = {entity: KeyedStream(policy.key, entity.value) for entity in Entity}
        self._perms = {entity: KeyedPermutation(policy.key, entity.value) for entity in Entity}
        self._v6 = KeyedPermutation(policy.key, "IP_ADDRESS/v6")
        self.same_length = policy.same_length
        self._cache: dict[tuple[Entity, str], str] = {}
        self._produced: set[tuple[Entity, str]] = set()
        self._lock = threading.Lock()
        # original -> pseudonym, kept only when the run exports an encrypted mapping.
        self.mapping: dict[tuple[Entity, str], str] | None = {} if policy.record_mapping else None
        self.mapping_complete = True
        self._part = threading.local()  # see `part`

    @contextlib.contextmanager
    def part(self, regions: dict[str, str]) -> Iterator[None]:
        """While one part of a run is scrubbed in this thread (see parts.py): phone numbers
        written nationally take their regions from `regions` (the part's own) and their
        pseudonyms are cached for the part only, neither cached for the run nor recorded in
        the mapping. The run writes them again once it knows every region
        (parts.settle_phones). Every other pseudonym (an international number's too)
        depends on the key and the value alone and is shared as usual."""
        self._part.regions = regions
        self._part.phones = {}
        try:
            yield
        finally:
            del self._part.regions, self._part.phones

    def mapping_since(self, size: int) -> list[tuple[tuple[Entity, str], str]]:
        """The mapping pairs recorded after the mapping held `size` (a worker's part)."""
        with self._lock:
            return list(self.mapping.items())[size:] if self.mapping is not None else []

    def merge_mapping(self, pairs: list[tuple[tuple[Entity, str], str]]) -> None:
        """Pairs a worker process recorded (see mapping_since)."""
        if self.mapping is None:
            return
        with self._lock:
            for key, pseudonym in pairs:
                self._map(key, pseudonym, overwrite=False)

    def _map(self, key: tuple[Entity, str], pseudonym: str, overwrite: bool = True) -> None:
        """Record a pair in the mapping, if it is kept and has room (under the lock)."""
        if self.mapping is None:
            return
        if len(self.mapping) < MAPPING_LIMIT:
            if overwrite:
                self.mapping[key] = pseudonym
            else:
                self.mapping.setdefault(key, pseudonym)
        elif key not in self.mapping:
            self.mapping_complete = False

    def is_replacement(self, entity: Entity, value: str) -> bool:
        """True when `value` is something this run (or any run) wrote as a replacement."""
        if value == MASK or (value.startswith("*") and not value.strip("*")):
            return True  # a mask, or a same-length mask (captures)
        if value.startswith("<"):
            label = value.rstrip("*")  # same-length labels are padded with '*'
            if label.endswith(">") and label[1:-1] in Entity.__members__:
                return True
        if entity in _TAGGED and _TAGGED_SHAPE.fullmatch(value):
            return True  # the reserved shape of a tagged pseudonym, written by any run
        return (entity, value) in self._produced

    def replace(self, entity: Entity, value: str, operator: Operator) -> str:
        if operator is _KEEP:
            return value
        if operator is _MASK:
            return "*" * len(value) if self.same_length else MASK
        if operator is _LABEL:
            return fit_label(entity, len(value)) if self.same_length else label(entity)
        if entity is Entity.PHONE_NUMBER and formats.uses_region(value):
            local: dict[str, str] | None = getattr(self._part, "phones", None)
            if local is not None:  # a part's: settled by the run later
                found = local.get(value)
                if found is None:
                    found = self._pseudonym(entity, value)
                    if len(local) < _MEMORY_LIMIT:
                        local[value] = found
                return found
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
            self._map(key, result)
        return result

    def _pseudonym(self, entity: Entity, value: str) -> str:
        stream = self._streams[entity]
        perm = self._perms[entity]
        try:
            if entity is Entity.IP_ADDRESS:
                return self._ip(value)
            if entity is Entity.PHONE_NUMBER and any(c.isdigit() for c in value):
                return formats.pseudonym_phone(perm, value, self._region(value))
            if entity is Entity.MAC_ADDRESS:
                return formats.pseudonym_mac(perm, value)
            if entity is Entity.EMAIL_ADDRESS:
                if self.same_length:
                    return formats.same_length_email(perm, value.lower(), self.policy.provider_domains)
                # One address, one pseudonym, in whatever case it is written.
                return formats.pseudonym_email(stream, value.lower(), self.policy.provider_domains)
            if entity in _SAME_SHAPE:
                return formats.pseudonym_alnum(perm, value)
        except ValueError:
            pass  # not parseable as its format after all: fall through to a tagged token
        tag = _TAGS.get(entity, entity.value.lower())
        if self.same_length:
            return formats.same_length_tagged(stream, tag, value)
        return formats.pseudonym_tagged(stream, tag, value)

    def region_of(self, value: str) -> str | None:
        """The region a phone number's pseudonym is made with (see parts.settle_phones)."""
        return self._region(value)

    def settled(self, value: str, pseudonym: str) -> None:
        """A phone pseudonym a part wrote that the run's regions confirm: cached, and in the
        mapping (a part records neither)."""
        key = (Entity.PHONE_NUMBER, value)
        with self._lock:
            if len(self._cache) < _MEMORY_LIMIT:
                self._cache.setdefault(key, pseudonym)
            self._map(key, pseudonym)

    def _region(self, value: str) -> str | None:
        """The region of a number written nationally: from the run, else the policy's."""
        digits = _NOT_ASCII_DIGITS.sub("", value)
        regions: dict[str, str] | None = getattr(self._part, "regions", None)
        if regions is None:
            regions = self.phone_regions
        return regions.get(digits) or regions.get(digits[1:]) or self.policy.default_region

    def _ip(self, value: str) -> str:
        v4 = self._perms[Entity.IP_ADDRESS]
        as_integer = ipv4_from_integer(value)
        if as_integer is not None:  # CUCM's integer form: the same pseudonym, written so
            return ipv4_to_integer(ipaddress.IPv4Address(formats.pseudonym_ipv4(v4, str(as_integer))))
        if value.count(",") == 3:  # an Erlang tuple's address (`118,62,47,203`): the same pseudonym
            return formats.pseudonym_ipv4(v4, value.replace(",", ".")).replace(".", ",")
        for separator in "_-":
            if (
                value.count(separator) == 3 and ":" not in value
            ):  # `192_168_0_250`, `ip-10-0-0-1`: the same pseudonym
                return formats.pseudonym_ipv4(v4, value.replace(separator, ".")).replace(".", separator)
        if ". " in value:  # an embedded console's `192. 168. 011. 161`: the same layout
            dotted = spaced_ipv4_as_dotted(value)
            if dotted is not None:
                return _respaced(value, formats.pseudonym_ipv4(v4, dotted))
        core = value.split("%", 1)[0]
        if ":" in core:
            ipaddress.IPv6Address(core)  # raises ValueError when it is not one
            return formats.pseudonym_ipv6(self._v6, value, v4)
        return formats.pseudonym_ipv4(v4, value)
