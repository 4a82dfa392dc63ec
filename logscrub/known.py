"""Known values: what a caller already knows must go, in every spelling.

A ticket system knows who the customer is (the name, numbers, emails and account id on the
ticket). Given as {entity: [values]} (`Scrubber(known=...)`, `--known FILE` with YAML of
the same shape), each value is removed across the run wherever it stands as a token, in
the spellings logscrub knows for its entity:

- phone numbers in every format (E.164, `00`, national, grouped with spaces, dashes, dots,
  the area code in brackets, URL-encoded `%2B`);
- emails in any case and URL-encoded (`%40`);
- names in any case, as `Last, First`, and as their single parts of four letters or more
  that are no common words (`Whitfield`, `Dana`; not `Will` of `Will Smith`);
- anything else as given, and in lower and upper case.

`check` reports them as findings. The values are never written anywhere; they do not
enter the run stamp or the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import phonespell
from .detectors.prose import is_common_word
from .errors import PolicyError
from .model import Entity
from .yamlfiles import read_yaml

KnownValues = Mapping[Entity, tuple[str, ...]]


def known_values(raw: Mapping[Any, Iterable[str]], source: str = "known values") -> KnownValues:
    """{entity: values} checked: entities by name (`PHONE_NUMBER`, `phone_number`), values
    non-empty strings."""
    known: dict[Entity, tuple[str, ...]] = {}
    for name, values in raw.items():
        try:
            entity = name if isinstance(name, Entity) else Entity(str(name).upper())
        except ValueError:
            raise PolicyError(f"{source}: unknown entity {name!r}") from None
        if isinstance(values, str) or not all(isinstance(v, str) and v.strip() for v in values):
            raise PolicyError(f"{source}: {entity.value} needs a list of non-empty strings")
        known[entity] = tuple(known.get(entity, ())) + tuple(v.strip() for v in values)
    return known


def load_known(path: Path) -> KnownValues:
    """A YAML file of {entity: [values]}."""
    data = read_yaml(path, "known-values file", PolicyError)
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: expected a mapping of entity -> list of values")
    return known_values(data, str(path))


def spellings(entity: Entity, value: str, region: str | None = None) -> list[str]:
    """The spellings of a known value that are removed (see the module doc)."""
    if entity is Entity.PHONE_NUMBER:
        parsed = phonespell.parse_confident(value, region)
        forms = {value} if parsed is None else {value, *phonespell.spellings(parsed)}
        return sorted(forms)
    if entity is Entity.EMAIL_ADDRESS:
        return sorted(
            {form for v in (value, value.lower(), value.upper()) for form in (v, v.replace("@", "%40"))}
        )
    if entity is Entity.PERSON_NAME:
        return sorted(_name_forms(value))
    return sorted({value, value.lower(), value.upper()})


def phone_region(value: str, region: str | None = None) -> tuple[str, str] | None:
    """(national significant number, region) of a known number, so that its national
    spellings get the pseudonym of its international form."""
    parsed = phonespell.parse_confident(value, region)
    found = phonespell.region_of(parsed) if parsed is not None else None
    return (phonespell.significant_number(parsed), found) if parsed is not None and found else None


def _name_forms(name: str) -> set[str]:
    words = name.split()
    whole = {" ".join(words)}
    if len(words) >= 2:
        whole.add(f"{words[-1]}, {' '.join(words[:-1])}")  # `Roe, Jane`: a directory's order
        whole.add(f"{words[-1]} {' '.join(words[:-1])}")
    parts = {w for w in words if len(w) >= 4 and w.isalpha() and not is_common_word(w)}
    return {form for base in whole | parts for form in (base, base.lower(), base.upper(), base.title())}
