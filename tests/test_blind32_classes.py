"""The structures the blind round samples/blind-32 found leaks or losses in, as classes:
FreeRADIUS's authentication log, a Mumble server's users, Asterisk's AOR messages, ids
given in sentences (Microsoft Teams for Linux), Diameter authentication vectors (Open5GS),
a calendar attendee's EMAIL parameter and principal path (iCloud), an address book's
street address under a key shared with SMS records (abook), keys in one language of
several (`caller_zh_name`) and a call record's `final_dest`, call-tracking summaries
(CallRail), directory entries named for a service, Apple device names with the model first,
IRC cloaks in a bot's hostmasks, home directories written with escaped backslashes, Matrix
ids in logger names, an IPv6 address at a sentence's end, and an SDP session's name.
Values are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_freeradius_logins_and_logged_passwords() -> None:
    day = "Thu Jul 20"
    text = (
        f"{day} 00:00:15 2023 : Auth: (4010)   Login OK: [wifi_QX71] "
        "(from client r327 port 0 via TLS tunnel)\n"
        f"{day} 00:00:15 2023 : Auth: (4011) Login OK: [wifi_QX71] "
        "(from client r327 port 0 cli 9A-80-B2-3D-7B-12)\n"
        f"{day} 00:05:01 2023 : Info: Received HUP signal\n"
        f"{day} 00:06:00 2023 : Auth: (4020) Login incorrect (mschap: MS-CHAP2-Response is incorrect): "
        "[mkovacs/<via Auth-Type = eap>] (from client ap-7 port 0 cli 02-00-5e-10-00-02)\n"
        f"{day} 00:07:00 2023 : Auth: (4021) Login OK: [ptanaka/Hunter-22x] (from client localhost port 0)\n"
    )
    out = scrub(text)
    for leaked in ("wifi_QX71", "mkovacs", "ptanaka", "Hunter-22x", "9A-80-B2-3D-7B-12"):
        assert leaked not in out, leaked
    for kept in (
        "(from client r327 port 0 via TLS tunnel)",
        "/<via Auth-Type = eap>]",
        "Received HUP signal",
    ):
        assert kept in out, kept


def test_mumble_server_users() -> None:
    text = (
        "<W>2016-09-11 21:28:30.820 1 => <1:Grizzly_Joe(-1)> Authenticated\n"
        "<W>2016-09-11 21:28:42.691 1 => <2:dana-v(-1)> Authenticated\n"
        "<W>2016-09-12 00:48:41.700 1 => <1:Grizzly_Joe(-1)> Connection closed: "
        "The remote host closed the connection [1]\n"
        "<W>2016-09-11 21:20:00.001 1 => Server listening on [::]:64738\n"
    )
    out = scrub(text)
    assert "Grizzly_Joe" not in out and "dana-v" not in out
    assert "(-1)> Connection closed: The remote host closed the connection [1]\n" in out
    assert "=> Server listening on [::]:64738\n" in out


def test_asterisk_aor_messages() -> None:
    text = (
        "  == WebSocket connection from '10.20.30.40:50528' for protocol 'sip' accepted using version '13'\n"
        "    -- Added contact 'sip:3t96thn9@10.20.30.40:50528;transport=ws' to AOR '7104' "
        "with expiration of 600 seconds\n"
        "    -- Added contact 'sip:gw@10.20.30.41' to AOR 'voip-trunk' with expiration of 60 seconds\n"
    )
    out = scrub(text)
    assert "'7104'" not in out
    assert "to AOR 'voip-trunk' with expiration of 60 seconds" in out


def test_ids_given_in_sentences() -> None:
    machine = "5e7c0a9d1f2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5"
    session = "desktop-0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
    text = (
        "Sat Feb 27 2021 14:25:16 GMT+0100 (CET) <7837> -- info -- Saved machine id to " + machine + " \n"
        "Sat Feb 27 2021 14:25:17 GMT+0100 (CET) <7837> -- info -- App initialized with session of "
        + session
        + " and desktop session of "
        + session
        + " \n"
        "Sat Feb 27 2021 14:25:17 GMT+0100 (CET) <7837> -- info -- session is 12 minutes old\n"
    )
    out = scrub(text)
    assert machine not in out and session not in out
    assert "-- info -- session is 12 minutes old\n" in out


def test_diameter_authentication_vectors() -> None:
    prefix = (
        "12/19 16:00:58.507: [diam] DEBUG: pid:PSM/hss in md_hook_cb_tree@dbg_msg_dumps.c:123:               "
    )
    text = (
        f"{prefix}AVP: 'RAND'(1447) vend='3GPP'(10415) l=28 f=VM "
        "val=<11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00>\n"
        f"{prefix}AVP: 'XRES'(1448) vend='3GPP'(10415) l=20 f=VM val=<C1 D2 E3 F4 05 16 27 38>\n"
        f"{prefix}AVP: 'KASME'(1450) vend='3GPP'(10415) l=44 f=VM val=<{' '.join(['5A'] * 31 + ['01'])}>\n"
    )
    out = scrub(text)
    assert "C1 D2 E3 F4 05 16 27 38" not in out and "5A 5A 5A 5A 5A 5A 5A 5A 5A 5A 01" not in out
    assert "val=<11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00>" in out  # the public challenge


def test_calendar_attendee_email_parameter_and_principal() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
        "ATTENDEE;CN=Lucie Marchand;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;EMAIL=lucie.mar\r\n"
        " chand@example.net;ROLE=CHAIR:/aZk4MTk2NzQ0Mj\r\n"
        " k4MTk2NzQ0MtQxYzIwMWE5ZTg-/principal/\r\n"
        "SUMMARY:Training\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    out = scrub(text)
    for leaked in ("Lucie", "lucie.mar", "chand@example.net", "aZk4MTk2NzQ0Mj", "k4MTk2NzQ0MtQxYzIwMWE5ZTg"):
        assert leaked not in out, leaked
    assert ";ROLE=CHAIR:/" in out and "/principal/\r\n" in out and "SUMMARY:Training\r\n" in out


def test_street_address_under_a_key_an_sms_record_shares() -> None:
    text = (
        "[1]\nname=Esme Tan\naddress=12-40 71st Street\naddress2=Apartment 9B sunnyside\n"
        "city=New York\nzip=11104\n"
        '<sms protocol="0" address="+14155550188" date="1365481757533" type="2" />\n'
        "server address=10.0.0.5\n"
    )
    out = scrub(text)
    for leaked in ("71st Street", "Apartment 9B", "+14155550188", "Esme"):
        assert leaked not in out, leaked


def test_a_key_in_one_language_of_several_and_a_final_destination() -> None:
    text = (
        'CREATE TABLE "public"."cdr" (\n  "id" int4 NOT NULL,\n  "caller_id_number" varchar,\n'
        '  "final_dest" varchar(255),\n  "caller_zh_name" varchar(10)\n);\n'
        "INSERT INTO \"public\".\"cdr\" VALUES (954, '13912345678', '5568812', '陈美玲');\n"
    )
    out = scrub(text)
    for leaked in ("13912345678", "5568812", "陈美玲"):
        assert leaked not in out, leaked
    assert 'INSERT INTO "public"."cdr" VALUES (954, ' in out


def test_call_tracking_summaries() -> None:
    text = (
        '{\n  "customer_name": "WIRELESS CALLER",\n'
        '  "lead_explanation": "Marta has a clear need to sell the lot on Larkspur Lane.",\n'
        '  "call_summary": "Marta Quill called about the offer for her home on Larkspur Lane.",\n'
        '  "duration": 781\n}\n'
    )
    out = scrub(text)
    assert "Marta" not in out and "Larkspur" not in out
    assert '"duration": 781' in out


def test_directory_entries_named_for_a_service() -> None:
    text = (
        "<CiscoIPPhoneDirectory>\n  <DirectoryEntry>\n    <Name>Acme Support (Option 2)</Name>\n"
        "    <Telephone>888-555-0100</Telephone>\n  </DirectoryEntry>\n  <DirectoryEntry>\n"
        "    <Name>Northfield Service Dept (ext 7812)</Name>\n  </DirectoryEntry>\n  <DirectoryEntry>\n"
        "    <Name>Rhea Okafor Cell</Name>\n    <Telephone>530-555-0142</Telephone>\n  </DirectoryEntry>\n"
        "</CiscoIPPhoneDirectory>\n"
    )
    out = scrub(text)
    assert "<Name>Acme Support (Option 2)</Name>" in out
    assert "<Name>Northfield Service Dept (ext 7812)</Name>" in out
    assert "Rhea" not in out and "Okafor" not in out


def test_apple_device_names_with_the_model_first() -> None:
    text = (
        "daemon.info dnsmasq-dhcp[1537]: DHCPACK(br-lan) 192.168.1.236 3c:22:fb:e6:00:d4 MBP-Ildiko-1\n"
        "daemon.info dnsmasq-dhcp[1537]: DHCPACK(br-lan) 192.168.1.237 3c:22:fb:e6:00:d5 iPhone-de-Maria\n"
        "Simulator iPhone-SE booted; MacBook-Pro charging\n"
    )
    out = scrub(text)
    assert "Ildiko" not in out and "Maria" not in out
    assert "Simulator iPhone-SE booted; MacBook-Pro charging\n" in out


def test_irc_cloaks_home_paths_and_addresses_of_a_bot_log() -> None:
    text = (
        "ERROR 2024-06-24T21:03:39 supybot Exact error: FileNotFoundError: [Errno 2] No such file or "
        "directory: 'C:\\\\Users\\\\veda\\\\Desktop\\\\Bot-2\\\\conf\\\\users.conf'\n"
        'INFO 2024-06-24T21:10:52 supybot ping called on #Chan by "Kiro!uid123456@user/Kirox".\n'
        "INFO 2024-06-24T21:19:42 supybot Kicked from #Chan @ libera by Bot!~limnoria@2402:e280:3d5f:"
        "b72:d531:62cb:4f3e:7d42. Rejoining.\n"
    )
    out = scrub(text)
    for leaked in (
        "veda",
        "Kiro",
        "uid123456",
        "user/Kirox",
        "Kirox",
        "2402:e280:3d5f:b72:d531:62cb:4f3e:7d42",
    ):
        assert leaked not in out, leaked
    assert "\\\\Desktop\\\\Bot-2\\\\conf\\\\users.conf'" in out and ". Rejoining.\n" in out


def test_matrix_ids_in_logger_names_and_bsd_homes() -> None:
    text = (
        "[2022-12-02 12:16:14,642] [ERROR@maubot.client.@orla:chat.example.net] Sync handling errored\n"
        "[2022-12-02 12:21:33,818] [DEBUG@maubot.loader.zip] Preloaded plugin xyz.maubot.dice from "
        "/usr/home/orla/Projects/maubot/plugins/xyz.maubot.dice-v1.1.0.mbp\n"
    )
    out = scrub(text)
    assert "orla" not in out and "[ERROR@maubot.client.@" in out
    assert "[DEBUG@maubot.loader.zip] Preloaded plugin xyz.maubot.dice from /usr/home/" in out


def test_an_sdp_session_name_is_no_session_token() -> None:
    line = "2025-07-22 17:53:14,820 - callie_caller.sip.sdp - INFO - Parsed SDP session: FreeSWITCH\n"
    assert scrub(line) == line
    assert "Qp7ZtR2mVx9Lk" not in scrub("INFO - login session: Qp7ZtR2mVx9Lk\n")


def test_a_display_name_that_repeats_the_user() -> None:
    text = (
        "From: doorbell <sip:doorbell@fritz.box>;tag=QFKIxpmMv0ez2t8f\n"
        'To: "anna" <sip:anna@pbx.example.org>\n'
        'From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=1\n'
    )
    out = scrub(text)
    assert "doorbell" not in out and "anna" not in out
    assert 'From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=1\n' in out


def test_a_chat_clients_own_accounts() -> None:
    """Pidgin's accounts.xml (samples/blind-13 10): the user's own account under `<account>`
    (its login, the alias or handle it shows); the protocol and statuses stay."""
    text = (
        "<account version='1.0'>\n\t<account>\n\t\t<protocol>prpl-skypeweb</protocol>\n"
        "\t\t<name>marta.kowal</name>\n\t\t<password>v97hwg9hzyk2</password>\n\t\t<alias>emkay</alias>\n"
        "\t\t<statuses>\n\t\t\t<status type='Online' name='Online' active='true'>\n"
    )
    out = scrub(text)
    for leaked in ("marta.kowal", "v97hwg9hzyk2", "emkay"):
        assert leaked not in out, leaked
    assert "<protocol>prpl-skypeweb</protocol>" in out and "name='Online' active='true'" in out


def test_pieces_of_folded_addresses_keep_pseudonyms_of_their_own() -> None:
    """A folded line cuts an attendee's address (`EMAIL=ducre` / ` t.cedric@...`): each
    piece was replaced by one and the same pseudonym (the empty local part's); now by its
    own, and two different pieces stay different."""
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
        "ATTENDEE;CN=Ann Roe;EMAIL=annro\r\n e@example.net:mailto:x\r\n"
        "ATTENDEE;CN=Bo Li;EMAIL=boli\r\n 9@example.net:mailto:y\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    out = scrub(text)
    first = out.split("EMAIL=")[1].split("\r\n")[0]
    second = out.split("EMAIL=")[2].split("\r\n")[0]
    assert "annro" not in out and "boli" not in out
    assert first != second
