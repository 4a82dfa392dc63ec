"""The structures the blind round samples/blind-20 found leaks or losses in, as classes:
Cisco CUCM's call records (party numbers and logins by CUCM's own keys, addresses written
as integers, device names built from MACs, MGCP endpoints that are no e-mail addresses),
Pidgin's HTML conversation logs, a page's `<title>` and `<meta content>`, phpMyAdmin dumps
with one row a line, plural keys holding lists, SMPP's `system-id`. Values are invented;
the shapes are the real excerpts'."""

from __future__ import annotations

from logscrub.ipforms import ipv4_from_integer

from .conftest import scrub_keyed

scrub = scrub_keyed

CUCM = (
    "cdrRecordType,globalCallID_callId,origIpAddr,callingPartyNumber,callingPartyUnicodeLoginUserID,"
    "destIpAddr,originalCalledPartyNumber,finalCalledPartyNumber,finalCalledPartyUnicodeLoginUserID,"
    "origDeviceName,destDeviceName,duration\n"
    "1,22020,436316352,51002,dwhitfield,1744939200,42000,41533,olindqvist,SEP989096A5057F,"
    "S0/SU2/DS1-0@gw1.example.local,41\n"
)


def test_cucm_call_records() -> None:
    out = scrub(CUCM)
    for leaked in (
        "436316352",
        "1744939200",
        "51002",
        "42000",
        "41533",
        "dwhitfield",
        "olindqvist",
        "96A5057F",
    ):
        assert leaked not in out
    assert "S0/SU2/DS1-0@gw1.example.local" in out  # an MGCP endpoint, not an address
    row = out.splitlines()[1].split(",")
    assert row[2].lstrip("-").isdigit() and ipv4_from_integer(row[2]) is not None  # still an address
    assert row[9].startswith("SEP989096") and row[-1] == "41"  # the vendor part and the duration stay


def test_integer_addresses_decode_as_cucm_writes_them() -> None:
    assert str(ipv4_from_integer("436316352")) == "192.168.1.26"
    assert ipv4_from_integer("0") is None and ipv4_from_integer("12.5") is None


PIDGIN = """<html><head><meta http-equiv="content-type" content="text/html; charset=UTF-8"><title>Conversation with danaw_12 at Fri 08 Mar 2013 09:26:33 AM ICT on oskar_90203 (yahoo)</title></head><body><h3>Conversation with danaw_12 at Fri 08 Mar 2013 09:26:33 AM ICT on oskar_90203 (yahoo)</h3>
<font color="#A82F2F"><font size="2">(09:26:33 AM)</font> <b>danaw_12:</b></font> em đang làm gì thế?<br/>
<font color="#16569E"><font size="2">(09:26:46 AM)</font> <b>Sleepy Owl:</b></font> đang ở chỗ thực tập <br/>
</body></html>
"""  # noqa: E501 (as long as the real lines)


def test_pidgin_html_conversation_logs() -> None:
    out = scrub(PIDGIN)
    for leaked in ("danaw_12", "oskar_90203", "Sleepy Owl", "làm gì", "thực tập"):
        assert leaked not in out
    for kept in (
        'content="text/html; charset=UTF-8"',
        "(yahoo)",
        "Fri 08 Mar 2013 09:26:33 AM ICT",
        "(09:26:46 AM)",
    ):
        assert kept in out


DUMP = """INSERT INTO `sentitems` (`SendingDateTime`, `Text`, `DestinationNumber`, `SMSCNumber`, `TextDecoded`) VALUES
('2016-06-24 03:24:34', '004800690020', '089612345678', '+6281100000', 'Hi, arriving at five'),
('2016-06-24 03:25:43', '0061006E', '089612345678', '+6281100000', 'ok see you');
INSERT INTO `phones` (`ID`, `Battery`) VALUES ('a', 90);
"""  # noqa: E501 (as long as the real lines)


def test_sql_dumps_with_one_row_a_line() -> None:
    out = scrub(DUMP)
    for leaked in ("arriving at five", "ok see you", "089612345678"):
        assert leaked not in out
    assert (
        "'2016-06-24 03:24:34'" in out and "INSERT INTO `phones` (`ID`, `Battery`) VALUES ('a', 90);" in out
    )


def test_plural_keys_holding_lists() -> None:
    out = scrub(
        "Received event: dial, Data: {'Phone': '375291234567', 'Extensions': ['185', '214'], 'Trunk': 'x'}\n"
    )
    assert "'185'" not in out and "'214'" not in out and "375291234567" not in out
    out = scrub('{"to": ["+14155550142", "+14155550199"], "usernames": ["dwhit77", "olind88"]}\n')
    for leaked in ("+14155550142", "+14155550199", "dwhit77", "olind88"):
        assert leaked not in out
    for stays in ('"codecs": ["PCMU", "PCMA"]\n', '"tags": ["a", "b"]\n', "variable_pins = 3\n"):
        assert scrub(stays) == stays


def test_smpp_system_id() -> None:
    out = scrub("group = smsc\nsmsc = smpp\nsystem-id = dwhit_sms\nsystem-type = VMA\n")
    assert "dwhit_sms" not in out and "system-type = VMA" in out


def test_a_user_id_in_a_url_query() -> None:
    out = scrub(
        "Zoom launcher: zoommtg://zoom.us/join?action=join&uid=xgauJI81R92IjvhH44f9gw&browser=chrome\n"
    )
    assert "xgauJI81R92IjvhH44f9gw" not in out and "&browser=chrome" in out
    stays = "uid=1000(svc) gid=1000(svc) groups=1000(svc)\n"
    assert scrub(stays) == stays
