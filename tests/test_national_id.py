"""NATIONAL_ID: US Social Security numbers, by key or near an SSN word, never bare."""

from __future__ import annotations

import re

import pytest

from logscrub import Entity, Operator, Scrubber

from .conftest import KEY


def _found(text: str) -> list[str]:
    return [text[f.start : f.end] for f in Scrubber(key=KEY).findings(text) if f.entity is Entity.NATIONAL_ID]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("customer SSN 536-22-1847 verified\n", ["536-22-1847"]),
        ('{"ssn": "536221847", "name": "x"}\n', ["536221847"]),
        ("social security number: 536 22 1847\n", ["536 22 1847"]),
        ("tax_id=536-22-1847\n", ["536-22-1847"]),
        ("order 536-22-1847 shipped\n", []),  # no SSN word: never a bare number
        ("SSN 666-22-1847\n", []),  # area 666 is never issued
        ("SSN 912-22-1847\n", []),  # nor 900-999
        ("SSN 536-00-1847\n", []),  # nor group 00
        ("SSN 536-22-0000\n", []),  # nor serial 0000
        ("SSN 536-221847\n", []),  # mixed separators
    ],
)
def test_ssn_found_only_with_evidence_and_when_valid(text: str, values: list[str]) -> None:
    assert _found(text) == values


def test_operators_for_national_ids() -> None:
    text = "customer SSN 536-22-1847 verified\n"
    assert Scrubber(key=KEY).scrub_text(text).text == "customer SSN ******** verified\n"  # masked by default
    pseudonym = Scrubber(key=KEY, operators={Entity.NATIONAL_ID: Operator.PSEUDONYM}).scrub_text(text).text
    value = pseudonym.split()[2]
    assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", value) and value != "536-22-1847"
    labelled = Scrubber(key=KEY, operators={"NATIONAL_ID": "label"}).scrub_text(text).text
    assert labelled == "customer SSN <NATIONAL_ID> verified\n"
