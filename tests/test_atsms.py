"""SMS in text mode in a modem's AT console (atsms.py): the text after a `+CMGR:` /
`+CMGRD:` / `+CMGL:` / `+CMT:` header and after a text-mode `AT+CMGS="..."` prompt goes;
the statuses, time stamps, lengths, commands and final results stay.

The shapes are real: samples/blind-31 35 (a SIMCom A7670G's `+CMGRD:`, github.com/
Xinyuan-LilyGO/LilyGo-Modem-Series/issues/264), github.com/HologramEducation/hologram-SIMCOM
/issues/1 (a `+CMGR:` with a blank line and `OK` after the text), github.com/MarcoMartines/
GSM-GPRS-GPS-Shield/issues/30 (`+CMT:` with a numeric phonebook field), github.com/gammu/
gammu/issues/138 (gammu's numbered, quoted reply lines). The values are invented.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub.atsms import ModemTextSms

from .conftest import scrub_keyed, scrubbed_in_small_blocks

scrub = scrub_keyed

SIMCOM = (
    "_AT+CMGRD=1\n"
    '+CMGRD: "REC UNREAD","+34611223344","","25/04/27,13:44:52+8"\n'
    "recoger las llaves del garaje_ \n"
    "\n"
    "The info of that old A7670G is:\n"
)


def test_a_simcom_read_and_delete() -> None:
    out = scrub(SIMCOM)
    assert "+34611223344" not in out and "recoger las llaves" not in out
    assert '+CMGRD: "REC UNREAD","' in out and '","","25/04/27,13:44:52+8"\n' in out
    assert out.endswith("\n\nThe info of that old A7670G is:\n")


def test_a_read_with_blank_line_and_result() -> None:
    text = (
        "AT+CMGR=1\n"
        '+CMGR: "REC UNREAD", "+18005550188","","17/03/18,15:58:43-20"\n'
        "Hello, the gate code is 4471 tonight\n"
        "\n"
        "OK\n"
        'AT+CMGDA="DEL ALL"\n'
    )
    out = scrub(text)
    assert "gate code" not in out and "+18005550188" not in out
    assert out.endswith('\n\nOK\nAT+CMGDA="DEL ALL"\n') and out.startswith("AT+CMGR=1\n+CMGR: ")


def test_a_listing_with_phonebook_names_and_lengths() -> None:
    text = (
        'AT+CMGL="ALL"\n'
        '+CMGL: 1,"REC READ","+85291234567","Mei Ling Chan","07/05/01,08:00:15+32",145,18\n'
        "two lines,\n"
        "of text\n"
        '+CMGL: 2,"REC READ","0612345678",,"07/05/01,08:01:15+32",129,2\n'
        "ok\n"
        '+CMGL: 3,"REC READ","AMAZON",,"07/05/01,08:02:15+32",208,19\n'
        "at the station at 5\n"
        "OK\n"
    )
    out = scrub(text)
    for leaked in (
        "+85291234567",
        "Mei Ling",
        "two lines",
        "of text",
        "0612345678",
        "\nok\n",
        "at the station",
    ):
        assert leaked not in out, leaked
    # The alphanumeric sender id is a company's; the statuses and stamps stay.
    assert '"AMAZON"' in out and '"07/05/01,08:02:15+32",208,19\n' in out and out.endswith("\nOK\n")
    assert out.count("\n") == text.count("\n")


def test_an_unsolicited_message_is_one_line() -> None:
    """`+CMT:` is not followed by a final result: the program's own lines come next."""
    text = (
        "AT+CNMI=2,2,0,0,0\n\nOK\n"
        '+CMT: "+79161234567","1","15/09/23,01:34:03+24"\n'
        "Test from my other phone\n"
        "Reply in 55ms. Reply OK.\n"
    )
    out = scrub(text)
    assert "+79161234567" not in out and "Test from my other phone" not in out
    assert out.endswith('","1","15/09/23,01:34:03+24"\n<MESSAGE_BODY>\nReply in 55ms. Reply OK.\n')


def test_gammu_numbered_reply_lines() -> None:
    prefix = "Mon 2015/09/28 18:58:42 gammu-smsd[3211]: gammu: "
    text = (
        f'{prefix}2 "+CMGR: "REC READ","+31612345678",,"15/09/28,18:50:00+08""\n'
        f'{prefix}3 "Bring the keys please"\n'
        f'{prefix}4 "OK"\n'
        f"{prefix}Checking line: OK\n"
    )
    out = scrub(text)
    assert "Bring the keys" not in out and "+31612345678" not in out
    assert f'{prefix}3 "<MESSAGE_BODY>"\n{prefix}4 "OK"\n{prefix}Checking line: OK\n' in out


def test_a_reply_dumped_on_one_line() -> None:
    text = (
        'rx: b\'+CMGR: "REC READ","+441134960000","","21/01/01,10:00:00+00"'
        "\\r\\nCall me back\\r\\n\\r\\nOK\\r\\n'\n"
    )
    out = scrub(text)
    assert "Call me back" not in out and "+441134960000" not in out
    assert out.endswith("\\r\\n<MESSAGE_BODY>\\r\\n\\r\\nOK\\r\\n'\n")


def test_a_text_mode_send() -> None:
    text = 'AT+CMGF=1\nOK\nAT+CMGS="+491711234567"\n> Meet me at the bakery^Z\n+CMGS: 12\n\nOK\n'
    out = scrub(text)
    assert "bakery" not in out and "+491711234567" not in out
    assert "\n> <MESSAGE_BODY>^Z\n+CMGS: 12\n\nOK\n" in out


def test_pdu_mode_is_left_to_the_pdu_rule() -> None:
    """A PDU-mode header (a number for the status) is no text-mode header: the hex after it
    is sms.pdu's, which checks its fields."""
    tracker = ModemTextSms()
    assert tracker.findings("+CMGR: 0,,30\n07914346220050F0\nOK\n") == []
    assert tracker.findings("+CMGL: 0,0,,23\nOK\n") == []


def test_commands_and_results_alone_stay() -> None:
    text = (
        'AT+CMGF=1\r\nOK\r\nAT+CPMS="SM","SM","SM"\r\n+CPMS: 1,50,1,50,1,50\r\n'
        '\r\nOK\r\nAT+CMGL="REC UNREAD"\r\nOK\r\n'
    )
    assert scrub(text) == text


def test_block_boundaries_do_not_change_the_output() -> None:
    data = (SIMCOM * 40).encode()
    out = scrubbed_in_small_blocks(data)
    assert b"recoger" not in out


def test_the_real_simcom_excerpt() -> None:
    """samples/blind-31 35 itself: every labelled secret goes, every keeper stays."""
    directory = Path(__file__).resolve().parent.parent / "samples" / "blind-31"
    name = "35-simcom-a7670g-at-sms-read.log"
    label = json.loads((directory / "labels.json").read_text(encoding="utf-8"))[name]
    source = (directory / name).read_text(encoding="utf-8")
    out = scrub(source)
    for secret in label["secrets"]:
        assert secret["value"] not in out, secret
    for kept in label["keep"]:
        assert out.count(kept) >= source.count(kept), kept


@given(
    body=st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz ,.!?"), min_size=8, max_size=60).filter(
        lambda s: s.strip() and "  " not in s and not s.startswith(" ")
    ),
    digits=st.text(alphabet="0123456789", min_size=9, max_size=11),
    index=st.integers(0, 300),
)
@settings(max_examples=120, deadline=None)
def test_planted_texts_never_survive(body: str, digits: str, index: int) -> None:
    body = "sms " + body.strip() + " zq"
    text = f'+CMGL: {index},"REC UNREAD","+{digits}","","24/01/02,03:04:05+04"\n{body}\nOK\n'
    out = scrub(text)
    assert body not in out and out.endswith("\nOK\n")
    assert out.count("\n") == 3


@given(st.text(alphabet=st.sampled_from('+CMGRLTSD:AT="RECUNAD ,0123456789/>\\rnx\n\r^Zok'), max_size=400))
@settings(max_examples=300, deadline=None)
def test_fuzz_modem_tracker(text: str) -> None:
    tracker = ModemTextSms()
    half = len(text) // 2
    for piece in ('+CMGR: "REC READ","+3161234567",,"1/2/3"\n' + text[:half], text[half:]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]


def test_a_policy_may_disable_it_as_any_tracker() -> None:
    """Every stream tracker's rule id is one a policy may name (it was refused for five of
    them as an unknown rule)."""
    import logscrub
    from logscrub.atsms import RULE_ID
    from logscrub.engine import TRACKER_RULE_IDS

    from .conftest import KEY

    assert RULE_ID in TRACKER_RULE_IDS
    for rule in TRACKER_RULE_IDS:
        logscrub.Scrubber(logscrub.Policy(key=KEY, disabled_rules=frozenset({rule})))
    off = logscrub.Scrubber(logscrub.Policy(key=KEY, disabled_rules=frozenset({RULE_ID})))
    assert "recoger las llaves" in off.scrub_text(SIMCOM).text
