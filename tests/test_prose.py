"""Names in English prose (rule prose.person_name, module detectors/prose.py)."""

from __future__ import annotations

import pytest
import regex

from logscrub import Scrubber
from logscrub.detectors import prose

from .conftest import KEY

SCRUBBER = Scrubber(key=KEY)


def names_found(text: str) -> list[str]:
    return [text[f.start : f.end] for f in SCRUBBER.findings(text) if f.rule_id == "prose.person_name"]


FOUND = [
    ("You are a campaign worker trying to convince Harshita to go vote in the upcoming race.", ["Harshita"]),
    (
        "and vote for your preferred candidate, Adrian Obleton. You speak casually and with care.",
        ["Adrian Obleton"],
    ),
    ("The customer asked us to call back Łukasz Wiśniewski after the outage is over.", ["Łukasz Wiśniewski"]),
    ("I/Agent: the caller says that Matthew is not at his desk and will call again", ["Matthew"]),
    ("2023-05-11 04:13:56,091 - main - INFO - It is important to Nesh that the race is fair.", ["Nesh"]),
    ("I/Chat: please tell José that the meeting with the team is moved to noon", ["José"]),
]

NOT_FOUND = [
    # Title-case phrases of common words, sentence starts, products after determiners.
    "vote in the upcoming House District 5 race taking place on Monday",
    "the call was routed to the Twilio webhook and then to the Linphone app",
    "sending the request via Twilio to the number with a retry",
    "You know the following information about the race and the candidate.",
    "Containers are restarted when the health check fails for the service",
    # Log messages are no prose: too few function words, code-like tokens.
    "D/linphone: Core started with Opus codec",
    "pjsua_call.c  ....State changed from Calling to Completed, event=RX_MSG",
    "AcmePhone[412:7781] [Audio] AVAudioSession category set to PlayAndRecord",
    "Call 1 is DISCONNECTED [reason=200 (Normal call clearing)]",
    # Months, days and languages are capitalised but name nobody.
    "the next release of the app is planned for June and is in the store in English",
    # CamelCase, identifiers and dotted names.
    "the request to the server failed with AndroidPlatformHelper and the code is 4",
    "you can find the trace in the file and the Linphone.Core log of the app",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_names_in_prose_are_found(text: str, expected: list[str]) -> None:
    assert names_found(text) == expected
    scrubbed = SCRUBBER.scrub_text(text).text
    for name in expected:
        assert name not in scrubbed


@pytest.mark.parametrize("text", NOT_FOUND)
def test_no_names_outside_prose_or_in_common_words(text: str) -> None:
    assert names_found(text) == []


def test_a_name_found_in_prose_is_replaced_where_it_reappears() -> None:
    text = (
        "You are trying to convince Harshita to go vote in the upcoming race.\n"
        "\tHarshita Cares about education and healthcare\n"
    )
    scrubbed = SCRUBBER.scrub_text(text).text
    assert "Harshita" not in scrubbed
    assert scrubbed.count("Person-") == 2
    assert "Cares about education and healthcare" in scrubbed


def test_common_words_come_from_both_lists() -> None:
    assert prose.is_common_word("district")
    assert prose.is_common_word("Containers")  # a plural of a Webster's lemma
    assert not prose.is_common_word("adrian")  # Webster's has it only as a proper noun
    assert not prose.is_common_word("nesh")  # in Webster's, but too rare to be a common word


def test_the_line_anchor_and_the_validator_require_the_same_function_words() -> None:
    # Hyperscan selects lines by the rule's line_anchor, the fallback by its anchor; both
    # must be necessary conditions of what the validator accepts (see prose.SPACED_WORDS).
    rule = next(r for r in SCRUBBER.rules if r.id == "prose.person_name")
    alternation = "(?:" + "|".join(prose.SPACED_WORDS) + ")"
    assert rule.anchor == rule.line_anchor == f" {alternation} "
    selector = regex.compile(rule.line_anchor)
    for text, _ in FOUND:
        assert selector.search(text)


def test_the_word_list_is_cached(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from logscrub.cachefiles import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    prose._common_words.cache_clear()
    try:
        words = prose._common_words()
        cached = list(tmp_path.iterdir())  # type: ignore[attr-defined]
        assert len(cached) == 1 and cached[0].name.startswith("words-")
        prose._common_words.cache_clear()
        assert prose._common_words() == words  # read back from the cache
    finally:
        prose._common_words.cache_clear()
