"""Classes of miss found by samples/blind-38, each in the real excerpt's shape with invented
values.

- a CSV header with an unnamed column (`...,"Business country/region",""` of a phone
  suite's contact export): the table is read all the same, 25;
- a CSV header whose names no key knows (`call_id,call_type,time,from_to,duration,
  location`): a column of parties (numbers, a contact's name in brackets after one) and
  a column of street addresses told by their values, 22;
- Telegram Desktop's HTML export: senders and texts, the date's tooltip kept, 24;
- a headerless tab-separated list of sessions with one name again and again, a handle
  and `<unknown>` in its column of names (TeamViewer's connection list), 35;
- the kernel's packet log `MAC=` (destination, source, EtherType), 32;
- an eight-group IPv6 address with an unbracketed port of four digits, 36;
- a mail's display names: quoted before a plain address (a client's stray backslash
  before the closing quote), and MIME encoded words, 31;
- the body of a MIME mail's text part (31; added after blind-40's round).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub.mimebody import MimeBodies

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_csv_header_with_an_unnamed_column() -> None:
    text = (
        '"Title","First name","Middle name","Last name","General mobile","Home street",""\n'
        '"","Ravi Kondapalli","","","+919812345670","",""\n'
        '"","","","Suresh Mandava","+919812345671","",""\n'
    )
    out = scrub(text)
    for value in ("Ravi Kondapalli", "Suresh Mandava", "+919812345670", "+919812345671"):
        assert value not in out, value
    header = '"Title","First name","Middle name","Last name","General mobile","Home street",""\n'
    assert out.startswith(header)


CALLS = (
    "call_id,call_type,time,from_to,duration,location\n"
    "1,Received,1729225560,4155550143,0,nan\n"
    '2,Received,1729197840,4155550143,0,"112 N Oak St, Fairview, UT 84629, USA, Fairview"\n'
    "3,Missed,1729103580,4155550178 (Aunt Mabel Quist),0,nan\n"
    '4,Called,1729004940,14155550199,12,"90 S 300 W, Fairview, UT 84629, USA, Fairview"\n'
    '5,Received,1728597540,"4155550166 (HOLLEY,PRESTON)",0,'
    '"112 N Oak St, Fairview, UT 84629, USA, Fairview"\n'
)


def test_csv_columns_told_by_their_values() -> None:
    out = scrub(CALLS)
    parties = ("4155550143", "4155550178", "14155550199", "4155550166", "Aunt Mabel Quist", "HOLLEY,PRESTON")
    for value in parties:
        assert value not in out, value
    assert "Oak St" not in out and "90 S 300 W" not in out
    # The counter, the types, the times and the durations stay; so do the empty cells.
    assert out.startswith("call_id,call_type,time,from_to,duration,location\n1,Received,1729225560,")
    assert ",0,nan\n" in out and "4,Called,1729004940," in out and ",12," in out


def test_csv_columns_of_counters_times_and_states_are_no_parties() -> None:
    text = (
        "id,state,started,queue_len,stage\n"
        "1000001,OPEN,1729225560,4,retrying soon\n"
        "1000002,CLOSED,1729225590,7,retrying soon\n"
        "1000003,OPEN,1729225620,9,done\n"
        "1000004,OPEN,1729225680,2,done\n"
    )
    assert scrub(text) == text


TELEGRAM = (
    '     <div class="message default clearfix" id="message1040">\n'
    '      <div class="body">\n'
    '       <div class="pull_right date details" title="10.02.2022 19:50:56 UTC+07:00">\n'
    "19:50\n"
    "       </div>\n"
    '       <div class="from_name">\n'
    "Rahmat Siregar \n"
    "       </div>\n"
    '       <div class="reply_to details">\n'
    'In reply to <a href="messages.html#go_to_message1031">this message</a>\n'
    "       </div>\n"
    '       <div class="text">\n'
    "Bu, file saya masih 1.50 MB, bagaimana cara mengecilkannya?\n"
    "       </div>\n"
    "      </div>\n"
    "     </div>\n"
)


def test_telegram_html_export() -> None:
    out = scrub(TELEGRAM)
    assert "Rahmat Siregar" not in out and "mengecilkannya" not in out
    assert 'title="10.02.2022 19:50:56 UTC+07:00"' in out and "\n19:50\n" in out
    assert 'In reply to <a href="messages.html#go_to_message1031">this message</a>' in out
    assert out.count("\n") == TELEGRAM.count("\n")


def test_a_text_div_outside_a_telegram_export_stays() -> None:
    text = '<div class="text">\nWelcome to the admin panel\n</div>\n'
    assert scrub(text) == text


def test_session_list_with_one_name_again_and_a_handle() -> None:
    rows = [
        ("812345670", "Peter Vanzandt", "17-01-2016 18:08:34", "Marla Vanzandt", "RemoteControl"),
        ("812345670", "Peter Vanzandt", "17-01-2016 18:15:18", "Marla Vanzandt", "Filetransfer"),
        ("934567812", "QWERTYKID", "22-07-2016 19:24:21", "Marla Vanzandt", "RemoteControl"),
        ("934567812", "Peter Vanzandt", "22-07-2016 19:54:51", "<unknown>", "RemoteControl"),
    ]
    text = "\n" + "".join("\t".join(row) + "\t\t\n" for row in rows)
    out = scrub(text)
    for value in ("Peter Vanzandt", "Marla Vanzandt", "QWERTYKID"):
        assert value not in out, value
    assert "\t<unknown>\t" in out and "\t17-01-2016 18:08:34\t" in out
    assert out.count("\tRemoteControl\t") == 3


def test_netfilter_log_mac_header() -> None:
    text = (
        "Jul 31 20:23:19 gw kernel: [   43.132314] [UFW BLOCK] IN=eth0 OUT= "
        "MAC=02:1a:2b:3c:4d:5e:02:aa:bb:cc:dd:ee:08:00 SRC=203.0.113.9 DST=198.51.100.7 LEN=40 TTL=246\n"
    )
    out = scrub(text)
    assert "02:1a:2b:3c:4d:5e" not in out and "aa:bb:cc:dd:ee" not in out
    assert ":08:00 SRC=" in out and "[UFW BLOCK] IN=eth0 OUT= MAC=" in out and "LEN=40 TTL=246" in out


def test_ipv6_with_an_unbracketed_four_digit_port() -> None:
    text = "ConnectEndpoint(): Connecting to endpoint 2605:a000:57:351:162:250:7:72:5938\n"
    out = scrub(text)
    assert "2605:a000:57:351:162:250:7:72" not in out
    assert out.endswith(":5938\n") and "Connecting to endpoint " in out


def test_mail_display_names() -> None:
    text = (
        "From: =?iso-8859-1?Q?Gudrun=20Wei=DF?= <gw@example.de>\n"
        'To: "Hildegard Anna Brenner \\" <kanzlei@example.de>\n'
        'Cc: "Roe, Jane" <jr@example.org>\n'
        "Subject: Stand heute\n"
    )
    out = scrub(text)
    for value in ("Gudrun=20Wei=DF", "Hildegard Anna Brenner", "Roe, Jane"):
        assert value not in out, value
    assert out.count(' \\" <') == 1 and out.startswith("From: ")


EML = (
    "From: Hanna Vogt <hv@example.de>\n"
    "Subject: Unterlagen\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed;\n"
    ' boundary="----_=_NextPart_000_0042"\n'
    "\n"
    "This message is in MIME format. Since your mail reader does not understand\n"
    "\n"
    "------_=_NextPart_000_0042\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Hallo Frau Brenner,\n"
    "\n"
    "anbei die Dateien von meinem PC zu Hause, die Kontonummer steht drin.\n"
    "------_=_NextPart_000_0042\n"
    "Content-Type: application/pdf; name=scan.pdf\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "JVBERi0xLjQK\n"
    "------_=_NextPart_000_0042--\n"
)


def test_mime_mail_text_part() -> None:
    out = scrub(EML)
    assert "Kontonummer" not in out and "Frau Brenner" not in out
    # The part's headers, the boundaries, the preamble and other parts stay.
    for kept in (
        "Content-Transfer-Encoding: quoted-printable\n\n",
        "------_=_NextPart_000_0042--\n",
        "This message is in MIME format.",
        "JVBERi0xLjQK\n",
    ):
        assert kept in out, kept
    assert out.count("\n") == EML.count("\n")


def test_a_single_part_mail_quoted_in_a_log_ends_at_the_next_log_line() -> None:
    text = (
        "2024-01-05 10:00:00 INFO mail received:\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "Please call me back on my mobile tomorrow.\n"
        "2024-01-05 10:00:01 INFO queue flushed, 3 messages sent\n"
    )
    out = scrub(text)
    assert "call me back" not in out
    assert out.endswith("2024-01-05 10:00:01 INFO queue flushed, 3 messages sent\n")


def test_a_text_content_type_without_mime_stays() -> None:
    text = "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nservice is up and running fine\n"
    assert scrub(text) == text


_MIME_ALPHABET = 'MIME-Version: 1.0Content-Type:text/plain boundary="b"-\n\r x'


@given(st.text(alphabet=st.sampled_from(_MIME_ALPHABET), max_size=400))
@settings(max_examples=300, deadline=None)
def test_fuzz_mime_tracker(text: str) -> None:
    tracker = MimeBodies()
    half = len(text) // 2
    for piece in ("MIME-Version: 1.0\n" + text[:half], text[half:]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]
