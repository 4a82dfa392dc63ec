"""The ways one phone number is written: E.164, international and national groupings with
any common separator, with or without the trunk prefix, `00`, `%2B`.

A number found with confidence once (`sip:+14158675309@`) is then found in every other
spelling of the run (`415-867-5309`, `(415) 867-5309`, `415.867.5309`) by literal
matching, which is cheap whatever the number of numbers learned.
"""

from __future__ import annotations

import functools
import re

import phonenumbers

from .phonevalid import is_valid_number

_GROUPS = re.compile(r"\d+")
_SEPARATORS = ("", " ", "-", ".")
# Spellings shorter than this (digits) are too likely to be something else.
MIN_DIGITS = 7


def parse_confident(value: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The valid number `value` spells: international (`+`, `00`, `%2B`), or national in
    `region`; None when it is not a valid number."""
    digits = "".join(ch for ch in value if ch.isdigit() and ch.isascii())
    stripped = value.lstrip("(").lower()
    try:
        if stripped.startswith("%2b"):
            parsed = phonenumbers.parse("+" + digits[1:], None)
        elif stripped.startswith("+"):
            parsed = phonenumbers.parse("+" + digits, None)
        elif stripped.startswith("00"):
            parsed = phonenumbers.parse("+" + digits[2:], None)
        elif region is not None:
            parsed = phonenumbers.parse(digits, region)
        elif len(digits) >= 11:
            parsed = phonenumbers.parse("+" + digits, None)
        else:
            return None
    except phonenumbers.NumberParseException:
        return None
    return parsed if is_valid_number(parsed) else None


def region_of(number: phonenumbers.PhoneNumber) -> str | None:
    return phonenumbers.region_code_for_number(number)


def significant_number(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.national_significant_number(number))


def spellings(number: phonenumbers.PhoneNumber) -> set[str]:
    """The usual spellings of `number` (at least MIN_DIGITS digits each): E.164 and its
    URL-encoded and `00` forms, the bare digits, the national significant number, and
    the national and international groupings with a space, a dash or a dot (and the
    area code in brackets). A dozen or so: every one is a literal to match."""
    country = str(number.country_code)
    significant = phonenumbers.national_significant_number(number)
    national, intl = _groups(number, country, significant)
    out = {
        "+" + country + significant,
        "%2B" + country + significant,
        "00" + country + significant,
        country + significant,
        significant,
    }
    for sep in (" ", "-", "."):
        out.add(sep.join(national))
        out.add(f"+{country}{sep}{sep.join(intl)}")
    out.add("".join(national))
    if len(national) > 1:
        out.add(f"({national[0]}) {'-'.join(national[1:]) if len(national) == 3 else ' '.join(national[1:])}")
    return {s for s in out if sum(ch.isdigit() for ch in s) >= MIN_DIGITS}


@functools.lru_cache(maxsize=4096)
def _group_lengths(
    country: str, region_key: str, length: int
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """(trunk prefix, national group lengths, international group lengths) for numbers of
    one country, length and leading digits: formatting is slow, numbers of a run are alike."""
    number = phonenumbers.parse("+" + country + region_key, None)
    national = _GROUPS.findall(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    intl = _GROUPS.findall(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))[
        1:
    ]
    digits = "".join(national)
    trunk = digits[: len(digits) - length] if digits.endswith(region_key) else ""
    return trunk, tuple(len(g) for g in national), tuple(len(g) for g in intl)


def _groups(number: phonenumbers.PhoneNumber, country: str, significant: str) -> tuple[list[str], list[str]]:
    """The national (with trunk prefix) and international digit groups of `number`."""
    # Numbers of one country and length with the same first digits are grouped alike.
    sample = significant[:4] + "0" * (len(significant) - 4) if len(significant) > 4 else significant
    try:
        trunk, national_lengths, intl_lengths = _group_lengths(country, sample, len(significant))
    except phonenumbers.NumberParseException:
        return [significant], [significant]
    national = _split(trunk + significant, national_lengths)
    intl = _split(significant, intl_lengths)
    return national, intl


def _split(digits: str, lengths: tuple[int, ...]) -> list[str]:
    if sum(lengths) != len(digits):
        return [digits]
    out, at = [], 0
    for size in lengths:
        out.append(digits[at : at + size])
        at += size
    return out


def regroupings(value: str) -> list[str]:
    """A number of unknown country written in groups (`202 555 0187`), with the same
    groups and every other usual separator (`202-555-0187`, `(202) 555-0187`)."""
    groups = _GROUPS.findall(value)
    if len(groups) < 2 or sum(len(g) for g in groups) < MIN_DIGITS:
        return []
    out = {sep.join(groups) for sep in _SEPARATORS}
    rest = groups[1:]
    for sep in _SEPARATORS[1:]:
        out.add(f"({groups[0]}) {sep.join(rest)}")
        out.add(f"({groups[0]}){sep.join(rest)}")
    return sorted(out)
