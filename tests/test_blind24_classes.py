"""The structures the blind round samples/blind-24 found leaks or losses in, as classes:
Asterisk's PJSIP manager events (AOR, EndpointName, a caller-ID name that is a login),
ejabberd's client-session records, an SMS in PDU mode in a modem's AT trace,
FreeSWITCH's dialplan `Processing` line, Polycom's `reg.N.address`, an IRC hostmask in a
bot's log, the `msg` of an SMS gateway's send request, an embedded console's spaced
addresses, Linphone's instance id, a participant identity, and flags under secret-looking
keys. Values are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed

AMI = """\
<-- Examining AMI event (541258673): -->
Event: ContactStatus
Privilege: system,all
URI: sip:2107@192.168.0.22:60777;transport=UDP;rinstance=210d72a4c1d757e5
ContactStatus: NonQualified
AOR: 2107
EndpointName: 2107
RoundtripUsec: 0

Event: SuccessfulAuth
Service: PJSIP
AccountID: 2107
UsingPassword: 1

Event: Newchannel
Channel: PJSIP/2107-0000004c
CallerIDNum: 2107
CallerIDName: kiosk42
Context: internal
"""


def test_pjsip_manager_events() -> None:
    out = scrub(AMI)
    for leaked in ("2107", "kiosk42", "192.168.0.22"):
        assert leaked not in out
    for kept in ("ContactStatus: NonQualified", "UsingPassword: 1", "Service: PJSIP", "Context: internal"):
        assert kept in out


SOCKET = "({socket_state,gen_tcp,#Port<0.27946>,<0.604.0>})"
EJABBERD = (
    f"2016-11-05 10:39:38.258 [info] <0.605.0>@ejabberd_c2s:wait_for_sasl_response:942 {SOCKET}"
    " Accepted authentication for noor.k by undefined from 10.20.30.40\n"
    f"2016-11-05 10:39:38.260 [info] <0.605.0>@ejabberd_c2s:open_session:1153 {SOCKET}"
    " Opened session for noor.k@chat/10115039982188681247239\n"
    f"2016-11-05 10:59:12.157 [info] <0.605.0>@ejabberd_c2s:terminate:1851 {SOCKET}"
    " Close session for farid@chat/1629211499437559787255\n"
)


def test_ejabberd_session_records() -> None:
    out = scrub(EJABBERD)
    for leaked in ("noor.k", "farid", "10.20.30.40"):
        assert leaked not in out
    assert "ejabberd_c2s:open_session:1153" in out and "@chat/" in out


# A real SMS-SUBMIT PDU shape: service centre +1 206 313 0004, recipient, 7-bit text.
PDU = (
    "07912160130300F411000B915195949268F80000FF29345BCD95B3CD"
    "4030D7EC16BBE568B2DC2D67B381642E188866ABB972B6598C869BC97020"
)
GAMMU = f"""\
Recipient number "+15594929868"
SMS class -1
Sending SMS
1 "AT+CMGS=50"
2 "> {PDU}"
3 "+CMGS: 215"
4 "OK"
"""


def test_an_sms_pdu_in_an_at_trace() -> None:
    out = scrub(GAMMU)
    assert PDU not in out and "5195949268" not in out
    assert '1 "AT+CMGS=50"' in out and '3 "+CMGS: 215"' in out
    # Hex whose fields do not add up is left alone: a digest, a key id.
    digest = "D41D8CD98F00B204E9800998ECF8427E0011223344"
    assert digest in scrub(f"build digest {digest}\n")


FREESWITCH = (
    "88c5695e-ed4c-46ed-92d4-10f5f0cd4c78 2023-02-14 13:05:40.466331 48.43% [INFO] mod_dialplan_xml.c:639"
    " Processing Mira Castell <3107>->0611223344 in context default\n"
    "2023-02-14 13:05:41.000000 [INFO] mod_dialplan_xml.c:639"
    " Processing 3107 <3107>->9196 in context default\n"
)


def test_freeswitch_dialplan_processing_line() -> None:
    out = scrub(FREESWITCH)
    for leaked in ("Mira Castell", "3107", "0611223344"):
        assert leaked not in out
    # The PBX's own short numbers (the echo test) and the context stay.
    assert "->9196 in context default" in out


def test_polycom_line_address_without_a_domain() -> None:
    out = scrub('\t\treg.1.address="4471"\n\t\treg.1.auth.userId="4471"\n\t\treg.1.server.1.port="5060"\n')
    assert "4471" not in out and 'reg.1.server.1.port="5060"' in out
    out = scrub('reg.1.address="4471@sbc.example.net"\n')
    assert "4471" not in out and "@sbc.example.net" in out


def test_irc_hostmask_in_a_bots_log() -> None:
    out = scrub(
        'INFO 2015-11-10T15:49:11 supybot whoami called by "wrenna!~wbell@10.12.213.179".\n'
        "WARNING 2015-11-10T15:49:02 supybot Denying wrenna!~wbell@10.12.213.179"
        ' for lacking "owner" capability.\n'
    )
    for leaked in ("wrenna", "wbell", "10.12.213.179"):
        assert leaked not in out
    assert 'for lacking "owner" capability.' in out


def test_the_msg_of_a_send_request() -> None:
    out = scrub(
        "2013-05-10 03:19:48.571 [INFO] SMSRestAPI:87 - Send Msg Request:"
        ' {"to":"4165550123","from":"4165550188",'
        '"msg":"Running late, see you there"}\n'
        "2013-05-10 03:19:48.608 [ERROR] SMPPClient:183 - Exception sending message [Msg, From, To] :: [x]\n"
        '{"level":"info","msg":"connection closed"}\n'
    )
    assert "Running late" not in out and "4165550123" not in out
    assert "Exception sending message [Msg, From, To]" in out and '"msg":"connection closed"' in out


def test_spaced_addresses_of_an_embedded_console() -> None:
    out = scrub(
        "Mac Address: 0a. 1b. 2c. 3d. 4e. 5f\n"
        "Local Ip Address: 192. 168. 011. 161\n"
        "Mask Ip Address: 255. 255. 255. 000\n"
        "Gateway Ip Address: 192. 168. 011. 001\n"
    )
    for leaked in ("0a. 1b. 2c. 3d. 4e. 5f", "192. 168. 011. 161", "192. 168. 011. 001"):
        assert leaked not in out
    assert "255. 255. 255. 000" in out
    # The pseudonym keeps the layout: blanks after the dots, padded octets.
    local = out.splitlines()[1].split(": ", 1)[1]
    assert [len(octet) for octet in local.split(".")] == [3, 4, 4, 4] and local.count(". ") == 3


def test_linphone_instance_id_and_participant_identity() -> None:
    out = scrub("[misc]\nuuid=0f3c2a8e-5b1d-4e7a-9c2f-6d8e1a4b7c90\nmax_calls=1\n")
    assert "0f3c2a8e-5b1d-4e7a-9c2f-6d8e1a4b7c90" not in out and "max_calls=1" in out
    out = scrub(
        "RTCService.ServeHTTP - Connection validated, roomName=demo, participantIdentity=ckq8x2p1v0001abcd\n"
    )
    assert "ckq8x2p1v0001abcd" not in out and "roomName=demo" in out
