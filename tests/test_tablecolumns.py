"""Headerless call-record tables told by their columns' values (tablecolumns.py):
properties over generated tables, and the tracker fed arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub.model import Entity
from logscrub.tablecolumns import ValueColumns

from .conftest import scrub_keyed

# Valid mobile numbers of several countries, written without `+` (as call accounting does).
# Not round (a column of numbers mostly ending in 000 is one of amounts, and stays).
_NUMBERS = st.sampled_from(
    ["4915123456789", "447700900123", "33612345678", "393471234567", "79161234567", "61412345678"]
).flatmap(lambda n: st.integers(1, 9999).filter(lambda k: k % 1000).map(lambda k, n=n: n[:-4] + f"{k:04d}"))
_TIMES = st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)).map(
    lambda t: f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"
)
_CODES = st.sampled_from(["", "1", "2", "35", "810"])


@st.composite
def _call_table(draw: st.DrawFn) -> tuple[str, list[str], str]:
    delimiter = draw(st.sampled_from(["|", ";", ",", "\t"]))
    rows = draw(st.integers(3, 12))
    numbers = draw(st.lists(_NUMBERS, min_size=rows, max_size=rows, unique=True))
    lines = []
    for number in numbers:
        fields = ["22.12.06", draw(_TIMES), str(draw(st.integers(1, 60))), "1265", number, draw(_CODES)]
        lines.append(delimiter.join(fields) + delimiter + "\n")
    return "".join(lines), numbers, delimiter


@given(_call_table())
@settings(max_examples=60, deadline=None)
def test_every_dialled_number_goes_and_the_table_keeps_its_shape(table: tuple[str, list[str], str]) -> None:
    text, numbers, delimiter = table
    out = scrub_keyed(text)
    for number in numbers:
        assert number not in out
    assert [line.count(delimiter) for line in out.splitlines()] == [
        line.count(delimiter) for line in text.splitlines()
    ]
    # The extension column and the date stay.
    assert out.count(f"{delimiter}1265{delimiter}") == len(numbers)
    assert out.count("22.12.06") == len(numbers)


@given(st.text(alphabet=st.sampled_from('0123456789+|;,\t\n\r :.-abcXYZ"é'), max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_findings_inside_it(text: str) -> None:
    """Fuzz: whatever it is fed, in pieces, the tracker returns spans inside the text that
    cover no line end, and never fails."""
    tracker = ValueColumns()
    for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]
            assert finding.entity in (Entity.PHONE_NUMBER, Entity.PERSON_NAME, Entity.MESSAGE_BODY)


def test_same_tables_with_and_without_hyperscan() -> None:
    from logscrub import Scrubber

    from .conftest import KEY

    text = (
        "".join(
            f"22.12.06|16:1{i}:20|2|12{i}5||00:01:49|{number}||2|\n"
            for i, number in enumerate(["2583238", "80445374757", "5902394", "79094173355"])
        )
        + "x,y,z,4155550123\nx,y,z,4155550124\nx,y,z,4155550125\n"
    )
    with_hs = Scrubber(key=KEY, hyperscan=True).scrub_text(text).text
    without = Scrubber(key=KEY, hyperscan=False).scrub_text(text).text
    assert with_hs == without
    assert "2583238" not in with_hs
