"""The ways one phone number is written: E.164, international and national groupings with
any common separator, with or without the trunk prefix, `00`, `%2B`.

A number found with confidence once (`sip:+14158675309@`) is then found in every other
spelling of the run (`415-867-5309`, `(415) 867-5309`, `415.867.5309`) by literal
matching, which is cheap whatever the number of numbers learned.
"""

from __future__ import annotations

import re

import phonenumbers

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
    return parsed if phonenumbers.is_valid_number(parsed) else None


def region_of(number: phonenumbers.PhoneNumber) -> str | None:
    return phonenumbers.region_code_for_number(number)


def spellings(number: phonenumbers.PhoneNumber) -> set[str]:
    """Every usual spelling of `number` with at least MIN_DIGITS digits."""
    country = str(number.country_code)
    significant = phonenumbers.national_significant_number(number)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national_groups = _GROUPS.findall(national)
    intl_groups = _GROUPS.findall(international)[1:]  # without the country code
    out = {
        "+" + country + significant,
        "%2B" + country + significant,
        "%2b" + country + significant,
        "00" + country + significant,
        country + significant,
        significant,
        national,
        international,
    }
    for groups in {tuple(national_groups), tuple(intl_groups)}:
        for sep in _SEPARATORS:
            body = sep.join(groups)
            out.add(body)
            for lead in ("+" + country, country):
                out.add(lead + (sep or "") + body)
                out.add(lead + " " + body)
            if len(groups) > 1:
                rest = sep.join(groups[1:]) if sep else "".join(groups[1:])
                out.add(f"({groups[0]}) {rest}")
                out.add(f"({groups[0]}){rest}")
                out.add(f"+{country} ({groups[0]}) {rest}")
    # A national format with a trunk prefix (`020 7946 0958`) also appears without it.
    if national_groups and national_groups[0].startswith("0") and not significant.startswith("0"):
        plain = [national_groups[0][1:], *national_groups[1:]]
        for sep in _SEPARATORS:
            out.add(sep.join(g for g in plain if g))
    return {s for s in out if sum(ch.isdigit() for ch in s) >= MIN_DIGITS and s[:1] != " "}


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
