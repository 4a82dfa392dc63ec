"""The structures the blind round samples/blind-18 found leaks in, as classes: a directory
name written beside its extension with a blank only, the bare `Number` column of a table
of people, a caller-ID field that holds a SIP user name, a PBX's account code, Erlang /
Elixir terms (binaries, binary keys, a value on the line after its `=>`), a URL whose
query is one opaque token, the account a client logs in as, and key material printed as
a hex dump. Each with the text that must stay. Values are invented; the shapes are the
real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed, scrubbed_in_small_blocks

scrub = scrub_keyed


# --- directory names beside their extension (Yealink remote phonebook) --------------

DIRECTORY = """<YealinkIPPhoneDirectory>
    <DirectoryEntry>
        <Name>617 DANA WHITFIELD</Name>
        <Telephone>+17085550142</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>Oskar Lindqvist 233</Name>
        <Telephone>+46705550199</Telephone>
    </DirectoryEntry>
    <DirectoryEntry>
        <Name>101 Music Room</Name>
        <Telephone>101</Telephone>
    </DirectoryEntry>
</YealinkIPPhoneDirectory>
"""


def test_directory_names_beside_an_extension() -> None:
    out = scrub(DIRECTORY)
    for leaked in ("DANA", "WHITFIELD", "Oskar", "Lindqvist", "+17085550142", "617 ", " 233"):
        assert leaked not in out
    assert "<Name>101 Music Room</Name>" in out  # a room beside its number stays whole
    assert out.count("<DirectoryEntry>") == 3


# --- the bare Number column of a table of people (3CX extension export) -------------

PEOPLE_CSV = (
    "Number,FirstName,LastName,EmailAddress,MobileNumber,AuthID,AuthPassword,EnableVoicemail\n"
    "8100,Dana,Whitfield,dana.w@example.com,,Qx7Lm2Pa9Z,Qx7Lm2Pa9Z,1\n"
    "8101,Oskar,Lindqvist,oskar.l@example.com,,Wm4Rt8Kd1S,Wm4Rt8Kd1S,0\n"
)


def test_the_number_column_of_a_table_of_people_is_their_extension() -> None:
    out = scrub(PEOPLE_CSV)
    for leaked in ("8100", "8101", "Dana", "Lindqvist", "oskar.l@", "Qx7Lm2Pa9Z"):
        assert leaked not in out
    assert out.startswith("Number,FirstName,LastName,EmailAddress,")
    assert out.splitlines()[1].endswith(",1") and out.splitlines()[2].endswith(",0")


def test_a_number_column_of_other_tables_stays() -> None:
    text = "Number,Codec,Packets,Lost\n8100,PCMA,5021,3\n8101,opus,4980,0\n"
    assert scrub(text) == text


# --- caller-ID fields holding a SIP user; account codes ------------------------------


def test_a_caller_id_number_that_is_a_sip_user() -> None:
    text = (
        "INCOMING INVITATION :: {params: {callee_id_name: Outbound Call, callee_id_number: dwhit4471,"
        " caller_id_number: 14155550142}}\n"
    )
    out = scrub(text)
    assert "dwhit4471" not in out and "14155550142" not in out
    assert "callee_id_name: Outbound Call" in out
    for stays in ("Event: Newexten\nExten: s\n", "CallerIDNum: anonymous\n", "Exten: _X.\n"):
        assert scrub(stays) == stays


def test_an_account_code_names_a_customer() -> None:
    out = scrub("[7301]\ntype=friend\nsecret=Hu7vQ2nT\naccountcode=67112\ncontext=from-internal\n")
    assert "67112" not in out and "Hu7vQ2nT" not in out
    assert "context=from-internal" in out and "type=friend" in out


# --- Erlang / Elixir terms (MongoosePush, ejabberd, MongooseIM, Kazoo) --------------

ERLANG = """(<0.1447.0>) call 'Elixir.MongoosePush':push(<<"9b2f41d07c6e83a5f0d4c2b7e91a6038d5f2c4b19e7a0d36c8f1b25e4a9d7c31">>,#{alert =>
      #{badge => 1,body => <<"Running late, start without me">>,tag => <<"46705550199@chat.example.net">>},
  mode => prod,service => apns})
(<0.1409.0>) call 'Elixir.Pigeon.APNSWorker':put_apns_topic(#{'__struct__' => 'Elixir.Pigeon.APNS.Notification',
  device_token =>
      <<"9b2f41d07c6e83a5f0d4c2b7e91a6038d5f2c4b19e7a0d36c8f1b25e4a9d7c31">>,
  payload => #{<<"aps">> => #{<<"alert">> => #{<<"body">> => <<"Running late, start without me">>}}},
  topic => <<"com.example.voip">>})
"""  # noqa: E501 (lines as long as the real ones)


def test_erlang_binaries_binary_keys_and_values_on_the_next_line() -> None:
    out = scrub(ERLANG)
    for leaked in ("9b2f41d07c6e83a5", "Running late", "46705550199"):
        assert leaked not in out
    for kept in ("mode => prod,service => apns", 'topic => <<"com.example.voip">>', "badge => 1"):
        assert kept in out
    assert scrubbed_in_small_blocks(ERLANG.encode()) == out.encode()


# --- a URL whose query is one opaque token; logins; hex-dumped keys ------------------


def test_a_url_query_that_is_one_token() -> None:
    out = scrub(
        '"ct_l": "http:\\/\\/mms.example.net\\/mmsc?QKRTWZPLMXNVBa",\nGET https://meet.example.com/j?k7Qm2xPz9R\n'
    )
    assert "QKRTWZPLMXNVBa" not in out and "k7Qm2xPz9R" not in out
    for stays in ("GET http://pbx.example.com/service?wsdl\n", "GET http://pbx.example.com/api?Signature\n"):
        assert scrub(stays) == stays


def test_the_account_a_client_logs_in_as() -> None:
    out = scrub('I/DeltaChat( 4253): T2: Login to IMAP-server as "lindqvist_oskar_1987"...\n')
    assert "lindqvist_oskar_1987" not in out and "Login to IMAP-server as" in out
    for stays in ("logged in as expected\n", "signed in as a guest user\n", "login as root\n"):
        assert scrub(stays) == stays


def test_key_material_as_a_hex_dump() -> None:
    dump = "3e 91 7a 80 66 9f 6b 1f a9 77 b1 3e fb 10 ae 15 b2 b4 69 7f 99 ad 40 16 57 61 00 ce cc 8e d0 cc"
    out = scrub(f"CIPHERKEY: (hex:) {dump} (size: 32)\n")
    assert dump[:20] not in out and out.startswith("CIPHERKEY: (hex:) ") and "(size: 32)" in out
    fingerprint = "a=fingerprint:sha-256 3E:91:7A:80:66:9F:6B:1F:A9:77:B1:3E:FB:10:AE:15:B2:B4:69:7F\n"
    assert scrub(fingerprint) == fingerprint
