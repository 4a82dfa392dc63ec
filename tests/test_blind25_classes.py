"""The structures the blind round samples/blind-25 found leaks or losses in, as classes:
KakaoTalk's Korean-dated export and its day headings, ejabberd's authentication records
with a mechanism and its API's Erlang property lists, the accounts of a daemon's own home
directory, sudo's syslog lines, a GSM call's party numbers (OpenBTS), PBX dial strings with
an account segment and channels named by an address, WhatsApp media messages, geohashes,
coordinates printed as whole doubles, iOS container ids, and a message's author. Values
are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed

KAKAO = """\
2013년 2월 28일 오후 11:31, 서준 Seojun Lee : 어떤이는 무조건 공부해야한다!
2013년 2월 28일 오후 11:32, 회원님 : 사실 전 좋아하는 것을 하는것도
2013년 3월 1일 오전 12:02
2013년 3월 1일 오전 12:03, 민아 : 저녁먹고 우리집서 자고가
"""


def test_kakaotalk_korean_dates_and_day_headings() -> None:
    out = scrub(KAKAO)
    for leaked in ("서준", "Seojun", "어떤이는", "좋아하는", "민아", "저녁먹고"):
        assert leaked not in out
    # The exporting user (`회원님`, KakaoTalk's word for "you") and the day heading stay.
    assert ", 회원님 : " in out and "\n2013년 3월 1일 오전 12:02\n" in out


EJABBERD = (
    "2023-03-26 13:34:26.350071+00:00 [warning] <0.801.0>@ejabberd_c2s:process_auth_result/3:280"
    " (tls|<0.801.0>) Failed c2s DIGEST-MD5 authentication for wrenfield#0042@localhost"
    " from ::ffff:172.17.0.1: Invalid username or password\n"
    '2023-03-26 13:35:14.541257+00:00 [info] <0.784.0>@mod_http_api:log/3:511 API call register [{<<"user">>,'
    '<<"wrenfield#0042">>},\n'
    '                   {<<"password">>,<<"9c2e71b0-77aa-4f1e-9a30-5be1d2c4e8f1">>},\n'
    '                   {<<"host">>,<<"localhost">>}] from ::ffff:172.17.0.1:60014\n'
    "2023-03-26 13:34:34.395625+00:00 [info] <0.189.0>@ejabberd_config:load/1:82 Loading configuration"
    " from /home/ejabberd/conf/ejabberd.yml\n"
    "2023-03-26 13:34:35.588482+00:00 [info] <0.189.0>@ejabberd_app:start/2:63 ejabberd 23.1.0 is started"
    " in the node ejabberd@localhost in 1.25s\n"
)


def test_ejabberd_authentication_and_api_property_lists() -> None:
    out = scrub(EJABBERD)
    for leaked in ("wrenfield", "9c2e71b0-77aa-4f1e-9a30-5be1d2c4e8f1"):
        assert leaked not in out
    # The daemon's own account and node name stay.
    assert "/home/ejabberd/conf/ejabberd.yml" in out and "ejabberd 23.1.0 is started" in out
    assert '{<<"host">>,<<"localhost">>}' in out


def test_sudo_and_pam_lines() -> None:
    out = scrub(
        "Aug 15 08:32:07 tosh authpriv.notice sudo:   ksolberg : TTY=pts/2 ; PWD=/home/ksolberg ;"
        " USER=root ; COMMAND=/usr/sbin/asterisk -r\n"
        "Aug 15 08:32:07 tosh sudo: pam_unix(sudo:session): session opened for user root(uid=0)"
        " by ksolberg(uid=1000)\n"
    )
    assert "ksolberg" not in out
    # The working directory is a path, not a password; root and the command stay.
    assert "PWD=/home/" in out and "USER=root ; COMMAND=/usr/sbin/asterisk -r" in out


def test_gsm_call_party_numbers() -> None:
    out = scrub(
        "Aug 15 08:33:18 tosh local7.info openbts: INFO 3057830768 GSML3Message.cpp:164:parseL3: L3 recv CC"
        " Setup TI=0 CalledPartyBCDNumber=(type=unknown plan=E.164/ISDN digits=31007)\n"
    )
    assert "31007" not in out and "CalledPartyBCDNumber=(type=unknown plan=E.164/ISDN digits=" in out


def test_pbx_dial_strings_and_channels_named_by_address() -> None:
    out = scrub(
        '"","1500","14155550188","local","""device"" <1500>","SIP/203.0.113.77-00000003",'
        '"Motif/14155550188@voice.google.com-753b","Dial","Motif/google/14155550188@voice.google.com,,r",'
        '"2016-09-06 16:38:55",,"2016-09-06 16:38:56",0,0,"NO ANSWER","DOCUMENTATION","1473242767.5",""\n'
        '"","1000","s","default","""1000"" <1000>","SIP/1000-00000001","","Dial",'
        '"IAX2/guest@misery.digium.com/s@default","2016-09-07 10:06:02",,"2016-09-07 10:06:35",33,32,'
        '"ANSWERED","DOCUMENTATION","1473242762.3",""\n'
    )
    for leaked in ("14155550188", "203.0.113.77"):
        assert leaked not in out
    assert out.count("@voice.google.com") == 2 and "IAX2/guest@misery.digium.com/s@default" in out


def test_whatsapp_media_message_keys() -> None:
    out = scrub(
        '  "imageMessage": {\n'
        '    "mimetype": "image/jpeg",\n'
        '    "mediaKey": "Qm9vbXNoYWthbGFrYTEyMzQ1Njc4OTBhYmNkZWZnaGk=",\n'
        '    "directPath": "/o1/v/t24/f2/m233/AQPZx8Wq1Lr0Yt5Kp?ccb=9-4&oh=01_Q5Aa1wZZ&oe=6871",\n'
        '      "senderKeyHash": "Zm9vYmFyYmF6cXV4",\n'
    )
    for leaked in ("Qm9vbXNoYWthbGFr", "AQPZx8Wq1Lr0Yt5Kp", "Zm9vYmFyYmF6cXV4"):
        assert leaked not in out
    assert '"mimetype": "image/jpeg"' in out


def test_places_and_installation_ids_of_an_ios_console() -> None:
    out = scrub(
        "[02:07:56.578] [GeoRelayDirectory.swift:50 closestRelays(toGeohash:count:)] GeoRelayDirectory:"
        " geohash=u09tvw0f center=(48.85661621093750, 2.35219192504883) entries=295\n"
        'Jan 06 02:07:56.555 [notice] Configuration file "/private/var/mobile/Containers/Data/Application/'
        '5D1C2B3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D/.torrc" not present\n'
    )
    for leaked in ("u09tvw0f", "48.85661621093750", "5D1C2B3A-4E5F-4A6B-8C7D-9E0F1A2B3C4D"):
        assert leaked not in out
    assert "entries=295" in out and "/private/var/mobile/Containers/Data/Application/" in out


def test_the_author_of_a_message() -> None:
    out = scrub(
        "AuthorID,Author,Date,Content\n"
        "1189009988505583659,b.b.hood,2023-12-26 01:01:11 +0000,back in five minutes then\n"
        "1189009591976071239,Tova Lindqvist,2023-12-26 00:59:37 +0000,go ahead and start without me\n"
    )
    for leaked in ("b.b.hood", "Tova Lindqvist", "back in five", "start without me"):
        assert leaked not in out
    assert out.startswith("AuthorID,Author,Date,Content\n") and "2023-12-26 01:01:11 +0000" in out
    # An address under `author` is the address rules' (a WhatsApp chat id keeps its domain).
    assert "@c.us" in scrub("      author: '59160785276@c.us',\n")


def test_a_chat_rooms_name_stays_its_members_go() -> None:
    out = scrub(
        "2023-03-26 13:34:30.686804+00:00 [info] <0.660.0>@mod_muc_room:terminate/3:936"
        " Stopping MUC room standup3@conference.localhost\n"
        "<presence from='standup3@conference.chat.example.org/wrenfield'"
        " to='wrenfield@chat.example.org/phone'/>\n"
    )
    assert "Stopping MUC room standup3@conference.localhost" in out
    assert "standup3@conference.chat.example.org/" in out and "wrenfield" not in out


def test_asterisk_banner_builder_and_numeric_peer_states() -> None:
    out = scrub(
        "[Mar 24 16:35:20] Asterisk 11.7.0 built by tkvale @ flauta on a i686 running Linux on 2015-03-24\n"
        "[Mar 24 16:38:49] NOTICE[2959] chan_sip.c: Peer '4471' is now Reachable. (1ms / 2000ms)\n"
        "[Mar 24 16:38:50] NOTICE[2959] chan_sip.c: Peer 'voip-trunk' is now Reachable. (20ms / 2000ms)\n"
        "Asterisk 18.11.2 built by buildozer @ build-3-16-x86_64 on a x86_64 running Linux\n"
    )
    assert "tkvale" not in out and "'4471'" not in out
    # A trunk named by a word, a distribution's build account stay.
    assert "Peer 'voip-trunk' is now Reachable" in out and "built by buildozer @" in out
