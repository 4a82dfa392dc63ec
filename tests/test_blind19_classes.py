"""The structures the blind round samples/blind-19 found leaks or losses in, as classes:
an IP phone's XML screen object (captions, departments in other languages), call records
whose destination is a service by its dialplan context and that name a party again in
columns the layout does not know, the SDP origin's user name, an IPv6 address with an
unbracketed five-digit port, a chat client's buddy list (the buddy's account and its
alias, a name with a bracketed part), Android's radio registration state, Windows'
generated computer names, a number under a key that ends in `Number`, hex numbers under
token keys, a kernel version. Values are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


DIRECTORY = """<?xml version="1.0" encoding="UTF-8" ?>
<EltexIPPhoneDirectory>
    <Title>SchoolPhones</Title>
    <Prompt>Prompt</Prompt>
    <DirectoryEntry>
        <Name>Директор</Name>
        <Telephone>1085501</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>Петрова А.С.</Name>
        <Telephone>1085502</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>Отдел Информационного Обеспечения</Name>
        <Telephone>1085503</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>Отдел кадров</Name>
        <Telephone>1085504</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>Recepção</Name>
        <Telephone>1085505</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>Büro Lindqvist</Name>
        <Telephone>1085506</Telephone>
    </DirectoryEntry>
</EltexIPPhoneDirectory>
"""


def test_a_phone_screen_object_keeps_captions_and_departments() -> None:
    out = scrub(DIRECTORY)
    for kept in ("<Title>SchoolPhones</Title>", "<Prompt>Prompt</Prompt>", "<Name>Директор</Name>"):
        assert kept in out
    assert "<Name>Отдел кадров</Name>" in out  # not broken by a part of a longer label
    assert "<Name>Recepção</Name>" in out
    for leaked in ("Петрова", "Lindqvist", "1085502"):
        assert leaked not in out


# Asterisk Master.csv rows of a FreePBX call centre with a custom template's extra columns.
CDR = (
    ',911555238,7000,ivr-1,""""" <911555238>",PJSIP/trunk_1-00025a6d,,ForkCDR,are,'
    "2026-07-03 09:03:28,2026-07-03 09:03:38,2026-07-03 09:04:17,48,38,ANSWERED,DOCUMENTATION,"
    "1783051408.621901,Inbound,7000,,7000,1783051408605471-911555238,911555238,IVR[7000],EASTTELECOM,\n"
    ',911555238,6500,ext-queues,""""" <911555238>",PJSIP/trunk_1-00025a6d,,ForkCDR,are,'
    "2026-07-03 09:04:17,2026-07-03 09:04:25,2026-07-03 09:04:25,8,0,ANSWERED,DOCUMENTATION,"
    "1783051408.621901,Inbound,6500,,6500,1783051408605471-911555238,911555238,QUEUE[6500],EASTTELECOM,\n"
    ',241,933555737,outbound-route-4,"""Dana Whitfield"" <788555484>",PJSIP/241-00025a6f,'
    'PJSIP/trunk_1-00025a70,Dial,"PJSIP/933555737@trunk_1,,M(record-check)",2026-07-03 09:04:20,'
    "2026-07-03 09:04:34,2026-07-03 09:04:39,19,5,ANSWERED,DOCUMENTATION,1783051460.621911,Outbound,"
    "trunk_1,Dana Whitfield,933555737,1783051460640209-241,241,DIAL,,EASTTELECOM,\n"
)


def test_call_records_keep_services_and_follow_parties_into_unknown_columns() -> None:
    out = scrub(CDR)
    for kept in ("IVR[7000]", "QUEUE[6500]", ",7000,ivr-1,", ",6500,ext-queues,"):
        assert kept in out
    for leaked in ("911555238", "Dana", "-241,", ",241,", "933555737"):
        assert leaked not in out
    assert out.count("\n") == 3


def test_the_sdp_origin_user() -> None:
    out = scrub("v=0\no=marta.k 3703 3341 IN IP4 10.0.0.5\ns=Talk\n")
    assert "marta.k" not in out and "3703 3341 IN IP4" in out
    for stays in (
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\n",
        "o=FreeSWITCH 1699516171 1699516172 IN IP4 127.0.0.1\n",
        "o=user1 53655765 2353687637 IN IP4 127.0.0.1\n",  # SIPp's default scenario
        "o=Sonus_UAC 2345 6789 IN IP4 127.0.0.1\n",
    ):
        assert scrub(stays) == stays


def test_ipv6_with_an_unbracketed_five_digit_port() -> None:
    out = scrub("D/conversations( 5912): connection failed with 2001:db8:c080:401::1:28011\n")
    assert "2001:db8:c080:401::1" not in out and out.endswith(":28011\n")


BLIST = """<contact>
	<buddy account='mtkatwork' proto='prpl-aim'>
		<name>danaw2000nj</name>
		<alias>Dana Whitfield</alias>
	</buddy>
</contact>
<contact>
	<buddy account='mtkatwork' proto='prpl-jabber'>
		<name>oskar.l@example.com</name>
		<alias>Oskar (Olle) Lindqvist</alias>
	</buddy>
</contact>
<group name='Work'>
	<setting name='collapsed' type='bool'>1</setting>
</group>
"""


def test_a_buddy_list_account_and_alias() -> None:
    out = scrub(BLIST)
    for leaked in ("danaw2000nj", "Dana", "Whitfield", "oskar.l@", "Olle", "Lindqvist", "mtkatwork"):
        assert leaked not in out
    assert "<group name='Work'>" in out and "proto='prpl-jabber'" in out


def test_radio_registration_state_and_windows_computer_names() -> None:
    out = scrub("D/RILJ    ( 2201): [2369]< VOICE_REGISTRATION_STATE {1, 9c8c, 081c0592, 11}\n")
    assert "9c8c" not in out and "081c0592" not in out and "VOICE_REGISTRATION_STATE {1, " in out
    out = scrub("INFO Starting App on DESKTOP-Q7K2M9X with PID 13348 (C:\\app started by svc in C:\\app)\n")
    assert "DESKTOP-Q7K2M9X" not in out and "with PID 13348" in out


def test_numbers_under_keys_ending_in_number() -> None:
    out = scrub("TwilioInitializer [main] Twilio initialized -- with trialNumber: 14155550142\n")
    assert "14155550142" not in out
    for stays in ("portNumber: 5060\n", "sequenceNumber=4711\n"):
        assert scrub(stays) == stays


def test_hex_numbers_under_token_keys_and_kernel_versions_stay() -> None:
    for stays in (
        "D/RILSWITCH( 1887): atdToken : 0xf1e0, bEMCRedirected 0\n",
        "Kernel info: 2.6.32.9\n",
    ):
        assert scrub(stays) == stays


def test_xmpp_sasl_payloads() -> None:
    # ejabberd's debug log prints the stanzas of a SCRAM login; PLAIN would carry the password.
    text = (
        'Received XML on stream = <<"<auth xmlns=\\"urn:ietf:params:xml:ns:xmpp-sasl\\"'
        ' mechanism=\\"PLAIN\\">'
        'AGRhbmFAZXhhbXBsZS5jb20Ac2VjcmV0</auth>">>\n'
        "Send XML on stream = <<\"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj0yNTY3MjMxMy0zNEYy"
        '</challenge>">>\n'
    )
    out = scrub(text)
    assert "AGRhbmFAZXhhbXBsZS5jb20Ac2VjcmV0" not in out and "cj0yNTY3MjMxMy0zNEYy" not in out
    assert 'mechanism=\\"PLAIN\\"' in out and out.count("\n") == 2
