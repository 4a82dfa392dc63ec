"""Known values (known.py): what the caller knows must go, in every spelling, across a run."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from logscrub import Entity, Scrubber
from logscrub.cli import main
from logscrub.errors import PolicyError
from logscrub.known import spellings

from .conftest import KEY

CUSTOMER = {
    "PERSON_NAME": ["Dana Whitfield", "Will Smith"],
    "PHONE_NUMBER": ["+14155550123"],
    "EMAIL_ADDRESS": ["Dana.W@Example.com"],
    "USERNAME": ["dwhit"],
}


def _bundle() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.log", "2024-01-01 ticket by WHITFIELD, DANA: call (415) 555-0123 back\n")
        archive.writestr(
            "nested/b.log",
            "contact 415.555.0123 or %2B14155550123; dana.w%40example.com; DANA.W@EXAMPLE.COM\n"
            "Whitfield and Dana agreed; login DWHIT; will call Smith; Will stays a word\n",
        )
    return buffer.getvalue()


def test_known_values_go_in_every_spelling_across_a_bundle() -> None:
    out = Scrubber(key=KEY, known=CUSTOMER).scrub_bytes(_bundle()).data
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        text = archive.read("a.log").decode() + archive.read("nested/b.log").decode()
    for gone in (
        "WHITFIELD",
        "Whitfield",
        "Dana",
        "DANA",
        "555-0123",
        "555.0123",
        "14155550123",
        "dana.w",
        "DWHIT",
    ):
        assert gone not in text, gone
    # Parts that are common words stay words: `will`, `Will`; a common-word surname too.
    assert "will call Smith" in text and "Will stays a word" in text
    assert "2024-01-01 ticket by " in text  # the rest as it was


def test_national_spellings_share_the_international_pseudonym() -> None:
    out = Scrubber(key=KEY, known={"PHONE_NUMBER": ["+14155550123"]}).scrub_text(
        "a (415) 555-0123 b 415.555.0123 c +1-415-555-0123\n"
    )
    assert "5550123" not in out.text.replace("-", "").replace(".", "").replace(" ", "")
    parts = re.split(r" [abc] |\n", "x " + out.text)[1:4]
    digits = ["".join(ch for ch in part if ch.isdigit()) for part in parts]
    assert digits[0] == digits[1] == digits[2][1:] and "555" not in out.text.replace("(415)", "")


def test_spellings_of_each_entity() -> None:
    assert {"+14155550123", "(415) 555-0123", "415-555-0123", "%2B14155550123"} <= set(
        spellings(Entity.PHONE_NUMBER, "+14155550123")
    )
    assert {"jane@example.com", "JANE@EXAMPLE.COM", "jane%40example.com"} <= set(
        spellings(Entity.EMAIL_ADDRESS, "Jane@Example.com")
    )
    names = set(spellings(Entity.PERSON_NAME, "Will Smith"))
    assert {"Will Smith", "Smith, Will", "WILL SMITH"} <= names and "Will" not in names


def test_check_reports_known_values_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = tmp_path / "customer.yaml"
    known.write_text("PERSON_NAME: [Dana Whitfield]\nUSERNAME: [dwhit]\n")
    log = tmp_path / "app.log"
    log.write_text("2024-01-01 login dwhit ok, Whitfield on shift\n")
    assert main(["check", str(log), "--known", str(known)]) == 1
    out = capsys.readouterr().out
    assert "known.username" in out and "known.person_name" in out and "dwhit" not in out
    report = tmp_path / "report.json"
    scrubbed = tmp_path / "out.log"
    assert (
        main(["scrub", "-q", str(log), "-o", str(scrubbed), "--known", str(known), "--report", str(report)])
        == 0
    )
    assert "dwhit" not in scrubbed.read_text() and "Whitfield" not in scrubbed.read_text()
    assert "dwhit" not in report.read_text() and "Whitfield" not in report.read_text()
    assert json.loads(report.read_text())["files"][0]["replaced"] == 2


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [("PHONE: [x]\n", "unknown entity 'PHONE'"), ("PHONE_NUMBER: x\n", "list"), ("- a\n", "mapping")],
)
def test_bad_known_files_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml_text: str, message: str
) -> None:
    known = tmp_path / "known.yaml"
    known.write_text(yaml_text)
    log = tmp_path / "app.log"
    log.write_text("ok\n")
    assert main(["scrub", str(log), "-o", str(tmp_path / "o.log"), "--known", str(known)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "known.yaml" in err[0]
    with pytest.raises(PolicyError):
        Scrubber(known={"NOT_AN_ENTITY": ["x"]})
