"""SIP MESSAGE bodies are MESSAGE_BODY, followed through headers, prefixes and blocks."""

from __future__ import annotations

import pytest

from logscrub import Entity, Scrubber
from logscrub.policy import Policy
from logscrub.sipbody import RULE_ID, SipBodies

from .conftest import KEY

BARE = (
    "-----\r\n"
    "MESSAGE sip:anna@sip.example.org SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.8.0.14:5060;branch=z9hG4bK.1\r\n"
    'From: "Jo" <sip:jo@sip.example.org>;tag=a\r\n'
    "Content-Type: text/plain;charset=utf-8\r\n"
    "Content-Length: 53\r\n"
    "\r\n"
    "The gate code is 4417, call 0151 2345 6789\r\n"
    "thx\r\n"
    "-----\r\n"
    "2026-03-04 14:09:15:455 [belle-sip][message] channel ready\r\n"
)


def _bodies(text: str) -> list[str]:
    return [text[f.start : f.end] for f in SipBodies().findings(text)]


def test_plain_text_body() -> None:
    assert _bodies(BARE) == ["The gate code is 4417, call 0151 2345 6789", "thx"]
    out = Scrubber(key=KEY).scrub_text(BARE).text
    assert "gate code" not in out and "0151" not in out
    assert "<MESSAGE_BODY>\r\n<MESSAGE_BODY>\r\n-----\r\n2026-03-04 14:09:15:455 [belle-sip]" in out


def test_body_behind_a_logcat_prefix() -> None:
    p = "03-04 10:11:04.7{}  4821  4870 D belle-sip: "
    lines = [
        "MESSAGE sip:anna@sip.example.org SIP/2.0",
        "To: <sip:anna@sip.example.org>",
        "Content-Type: text/plain",
        "",
        "see you at 6",
        "",
    ]
    text = "".join(p.format(i % 10) + line + "\n" for i, line in enumerate(lines))
    text += "03-04 10:11:05.001  4821  4870 I Linphone: chat sent\n"
    assert _bodies(text) == ["see you at 6"]


def test_other_content_types_are_left_to_the_rules() -> None:
    text = (
        "MESSAGE sip:81000000465001000001@13.50.108.195:5080 SIP/2.0\n"
        "Content-Type: Application/MANSCDP+xml\n"
        "Content-Length: 60\n"
        "\n"
        "<Query><CmdType>Catalog</CmdType><SN>345491</SN></Query>\n"
    )
    assert _bodies(text) == []


def test_cpim_text_part() -> None:
    text = (
        "MESSAGE sip:anna@sip.example.org SIP/2.0\n"
        "Content-Type: message/cpim\n"
        "\n"
        "From: <sip:jo@sip.example.org>\n"
        "To: <sip:anna@sip.example.org>\n"
        "DateTime: 2026-03-04T13:09:15Z\n"
        "\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "running late, sorry\n"
    )
    assert _bodies(text) == ["running late, sorry"]


def test_content_length_ends_the_body() -> None:
    text = (
        "MESSAGE sip:anna@sip.example.org SIP/2.0\n"
        "Content-Length: 5\n"
        "\n"
        "hello\n"
        "pjsua_core.c  TX 347 bytes Response msg 200/MESSAGE\n"
    )
    assert _bodies(text) == ["hello"]


def test_other_requests_have_no_tracked_body() -> None:
    text = "INVITE sip:anna@sip.example.org SIP/2.0\nContent-Type: text/plain\n\nhello there\n"
    assert _bodies(text) == []


@pytest.mark.parametrize("block_size", [1024, 1 << 20])
def test_split_across_blocks(block_size: int) -> None:
    filler = "".join(f"2026-03-04 14:00:{i % 60:02d}.000 [app] tick {i}\n" for i in range(60))
    data = (filler + BARE) * 3
    out = Scrubber(Policy(key=KEY, block_size=block_size)).scrub_bytes(data.encode()).data.decode()
    assert out.count("<MESSAGE_BODY>") == 6
    assert "gate code" not in out


def test_explain_names_the_body_rule() -> None:
    import io

    lines = list(Scrubber(key=KEY).explain(io.BytesIO(BARE.encode())))
    bodies = [f for line in lines for f in line.findings if f.entity is Entity.MESSAGE_BODY]
    assert len(bodies) == 2 and {f.rule_id for f in bodies} == {RULE_ID}


def test_body_tracking_can_be_switched_off() -> None:
    scrubber = Scrubber(Policy(key=KEY, disabled_rules=frozenset({RULE_ID})))
    assert "gate code" in scrubber.scrub_text(BARE).text
