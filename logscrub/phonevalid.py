"""Phone-number validity, as `phonenumbers.is_valid_number` decides it, at a fraction of its cost.

A phone pseudonym walks a keyed cycle until it reaches a valid number (formats.py), and
each step asks whether a candidate is valid; every number learned or validated asks too.
`is_valid_number` costs tens of microseconds a call (a region lookup, then up to eleven
number descriptions tried one by one, each pattern looked up in `re`'s cache, which
phonenumbers' hundreds of patterns overflow: many lookups compile again). Here the
same metadata (phonenumbers' own, so both always agree) is compiled once per region and
length into two regular expressions: the region's general pattern, and one alternation of
every number type whose possible lengths include that length. A number is valid when the
general pattern and one of the types match it in full, in the region `is_valid_number`
would choose (for a calling code shared by several regions, the first whose leading digits
match, or failing that, in which the number is valid). A test compares both on every
calling code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

# The number types `is_valid_number` tries (mobile only where its pattern differs from the
# fixed-line one: phonenumbers then does not try it).
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail")
_NON_GEO = "001"

Matcher = Callable[[str], bool]


def is_valid_number(number: phonenumbers.PhoneNumber) -> bool:
    """`phonenumbers.is_valid_number(number)`, answered as `is_valid` does."""
    return is_valid(int(number.country_code or 0), phonenumbers.national_significant_number(number))


def is_valid(country_code: int, national: str) -> bool:
    """Whether +`country_code` followed by the national significant number `national`
    (leading zeros included) is a valid number: the same answer as
    `phonenumbers.is_valid_number` on that number."""
    regions = _regions(country_code)
    if len(regions) == 1:
        return _valid_in(country_code, regions[0][0], national)
    for region, leading in regions:
        if leading is not None:
            if leading.match(national):
                return _valid_in(country_code, region, national)
        elif _valid_in(country_code, region, national):
            return True
    return False


@functools.cache
def _regions(country_code: int) -> tuple[tuple[str, re.Pattern[str] | None], ...]:
    """The regions of a calling code, in phonenumbers' order, each with its leading-digits
    pattern (how `is_valid_number` picks a region for a code several regions share)."""
    found = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        metadata = _metadata(country_code, region)
        if metadata is not None:
            leading = metadata.leading_digits
            found.append((region, re.compile(leading) if leading is not None else None))
    return tuple(found)


def _metadata(country_code: int, region: str) -> PhoneMetadata | None:
    if region == _NON_GEO:
        return PhoneMetadata.metadata_for_nongeo_region(country_code, None)
    return PhoneMetadata.metadata_for_region(region, None)


def _valid_in(country_code: int, region: str, national: str) -> bool:
    matcher = _matcher(country_code, region, len(national))
    return matcher is not None and matcher(national)


@functools.cache
def _matcher(country_code: int, region: str, length: int) -> Matcher | None:
    """The test for numbers of `length` digits in `region`, or None (none can be valid)."""
    metadata = _metadata(country_code, region)
    if metadata is None:
        return None
    general = _pattern(metadata.general_desc, length)
    if general is None:
        return None
    names = [*_TYPES, "fixed_line"]
    if not metadata.same_mobile_and_fixed_line_pattern:
        names.append("mobile")
    alternatives = [p for p in (_pattern(getattr(metadata, name), length) for name in names) if p is not None]
    if not alternatives:
        return None
    general_re = re.compile(general)
    types_re = re.compile("|".join(f"(?:{p})" for p in alternatives))

    def matches(national: str) -> bool:
        return general_re.fullmatch(national) is not None and types_re.fullmatch(national) is not None

    return matches


def _pattern(desc: PhoneNumberDesc | None, length: int) -> str | None:
    """The national number pattern of `desc` if numbers of `length` can match it."""
    if desc is None or not desc.national_number_pattern:
        return None
    if desc.possible_length and length not in desc.possible_length:
        return None
    return str(desc.national_number_pattern)
