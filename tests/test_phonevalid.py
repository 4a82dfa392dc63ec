"""phonevalid.is_valid gives phonenumbers.is_valid_number's answer on every calling code:
the pseudonym walk asks it once per step, and must reach the same numbers as before."""

from __future__ import annotations

import random

import phonenumbers
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

from logscrub.phonevalid import is_valid

CALLING_CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
]


def reference(country_code: int, national: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
    zeros = len(national) - len(national.lstrip("0"))
    if zeros:
        number.italian_leading_zero = True
        number.number_of_leading_zeros = zeros
    return bool(phonenumbers.is_valid_number(number))


def test_numbers_next_to_every_example_number_agree() -> None:
    """Every region's example number of every type, its last digits changed: mostly valid
    numbers, in every region (shared calling codes such as +1 and +7 included)."""
    chance = random.Random(5)
    cases = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.national_significant_number(example)
            for _ in range(8):
                changed = chance.randint(1, min(4, len(national)))
                tail = "".join(chance.choice("0123456789") for _ in range(changed))
                cases.append((int(example.country_code), national[:-changed] + tail))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            national = phonenumbers.national_significant_number(example)
            cases += [(code, national[:-2] + f"{n:02d}") for n in range(0, 100, 7)]
    assert sum(reference(code, national) for code, national in cases) > len(cases) // 2
    disagree = [
        (code, national) for code, national in cases if is_valid(code, national) != reference(code, national)
    ]
    assert not disagree


@given(
    st.sampled_from(CALLING_CODES),
    st.text(alphabet="0123456789", min_size=2, max_size=16).filter(lambda s: s.strip("0") != ""),
)
def test_any_digits_agree(country_code: int, national: str) -> None:
    assert is_valid(country_code, national) == reference(country_code, national)


def test_unknown_calling_codes_are_never_valid() -> None:
    assert not is_valid(999, "1234567890") and not reference(999, "1234567890")
