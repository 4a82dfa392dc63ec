"""The structures the blind round samples/blind-27 found leaks or losses in, as classes:
the text of a message record under a short or foreign key (an SMS corpus's `<cont>`),
HTTP Basic credentials as libsoup logs them (user shown, password masked), a calendar
shared by another account in a CalDAV path, a token given in a sentence, the names Apple
devices take after their owner, a telephony product's default caller name, and the
placeholders and bots of a chat export. Values are invented; the shapes are the real
excerpts'."""

from __future__ import annotations

from pathlib import Path

import logscrub

from .conftest import KEY, scrub_keyed

scrub = scrub_keyed


def test_the_text_of_a_message_record_under_a_short_key() -> None:
    out = scrub(
        '<?xml version="1.0" encoding="UTF-8"?><corpus><sms id="1"><date>16 sept. 2011 07:28:55</date>'
        "<tel_id>512</tel_id><cont>coucou tu viens diner chez margaux ce soir ?</cont></sms>\n"
        '<sms id="2"><date>16 sept. 2011 08:02:08</date><tel_id>512</tel_id>'
        "<cont>g pas vu l'heure, on se voit demain a la fac</cont></sms>\n"
    )
    for leaked in ("margaux", "diner chez", "on se voit demain"):
        assert leaked not in out
    assert "<date>16 sept. 2011 07:28:55</date><tel_id>512</tel_id><cont>" in out
    # A `cont` outside a message record is a count or a flag, and stays.
    assert scrub("<config><cont>3</cont><cont>yes</cont></config>\n") == (
        "<config><cont>3</cont><cont>yes</cont></config>\n"
    )


def test_basic_credentials_shown_decoded_with_the_password_masked() -> None:
    out = scrub(
        "> PROPFIND /remote.php/caldav/calendars/tamsin.o/defaultcalendar_shared_by_quillane/ HTTP/1.1\n"
        "> Soup-Debug-Timestamp: 1438002301\n"
        "> User-Agent: Evolution/3.12.11\n"
        "> Authorization: Basic [tamsin.o:***********]\n"
    )
    for leaked in ("tamsin.o", "quillane"):
        assert leaked not in out
    assert "> Authorization: Basic [" in out and ":***********]" in out
    assert "_shared_by_" in out and "User-Agent: Evolution/3.12.11" in out


def test_a_token_given_in_a_sentence() -> None:
    line = (
        "2021-10-21 18:25:53.692492 [NOTICE] mod_signalwire.c:379 Go to https://signalwire.com to set up"
        " your Connector now! Enter connection token 5d1c9e07-2b4a-4f3e-8c61-07a9b2d4e6f8\n"
    )
    out = scrub(line)
    assert "5d1c9e07-2b4a-4f3e-8c61-07a9b2d4e6f8" not in out
    assert "mod_signalwire.c:379 Go to https://signalwire.com" in out
    calm = "refresh token expired, requesting a new token TOKEN_REFRESH_REQUESTED\n"
    assert scrub(calm) == calm


def test_apple_device_names_wherever_they_stand() -> None:
    out = scrub(
        "2018-12-20 19:46:49.923 [info] <0.538.0>@ejabberd_c2s:process_terminated:267 (tcp|<0.538.0>)"
        " Closing c2s session for rhodri4@localhost/Rhodris-MacBook-Pro: Stream reset by peer\n"
        "bonjour: registered Ysoldes-iPhone-2 on en0\n"
    )
    for leaked in ("Rhodris", "Ysoldes"):
        assert leaked not in out
    assert ": Stream reset by peer" in out
    assert scrub("Model: Apple-iPhone-13 iOS 17\n") == "Model: Apple-iPhone-13 iOS 17\n"


def test_a_products_default_caller_name_stays_in_a_cdr() -> None:
    out = scrub(
        '"FreeSWITCH User","1017","3500","default","2016-02-16 03:46:41","2016-02-16 03:46:41",'
        '"2016-02-16 03:48:58","137","137","RECOVERY_ON_TIMER_EXPIRE","4824c308-0099-971d-1890-157b0d8308f3",'
        '"","1017","opus","opus"\n'
        '"Ottoline Brack","1023","3500","default","2016-02-16 03:45:59","2016-02-16 03:45:59",'
        '"2016-02-16 03:49:03","184","184","RECOVERY_ON_TIMER_EXPIRE","de59f263-d679-67f2-e1e8-f49a70ef2509",'
        '"","1023","opus","opus"\n'
    )
    assert '"FreeSWITCH User"' in out and "Ottoline" not in out and "Brack" not in out


def test_a_chat_exports_placeholders_and_bots_stay() -> None:
    out = scrub(
        "September 21, 2022, 5:21 PM, 윤서하 : Emoticons\n"
        "September 21, 2022, 6:07 PM, 윤서하 : Photo\n"
        "September 21, 2022, 10:00 PM, 알림봇 : 오늘 일정은 없습니다\n"
        "September 22, 2022, 4:30 PM, 윤서하 : 내일 학원 끝나고 만나자\n"
        "September 22, 2022, 4:31 PM, Abbot Grey : see you at the gate\n"
    )
    for leaked in ("윤서하", "내일 학원", "Abbot Grey", "see you at the gate"):
        assert leaked not in out
    assert " : Emoticons\n" in out and " : Photo\n" in out
    assert ", 알림봇 : 오늘 일정은 없습니다\n" in out


def test_public_dns_resolvers_stay_in_text_and_in_captures_alike() -> None:
    config = (
        "static.network.primary_dns = 172.64.36.1\n"
        "static.network.secondary_dns = 8.8.8.8\n"
        "dhcp: lease 192.168.1.37/24 gateway 192.168.1.1 dns [9.9.9.9, 2001:4860:4860::8888]\n"
        "static.network.ip = 46.4.119.23\n"
    )
    out = scrub(config)
    for resolver in ("= 172.64.36.1\n", "= 8.8.8.8\n", "[9.9.9.9, 2001:4860:4860::8888]"):
        assert resolver in out
    for leaked in ("46.4.119.23", "192.168.1.37"):
        assert leaked not in out


def test_public_dns_resolvers_stay_in_capture_headers(tmp_path: Path) -> None:
    from scapy.layers.dns import DNS, DNSQR
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap

    packets = [
        Ether() / IP(src="46.4.119.23", dst="8.8.8.8") / UDP(sport=40000, dport=53) / DNS(qd=DNSQR()),
        Ether() / IP(src="8.8.8.8", dst="46.4.119.23") / UDP(sport=53, dport=40000) / DNS(qr=1, qd=DNSQR()),
    ]
    capture, out = tmp_path / "dns.pcap", tmp_path / "out.pcap"
    wrpcap(str(capture), packets)
    logscrub.Scrubber(key=KEY).scrub_file(capture, out)
    data = out.read_bytes()
    assert bytes([8, 8, 8, 8]) in data and bytes([46, 4, 119, 23]) not in data


def test_a_desk_phones_line_key_targets() -> None:
    out = scrub(
        "linekey.3.label = Aldergrove\nlinekey.3.line = 1\nlinekey.3.type = 13\n"
        "linekey.3.value = 6045550187\nlinekey.2.value = 0\n"
    )
    assert "6045550187" not in out and "linekey.3.type = 13\n" in out and "linekey.2.value = 0\n" in out


def test_contact_names_with_the_owners_marks() -> None:
    out = scrub(
        "id,name,number,duration,date,type\n"
        "28421,Pranav Kolluri -1124,+917995500184,0,2024-06-19 09:44,OUTGOING\n"
        "28391,Ishaan Vnr Cys !!,+919248000176,42,2024-06-19 07:26,OUTGOING\n"
        "28390,Ishaan Vnr Cys !!,+919248000176,12,2024-06-19 07:20,INCOMING\n"
    )
    for leaked in ("Pranav", "Kolluri", "Ishaan", "7995500184", "9248000176"):
        assert leaked not in out
    assert ",0,2024-06-19 09:44,OUTGOING\n" in out


def test_a_polycom_directory_entry(tmp_path: Path) -> None:
    """(samples/blind-25 05) `fn` / `ln` / `ct` mean a name and a number inside an `item`."""
    out = scrub(
        "<directory>\n  <item_list>\n<item>\n  <fn>Patient Access Hotline</fn>\n  <ln></ln>\n"
        "  <ct>8775550123</ct>\n  <sd>1</sd>\n</item>\n    <item>\n      <fn>Brannock</fn>\n"
        "      <ln>Quayle</ln>\n      <ct>1726604</ct>  <!-- The SIP Extension inside Genesys -->\n"
        "    </item>\n</item_list> </directory>\n"
    )
    for leaked in ("Brannock", "Quayle", "1726604", "8775550123"):
        assert leaked not in out
    assert "<fn>Patient Access Hotline</fn>" in out and "<!-- The SIP Extension inside Genesys -->" in out


def test_an_apps_status_under_a_message_key_stays() -> None:
    """(samples/blind-25 12) A client's event data reports a status, not a person's text."""
    events = (
        '  {\n    "source": "Connectivity",\n    "event": "phoneConnectedEvent",\n    "data": {\n'
        '      "message": "Registration successful",\n      "regId": 2282155\n    }\n  },\n'
        '  {\n    "data": {\n      "message": "Unregistration done"\n    }\n  },\n'
    )
    assert scrub(events) == events
    assert "see you at the registration desk" not in scrub(
        '{"message": "see you at the registration desk"}\n'
    )


def test_a_voice_sdk_client_identity() -> None:
    """(samples/blind-23 17) Twilio Client's `client:<identity>` names the app's user."""
    out = scrub(
        "PARENT CALL SID\nCAbff5d7db2de94c7663539037920444dd\nFROM\nclient:marlow_b\nTO\nclient:Tablet7\n"
    )
    assert "marlow_b" not in out and "Tablet7" not in out and "FROM\nclient:" in out
    assert scrub("mqtt client:3 reconnecting\n") == "mqtt client:3 reconnecting\n"
