"""Mail and chat logins in protocol traces (smtpauth.py, rules/mail.yaml, rules/irc.yaml):
SMTP AUTH LOGIN's answers after its base64 prompts, AUTH PLAIN, IMAP LOGIN, POP3 USER,
Exim's local deliveries, an IRC client's PASS behind a log prefix and its IDENTIFY to
NickServ; the commands, reply codes, services and the server's notices stay.

The shapes are real: samples/blind-35 02 (a student SMTP server's session log, each session
one Python list, github.com/micahbaumann/CPSC-491-NuMail), 33 (an IRC bot's raw debug log
behind `[time - DEBUG]: `, github.com/jariz/AirtimeIRC) and 34 (Exim's mainlog, github.com/
ParisNw/Debian-VM-); smtplib's debug output and swaks' transcript as those programs print
them. The values are invented.
"""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub.smtpauth import SmtpAuthAnswers

from .conftest import scrub_keyed, scrubbed_in_small_blocks

scrub = scrub_keyed


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_session_dumped_on_one_line() -> None:
    user, password = b64("jroe"), b64("hunter2")
    line = (
        "[2024-10-07 02:58:44.727080] [numail] ['ID', "
        "[['server', '220 127.0.0.1 NuMail Server 1.0.0\\r\\n'], "
        "['client', 'AUTH LOGIN\\r\\n'], ['server', '334 VXNlcm5hbWU6\\r\\n'], "
        f"['client', '{user}\\r\\n'], ['server', '334 UGFzc3dvcmQ6\\r\\n'], ['client', '{password}\\r\\n'], "
        "['server', '235 2.7.0 Authentication successful\\r\\n']]]\n"
    )
    out = scrub(line)
    assert user not in out and password not in out
    assert "'334 VXNlcm5hbWU6\\r\\n'" in out and "'235 2.7.0 Authentication successful\\r\\n'" in out


def test_a_plain_password_typed_at_the_prompt() -> None:
    line = (
        "[['server', '334 UGFzc3dvcmQ6\\r\\n'], ['client', 'Tz9x-plum-kite\\r\\n'], "
        "['server', '500 Invalid character\\r\\n']]\n"
    )
    out = scrub(line)
    assert "Tz9x-plum-kite" not in out and "'500 Invalid character\\r\\n'" in out


def test_answers_on_the_next_line_of_a_trace() -> None:
    user, password = b64("jane.roe@example.org"), b64("s3cr3t!")
    text = (
        "S: 250 AUTH LOGIN PLAIN\n"
        "C: AUTH LOGIN\n"
        "S: 334 VXNlcm5hbWU6\n"
        f"C: {user}\n"
        "S: 334 UGFzc3dvcmQ6\n"
        f"C: {password}\n"
        "S: 235 2.7.0 Authentication successful\n"
    )
    out = scrub(text)
    assert user not in out and password not in out
    assert "S: 334 VXNlcm5hbWU6\nC: " in out and "S: 235 2.7.0 Authentication successful\n" in out


def test_smtplib_debug_output() -> None:
    """smtplib writes the prompt twice (the reply, then its code and text): the answer is
    the `send:` after both."""
    password = b64("correct horse")
    text = (
        "send: 'AUTH LOGIN " + b64("jroe") + "\\r\\n'\n"
        "reply: b'334 UGFzc3dvcmQ6\\r\\n'\n"
        "reply: retcode (334); Msg: b'UGFzc3dvcmQ6'\n"
        f"send: '{password}\\r\\n'\n"
        "reply: b'235 2.7.0 Accepted\\r\\n'\n"
    )
    out = scrub(text)
    assert password not in out and b64("jroe") not in out
    assert "reply: retcode (334); Msg: b'UGFzc3dvcmQ6'\nsend: '" in out


def test_swaks_transcript_with_auth_plain() -> None:
    token = b64("\0jroe\0hunter2")
    text = (
        f" ~> EHLO mail.example.org\n<~  250-AUTH PLAIN LOGIN\n ~> AUTH PLAIN {token}\n"
        "<~  235 2.7.0 Authentication successful\n"
    )
    out = scrub(text)
    assert token not in out and "<~  250-AUTH PLAIN LOGIN\n" in out and " ~> AUTH PLAIN " in out


def test_a_server_reply_after_the_prompt_is_no_answer() -> None:
    text = "S: 334 UGFzc3dvcmQ6\nS: 535 5.7.8 Authentication credentials invalid\n"
    assert scrub(text) == text


def test_imap_login_and_pop3_user_and_pass() -> None:
    text = (
        'C: a001 LOGIN jroe "pw with space"\nS: a001 OK LOGIN completed\n'
        "C: USER alice\nS: +OK\nC: PASS Kite-42\n"
    )
    out = scrub(text)
    for value in ("jroe", "pw with space", "alice", "Kite-42"):
        assert value not in out
    assert "S: a001 OK LOGIN completed\n" in out and "C: PASS " in out


def test_exim_local_delivery_and_remote_address() -> None:
    text = (
        "2016-12-19 10:45:17 1cJ07p-0001ht-9b => jq42 <root@localhost> R=local_user T=maildir_home\n"
        "2016-12-19 11:48:48 1cJ17G-00022T-63 == jq42@uni.example.edu R=dnslookup T=remote_smtp defer (101)\n"
    )
    out = scrub(text)
    assert "jq42" not in out
    assert "1cJ07p-0001ht-9b => " in out and " R=local_user T=maildir_home\n" in out


def test_irc_pass_and_identify_behind_a_log_prefix() -> None:
    text = (
        "[2014-08-05 23:49:30 - DEBUG]: <-- PASS plum77\n"
        "[2014-08-05 23:49:30 - DEBUG]: <-- NICK :KiteRadio\n"
        "[2014-08-05 23:49:30 - DEBUG]: <-- PRIVMSG NickServ :IDENTIFY plum77\n"
        "[2014-08-05 23:49:30 - DEBUG]: --> :ny.example.org NOTICE Auth :*** Looking up your hostname...\n"
        "[2014-08-05 23:44:33 - DEBUG]: --> :StatServ!bot@stats.example.org PRIVMSG KiteRadio :VERSION\n"
    )
    out = scrub(text)
    assert "plum77" not in out and "KiteRadio" not in out
    assert "PRIVMSG NickServ :IDENTIFY " in out
    assert "NOTICE Auth :*** Looking up your hostname...\n" in out
    assert ":StatServ!bot@stats.example.org PRIVMSG " in out


def test_answers_across_block_cuts() -> None:
    password = b64("hunter2")
    data = f"S: 334 UGFzc3dvcmQ6\nC: {password}\nS: 235 2.7.0 Authentication successful\n".encode() * 40
    assert len(data) > 2048 and password.encode() not in scrubbed_in_small_blocks(data)


_SECRET_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!#-"


@given(
    secret=st.text(alphabet=st.sampled_from(_SECRET_CHARS), min_size=6, max_size=24),
    marks=st.sampled_from(["C: ", "send: '", " ~> ", ">> ", "2024-01-02 10:00:00 client: "]),
)
@settings(max_examples=100, deadline=None)
def test_planted_answers_never_survive(secret: str, marks: str) -> None:
    secret = "zq" + secret
    answer = b64(secret)
    end = "\\r\\n'" if marks.endswith("'") else ""
    text = f"S: 334 UGFzc3dvcmQ6\n{marks}{answer}{end}\nS: 235 ok\n"
    out = scrub(text)
    assert answer not in out and out.endswith("\nS: 235 ok\n")


@given(st.text(alphabet=st.sampled_from("334 UGFzc3dvcmQ6VXNlcm5hbWU6C:S\\rn'\"b>~ \n\r235"), max_size=400))
@settings(max_examples=300, deadline=None)
def test_fuzz_smtp_tracker(text: str) -> None:
    tracker = SmtpAuthAnswers()
    half = len(text) // 2
    for piece in ("S: 334 UGFzc3dvcmQ6\n" + text[:half], text[half:]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]
