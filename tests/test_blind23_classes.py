"""The structures the blind round samples/blind-23 found leaks or losses in, as classes:
KakaoTalk's chat export, a send log's `Message: <number> <text>`, Google Takeout's
Hangouts keys, Facebook's mojibake names and export paths, an ICE password in an SDP
that is a JSON string, Mork address books (Thunderbird's abook.mab); and the trackers of
this round fed arbitrary text. Values are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from logscrub.mork import MorkFiles
from logscrub.pidginlog import PidginTextLogs

from .conftest import scrub_keyed

scrub = scrub_keyed

KAKAO = """\
KakaoTalk Chats Java class (24)
Date Saved : May 28, 2018, 9:46 AM

March 3, 2018, 12:52 AM
March 3, 2018, 12:52 AM, 최민준(Liel) joined this chatroom.
You may temporarily be banned from using the service if other members report you.
March 3, 2018, 8:54 PM, 남지훈 : 안녕하세요 교수님!
pdf 링크가 안 열려요
March 5, 2018, 9:58 AM, Java_Lov : 키보드?
"""


def test_kakaotalk_chat_export() -> None:
    out = scrub(KAKAO)
    for leaked in ("최민준", "Liel", "남지훈", "안녕하세요", "링크가", "Java_Lov", "키보드"):
        assert leaked not in out
    for kept in (
        "Date Saved : May 28, 2018, 9:46 AM",
        " joined this chatroom.",
        "You may temporarily be banned",
    ):
        assert kept in out
    assert "\nMarch 3, 2018, 12:52 AM\n" in out


def test_send_log_number_then_text() -> None:
    out = scrub("2024-07-31 09:43:28 Message: 923001234567 Pls help again\n")
    assert "Pls help again" not in out and "923001234567" not in out and "Message: " in out


def test_hangouts_takeout_keys() -> None:
    out = scrub('{"id": {"gaia_id": "105459774030000207904"}, "fallback_name": "Lynne-Marie Okoro"}\n')
    assert "105459774030000207904" not in out and "Lynne-Marie Okoro" not in out


def test_facebook_export_mojibake_names_and_paths() -> None:
    out = scrub(
        '"sender_name": "Nguy\\u00e1\\u00bb\\u0085n V\\u00c3\\u00a2n Kh\\u00c3\\u00a1nh",\n'
        '"uri": "your_facebook_activity/messages/inbox/tranthilan_461857197326166/photos/'
        '438089895_1639222280215536_1355254851932020769_n_1639222276882203.jpg"\n'
    )
    for leaked in ("Nguy\\u00e1", "tranthilan_461857197326166", "1355254851932020769_n_"):
        assert leaked not in out
    assert "your_facebook_activity/messages/inbox/" in out and ".jpg" in out


def test_ice_password_in_a_json_sdp() -> None:
    line = '"sdp":"v=0\\r\\na=ice-pwd:Xk93mmqT7sPq2ZrL0aB4cD5e\\r\\na=rtpmap:111 opus/48000/2\\r\\n"\n'
    out = scrub(line)
    assert "Xk93mmqT7sPq2ZrL0aB4cD5e" not in out and "\\r\\na=rtpmap:111 opus/48000/2\\r\\n" in out


MORK = """\
// <!-- <mdb:mork:z v="1.4"/> -->
< <(a=c)> // (f=iso-8859-1)
  (80=ns:addrbk:db:row:scope:card:all)(83=FirstName)(84=LastName)(87=DisplayName)
  (89=PrimaryEmail)(8F=WorkPhone)(93=CellularNumber)(9B=HomeCity)(99=HomeAddress)
  (A7=Company)(CB=PhotoName)(8D=PopularityIndex)>

<(81=Dana Whitfield  )(82=Dana)(83=Whitfield)(84=dana.w@example.org)(85=Acme)
  (86=+375291234567)(87=2642666)(88=Minsk)(89
    =Kutuzova 25 - 1)(8A=6239805693829882.png)>
{1:^80 {(k^BC:c)(s=9)}
  [1(^87^81)(^83^82)(^84^83)(^89^84)(^A7^85)(^8F^86)(^93^87)(^9B^88)(^99^89)
    (^CB^8A)(^8D=0)]}
"""


def test_mork_address_book() -> None:
    out = scrub(MORK)
    for leaked in (
        "Dana",
        "Whitfield",
        "dana.w@",
        "375291234567",
        "2642666",
        "Minsk",
        "Kutuzova",
        "6239805693829882",
    ):
        assert leaked not in out
    # Column names, the company, flags and the structure stay; a photo keeps its extension.
    for kept in (
        "(83=FirstName)(84=LastName)",
        "(85=Acme)",
        "(^8D=0)]}",
        "(8A=",
        ".png)>",
        '<mdb:mork:z v="1.4"/>',
    ):
        assert kept in out
    assert len(out.splitlines()) == len(MORK.splitlines())
    # The same shape without Mork's magic line is no address book.
    plain = "<(81=Dana Whitfield)>\n[1(^87^81)]\n"
    assert scrub(plain) == plain


_TEXTS = st.text(alphabet=st.sampled_from("()<>^=[]{}:\\$aA1F8 \n\r/-@.mdbork\u00e9"), max_size=400)


@given(_TEXTS)
@settings(max_examples=300, deadline=None)
def test_fuzz_mork_tracker(text: str) -> None:
    tracker = MorkFiles()
    for piece in ('// <mdb:mork:z v="1.4"/>\n' + text[: len(text) // 2], text[len(text) // 2 :]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]


@given(
    st.text(alphabet=st.sampled_from("()0123456789:/ APMaz\n\r.Conversation with at on jabber"), max_size=400)
)
@settings(max_examples=300, deadline=None)
def test_fuzz_pidgin_tracker(text: str) -> None:
    tracker = PidginTextLogs()
    header = "Conversation with a@b.example at Sun 04 Jan 2009 08:50:02 PM on c@d.example (jabber)\n"
    for piece in (header + text[: len(text) // 2], text[len(text) // 2 :]):
        for finding in tracker.findings(piece):
            assert 0 <= finding.start < finding.end <= len(piece)
            assert "\n" not in piece[finding.start : finding.end]


def test_telegram_export_names_beside_their_ids() -> None:
    out = scrub(
        '\t\t{\n\t\t\t"id": 293541,\n\t\t\t"type": "message",\n\t\t\t"from": "Robi Tanaka",\n'
        '\t\t\t"from_id": "user1482137994",\n\t\t\t"text": "see you"\n\t\t},\n'
        '\t\t{"id": 293542, "type": "service", "actor": "Mirela", "actor_id": "user5550001234",'
        ' "action": "pin_message"}\n'
    )
    for leaked in ("Robi Tanaka", "Mirela", "1482137994", "5550001234"):
        assert leaked not in out
    assert '"type": "service"' in out and '"action": "pin_message"' in out
    # A `from` with no Telegram id beside it (an e-mail's sender) is left to the key rules.
    mail = '{"from": "Deploy Bot", "level": "info"}\n'
    assert scrub(mail) == mail
