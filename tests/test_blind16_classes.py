"""The structures the blind round samples/blind-16 found leaks in, as classes: a key and its
value on lines of their own, PHP print_r keys, a closing phrase that ends a line, login
sections of Asterisk configurations, products with a version in prose, the caller of
Asterisk's refused calls, test numbers under caller-ID keys, IPv4 written with
underscores, Microsoft / Unify endpoint ids, credentials given together in a sentence and
IRC lines. Each with the text that must stay."""

from __future__ import annotations

from .conftest import scrub_keyed, scrubbed_in_small_blocks

scrub = scrub_keyed


# --- a bare key line, its value alone on the next line -----------------------------

# A FreeSWITCH directory request rendered from a wiki (samples/blind-16/01): the markup of
# `<event-header name="...">value</event-header>` is gone, a line per piece is left.
EVENT_HEADERS = (
    "event-header name=\nsip_user_agent\nPolycomSoundPointIP-SPIP_330-UA/3.3.2.0413\n/event-header\n"
    "event-header name=\nsip_auth_username\nphone_77\n/event-header\n"
    "event-header name=\nsip_auth_realm\nvoip.example.com\n/event-header\n"
    "event-header name=\nsip_auth_response\n5b0c0e1a8e9f4d2c3b1a09f8e7d6c5b4\n/event-header\n"
    "event-header name=\nsip_auth_method\nREGISTER\n/event-header\n"
)


def test_bare_key_line_and_value_line() -> None:
    out = scrub(EVENT_HEADERS)
    assert "phone_77" not in out
    assert "5b0c0e1a8e9f4d2c3b1a09f8e7d6c5b4" not in out
    for kept in (
        "PolycomSoundPointIP-SPIP_330-UA/3.3.2.0413",
        "voip.example.com",
        "REGISTER",
        "sip_auth_method",
    ):
        assert kept in out
    assert out.count("/event-header") == 5 and out.count("event-header name=") == 5


def test_bare_key_lines_without_values_stay() -> None:
    # A list of variable names (documentation), a heading and its sentence, a plain word
    # as a heading: no values.
    text = (
        "Variables set on authentication:\n\nsip_auth_username\nsip_auth_realm\nsip_auth_method\n\n"
        "sip_auth_username\nThe user name the phone authenticated with.\n\n"
        "Password\nchangeme99\n"
    )
    assert scrub(text) == text


def test_bare_key_value_split_across_blocks() -> None:
    filler = "".join(f"2026-03-04 10:{i % 60:02d}:00 INFO nothing to see on line {i}\n" for i in range(60))
    data = (filler + EVENT_HEADERS * 20).encode()
    small = scrubbed_in_small_blocks(data)
    assert b"phone_77" not in small


# --- PHP print_r keys --------------------------------------------------------------

PRINT_R = (
    "New NewchannelEvent call\nArray\n(\n    [extNum] => 214\n    [callUniqueid] => 1617661332.43\n"
    "    [Exten] => s\n)\nContact name by extNum\nArray\n(\n    [CallMeCallerIDName] => 214\n)\n"
)


def test_print_r_extension_keys() -> None:
    out = scrub(PRINT_R)
    assert "=> 214" not in out
    assert "[callUniqueid] => 1617661332.43" in out and "[Exten] => s" in out
    assert "Contact name by extNum" in out


# --- a closing phrase at the end of a line -------------------------------------------


def test_closing_phrase_ending_a_line_opens_the_signature() -> None:
    out = scrub("works with that server.\n\nThanks anyway and best regards,\nManfred\n")
    assert "Manfred" not in out and "Thanks anyway and best regards," in out
    out = scrub("Any hint is welcome. Kind regards\n\nGunhild Sørensen\n")
    assert "Gunhild" not in out


def test_closing_phrase_ending_a_line_keeps_what_is_no_name() -> None:
    text = "Registration failed again, regards\nUpdate\n"
    assert scrub(text) == text
    text = "The regards field is empty in the template\nManfred\n"  # not at the end of the line
    assert scrub(text) == text


# --- login sections of Asterisk configurations ---------------------------------------

MANAGER_CONF = (
    "[general]\nenabled = yes\nport = 5038\nbindaddr = 0.0.0.0\n\n"
    "[crmbridge]\nsecret = Xy7pass99\ndeny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.1/255.255.255.0\n"
    "read = system,call,log\nwrite = system,call,originate\n"
)


def test_manager_conf_section_is_the_login() -> None:
    out = scrub(MANAGER_CONF)
    assert "[crmbridge]" not in out and "Xy7pass99" not in out
    assert "[general]" in out and "port = 5038" in out and "read = system,call,log" in out


def test_ari_user_section_is_the_login() -> None:
    out = scrub("[dashboard]\ntype = user\nread_only = yes\npassword = s3cr3tPW\n")
    assert "[dashboard]" not in out


def test_peer_and_service_sections_stay() -> None:
    text = "[mytrunk]\ntype=peer\nhost=sip.example.net\nsecret=s3cr3tPW\ncontext=from-trunk\n"
    assert "[mytrunk]" in scrub(text)
    text = "[database]\npassword = s3cr3tPW\nport = 5432\n"
    assert "[database]" in scrub(text)


# --- a capitalised word with a version is a product --------------------------------


def test_product_with_version_in_prose_stays() -> None:
    text = "I want to integrate Asterisk with Odoo 10. When I defined the Asterisk Server it failed\n"
    assert scrub(text) == text
    text = "We moved the trunk to Kazoo 4.3 and the calls with the carrier dropped\n"
    assert scrub(text) == text


def test_name_with_a_phone_number_in_prose_is_still_a_name() -> None:
    out = scrub("The caller asked to speak with Harshita 0612345678 about the bill and then hung up.\n")
    assert "Harshita" not in out


# --- the caller of Asterisk's refused calls -----------------------------------------


def test_call_from_peer_rejected() -> None:
    out = scrub(
        "NOTICE[794] chan_sip.c: Call from 'confuser' to extension 'room77' rejected because extension\n"
        "NOTICE[12] res_pjsip_session.c: Call from '1001' (UDP:10.0.0.5:5060) to extension '200' rejected "
        "because extension not found in context 'default'.\n"
    )
    assert "'confuser'" not in out and "'1001'" not in out
    assert "chan_sip.c: Call from '" in out and "rejected because extension" in out
    assert "context 'default'" in out


def test_call_from_in_prose_stays() -> None:
    text = "Call from 'reception' is answered by the IVR menu\n"
    assert scrub(text) == text


# --- test numbers under caller-ID keys ---------------------------------------------


def test_repeated_digit_caller_id_is_taken() -> None:
    out = scrub(
        "originate {origination_caller_id_number=5555555555,originate_timeout=60}sofia/gateway/gw/100\n"
    )
    assert "5555555555" not in out and "originate_timeout=60" in out


def test_zero_caller_id_and_counters_stay() -> None:
    text = "origination_caller_id_number=0000000000,retries=3333333\n"
    assert scrub(text) == text


# --- IPv4 written with underscores --------------------------------------------------


def test_underscored_ipv4() -> None:
    out = scrub(
        "Contact: <sip:9806@192.168.0.31:5062;transport=udp;registering_acc=192_168_0_250>;expires=600\n"
        "saved to trace_192_168_1_20.pcap\n"
    )
    assert "192_168_0_250" not in out and "192_168_1_20" not in out
    assert "registering_acc=192_168_" in out and "trace_192_168_" in out  # private stays private


def test_underscored_versions_and_host_names_stay() -> None:
    text = (
        "built with OpenSSL_1_1_1_1, boost_1_76_0 and jdk1_8_0_252\n"
        "Feb  1 11:00:00 ip-10-0-64-11 mdr: 2016-02-01 11:00:00 Sent SMS\n"
    )
    assert scrub(text) == text


# --- SIP endpoint ids, credentials in a sentence ------------------------------------


def test_epid_and_single_label_host() -> None:
    out = scrub('From: "Deskphone" <sip:111@pbx.e36>;tag=a1a3406102;epid=SCde09a0\nTo: <sip:111@pbx.e36>\n')
    assert "SCde09a0" not in out and "tag=a1a3406102" in out and "@pbx.e36>" in out
    assert "sip:111@" not in out


def test_username_and_password_in_a_sentence() -> None:
    out = scrub("An example debug log over SIP is below, username and password are: 4711\n")
    assert "4711" not in out
    text = "I checked that the username and password are correct.\n"
    assert scrub(text) == text


# --- IRC ------------------------------------------------------------------------------

IRC = (
    'Apr 12 13:44:13 host1 matterbridge[6525]: level=debug msg="Sending message from #support on'
    ' irc.libera.chat to gateway" module=irc\n'
    'Apr 12 13:44:13 host1 matterbridge[6525]: level=debug msg="\\":remi!~remi@fsf/member/remi PRIVMSG'
    ' #support :Ahh okay\\"" module=irc\n'
    ":alice!alice@203.0.113.9 PRIVMSG bobby_b :see you at the standup\n"
    ":irc.libera.chat 001 alice :Welcome to the Libera.Chat Internet Relay Chat Network alice\n"
    ":irc.example.net NOTICE AUTH :*** Looking up your hostname\n"
)


def test_irc_prefix_target_and_text() -> None:
    out = scrub(IRC)
    for gone in ("remi", "fsf/member/remi", "Ahh okay", "bobby_b", "see you at the standup", "203.0.113.9"):
        assert gone not in out
    for kept in (
        "PRIVMSG #support :",
        "module=irc",
        "irc.libera.chat",
        "NOTICE AUTH :*** Looking up your hostname",
    ):
        assert kept in out


def test_non_irc_lines_stay() -> None:
    text = (
        "[2016-03-14 17:38:37] NOTICE[2225] chan_sip.c: Registration from x failed for '1.2.3.4:5062'\n"
        "Warning! check the config: PRIVMSG is not supported by this bridge\n"
    )
    out = scrub(text)
    assert "NOTICE[2225] chan_sip.c: Registration from x failed" in out
    assert "PRIVMSG is not supported by this bridge" in out
