"""Classes of miss found by samples/blind-39 (and one found in blind-38's file 13), each in
the real excerpt's shape with invented values.

- the Hyperscan line filter selected the line after a match when a line anchor's negated
  class took the newline: a number ending the last line of a block (a one-line text from
  the library) was missed with Hyperscan and found without it;
- QQ group chats as OneBot bots log them (NoneBot, Kovi, go-cqhttp): senders' numbers and
  nicknames, the texts; a Chinese message's echo on a later line (a CJK character counts
  as two towards a learnable message); a link or a bot's image code in a message gives no
  fragments, so other messages' codes stay; bot commands and media markers stay, 12, 14;
- APRS packets: call signs and positions, 13;
- `untuk user` (Indonesian), `account for X`, `Login failed for X` (Roundcube), 21, 22;
- a session id under `sess_id` in an SQL insert, 22; a meeting link's code (from
  blind-21's calendar, which the learned-fragment fix no longer covered by chance);
- WhatsApp's `notify` attribute (the push name), 11; a `COUNTER:` is no phone number.
"""

from __future__ import annotations

import pytest

from logscrub import Scrubber
from logscrub.detectors import hyperscan_db
from logscrub.detectors.linefilter import within_line

from .conftest import KEY, scrub_keyed

scrub = scrub_keyed


@pytest.mark.skipif(not hyperscan_db.available(), reason="hyperscan is not installed")
@pytest.mark.parametrize("text", ["Ring me @ 4155550123", "Ring me @ 4155550123\n", "a\nb 4155550123\n"])
def test_a_number_ending_the_last_line_is_found_with_hyperscan_too(text: str) -> None:
    fast = Scrubber(key=KEY, hyperscan=True).scrub_text(text).text
    assert fast == Scrubber(key=KEY, hyperscan=False).scrub_text(text).text
    assert "4155550123" not in fast


def test_negated_classes_of_line_anchors_stop_at_line_ends() -> None:
    assert within_line(r"(?:^|[^0-9A-Za-z_])[0-9]{9}") == r"(?:^|[^\n0-9A-Za-z_])[0-9]{9}"
    assert within_line(r"[^]x]y") == r"[^]\nx]y"  # a `]` first stays first
    assert within_line(r"\[^a[a^b]") == r"\[^a[a^b]"  # no negated class here


def test_nonebot_group_messages() -> None:
    head = "[2020-07-14 22:26:37,915 nonebot] INFO: Self: 1803900001, Message 361{} from {}@[群:792000003]: "
    code = "[CQ:image,file={0}.jpg,url=https://gchat.qpic.cn/gchatpic_new/{1}/1-2-{0}/0?term=2]"
    text = (
        head.format(35, "3426200002")
        + "'.jrrp'\n"
        + head.format(43, "3426200002")
        + "'今天晚上谁去打球啊我带了新球'\n"
        + head.format(64, "879300004")
        + "'十倍可还行"
        + code.format("B574C721", "879300004")
        + "'\n"
        + head.format(65, "3426200002")
        + "'"
        + code.format("B2621252", "3426200002")
        + "'\n"
    )
    out = scrub(text)
    for value in ("1803900001", "3426200002", "879300004", "今天晚上谁去打球啊我带了新球", "十倍可还行"):
        assert value not in out, value
    assert ": '.jrrp'\n" in out
    # The last message is an image alone: its code and link stay (the sender's number in it goes).
    assert out.count("https://gchat.qpic.cn/gchatpic_new/") == 1 and "/1-2-B2621252/0?term=2]'\n" in out


def test_kovi_group_messages_and_their_echo() -> None:
    text = (
        "[02-17 16:13:19] [group 852200001 ill 027° 1300700002]: 一个人就是一个团队\n"
        "false\n"
        '"一个人就是一个团队"\n'
        "[02-17 16:13:21] [group 852200001 ill 027° 1300700002]: [face]\n"
        "[02-17 16:22:53] [group 852200001  2857100003]: [reply][at] 怎么把自己手机号盒了（\n"
    )
    out = scrub(text)
    for value in ("ill 027°", "1300700002", "2857100003", "一个人就是一个团队", "怎么把自己手机号盒了"):
        assert value not in out, value
    assert "]: [face]\n" in out and "]: [reply][at] " in out and "\nfalse\n" in out


def test_gocqhttp_message() -> None:
    text = "[INFO]: 收到群 测试群(123456789) 内 小明(987654321) 的消息: 今晚一起吃饭吗 (-2147483648)\n"
    out = scrub(text)
    assert "小明" not in out and "987654321" not in out and "今晚一起吃饭吗" not in out
    assert out.endswith(" (-2147483648)\n") and "收到群 测试群(" in out


def test_aprs_packets() -> None:
    text = (
        "[ig>tx] YB2XYZ-1>APDW15,WIDE2-2,qAR,YC0ABC-2:!0618.16SD10649.20E#PHG4040 Digipeater\n"
        "[ig>tx] YB2XYZ-2>APSAR,WIDE2-2,qAR,YC0ABC-2:=0618.17S/10649.20El/A=000003 Gateway\n"
    )
    out = scrub(text)
    for value in ("YB2XYZ", "YC0ABC", "0618.16S", "10649.20E", "0618.17S"):
        assert value not in out, value
    assert ">APDW15,WIDE2-2,qAR," in out and "#PHG4040 Digipeater\n" in out


def test_account_sentences() -> None:
    text = (
        "Creating SSH account for jroe77 with expiry 30 days, IP limit 2\n"
        "info: Account create sukses untuk user 1734400001, type: ssh\n"
        "IMAP Error: Login failed for anna@example-logistics against localhost from 10.1.2.3.\n"
    )
    out = scrub(text)
    for value in ("jroe77", "1734400001", "anna@example-logistics"):
        assert value not in out, value
    assert "with expiry 30 days, IP limit 2" in out and " against localhost from " in out


def test_session_id_in_an_sql_insert_and_a_meeting_link() -> None:
    text = (
        "INSERT INTO `session` (`sess_id`, `vars`) VALUES ('q7hfqmffpsnvtaf2qrk18gd99x', 'dGVtcHw=')\n"
        "X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij\n"
    )
    out = scrub(text)
    assert "q7hfqmffpsnvtaf2qrk18gd99x" not in out and "abc-defg-hij" not in out
    assert "X-GOOGLE-CONFERENCE:https://meet.google.com/" in out


def test_whatsapp_notify_and_a_counter() -> None:
    text = (
        '<notification participant="34600000001@s.whatsapp.net" type="w:gp2" notify="Alex Marin">\n'
        "COUNTER: 3810313820\n"
    )
    out = scrub(text)
    assert "Alex Marin" not in out
    assert out.endswith("COUNTER: 3810313820\n")


def test_a_programs_note_stays_and_a_persons_goes() -> None:
    text = (
        "thread 'tokio-runtime-worker' panicked at plugins/taro/src/lib.rs:200:18:\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
        "note: ring `Anna Kowalska` back after five\n"
    )
    out = scrub(text)
    assert "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n" in out
    assert "Anna Kowalska" not in out
