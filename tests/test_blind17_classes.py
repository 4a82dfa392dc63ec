"""The structures the blind round samples/blind-17 found leaks in, as classes: vCard 2.1
properties written quoted-printable (also over soft line breaks) and cards whose numbers
are masked or empty, the town and postal code of a party under webhook keys, the id of a
customer's SIP connection and a messaging API's file handle, a message text logged after
the name of its variable, the name of a group element in a phonebook, chan_sip's register
notices, a From / To display name whose address was lost, and caller IDs of extensions.
Each with the text that must stay."""

from __future__ import annotations

from .conftest import scrub_keyed, scrubbed_in_small_blocks

scrub = scrub_keyed


# --- vCard 2.1: quoted-printable values, masked and empty numbers ------------------

# samples/blind-17/18: a WhatsApp bot's contacts.vcf exported by an Android phone.
VCARD_QP = (
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=45=6D=69=6C=79=20=E2=9D=A4=EF=B8=8F;=41=6D=61=6E=64=61;;;\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=41=6D=61=6E=64=61=20=45=6D=69=6C=79=20=E2=9D=A4=EF=B8=8F\n"
    "TEL;CELL:+111\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=50=54=2D=43=6F=6E=74=61=64=6F=72=61=20=49=\n"
    "=6E=74=65=72=6D=61=63=68=C3=A9\n"
    "TEL;CELL:+351961875965\n"
    "X-GROUP-MEMBERSHIP:My Contacts\n"
    "END:VCARD\n"
)


def test_vcard21_quoted_printable_names_and_soft_breaks() -> None:
    out = scrub(VCARD_QP)
    for leaked in ("=45=6D=69=6C=79", "=41=6D=61=6E=64=61", "=50=54=2D=43", "=6E=74=65=72=6D=61=63=68=C3=A9"):
        assert leaked not in out
    for kept in ("CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", "VERSION:2.1", "X-GROUP-MEMBERSHIP:My Contacts"):
        assert kept in out
    assert out.count("END:VCARD") == 2


def test_vcard_masked_or_empty_numbers_are_no_service() -> None:
    # `+111` is a masked international number and `TEL;CELL;PREF:` an empty field: the
    # cards are people's, not a short code's.
    out = scrub(
        "BEGIN:VCARD\nVERSION:2.1\nN:(NOS);Marinete;;;\nFN:Marinete (NOS)\nTEL;CELL:+111\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nN:;Luiz Pt;;;\nFN:Luiz Pt\nTEL;CELL;PREF:\nTEL;HOME:\nEND:VCARD\n"
    )
    assert "Marinete" not in out and "Luiz" not in out
    assert "TEL;CELL;PREF:" in out


def test_vcard_short_code_card_still_a_service() -> None:
    out = scrub("BEGIN:VCARD\nVERSION:2.1\nN:;Emergencia;;;\nFN:Emergencia\nTEL;CELL:112\nEND:VCARD\n")
    assert "FN:Emergencia" in out and "N:;Emergencia;;;" in out


def test_vcard_qp_soft_break_across_blocks() -> None:
    # Whatever line a block ends on, the line a soft break continues is still the name's.
    for pad in range(0, 120, 7):
        data = ("x" * pad + "\n" + "log line of a bot\n" * 55 + VCARD_QP).encode()
        out = scrubbed_in_small_blocks(data)
        assert b"=6E=74=65=72=6D=61=63=68=C3=A9" not in out
        assert b"X-GROUP-MEMBERSHIP:My Contacts" in out


# --- the town and postal code of a party ------------------------------------------

# samples/blind-17/12: a Twilio voice webhook dumped with PHP's print_r.
TWILIO = (
    "Array\n(\n"
    "    [ToState] => CA\n"
    "    [CallerCountry] => US\n"
    "    [ToZip] => 92856\n"
    "    [CalledCity] => ALISO VIEJO\n"
    "    [FromCity] => IRVINE\n"
    "    [FromZip] => 92841\n"
    "    [CallStatus] => in-progress\n"
    ")\n"
)


def test_party_town_and_postal_code() -> None:
    out = scrub(TWILIO)
    for leaked in ("92856", "ALISO VIEJO", "IRVINE", "92841"):
        assert leaked not in out
    for kept in ("[ToState] => CA", "[CallerCountry] => US", "[CallStatus] => in-progress"):
        assert kept in out


def test_place_keys_keep_flags_and_other_words() -> None:
    text = '{"velocity": "fast", "capacity": "12", "city": null}\ngzip=true\nzip: 1\n'
    assert scrub(text) == text


def test_postal_code_forms() -> None:
    out = scrub(
        '{"postal_code": "SW1A 1AA", "city": "Saint-Étienne"}\nCalledCity=YORBA+LINDA&CalledState=CA\n'
    )
    assert "SW1A 1AA" not in out and "Saint-Étienne" not in out and "YORBA+LINDA" not in out
    assert "CalledState=CA" in out


# --- a customer's SIP connection id, a file handle --------------------------------


def test_connection_id_and_file_handle() -> None:
    out = scrub(
        '{"connection_codecs": "PCMA,PCMU", "connection_id": "2811212257810187875", '
        '"call_leg_id": "b0e6224c-c81c-11f0-afbb-02420aef93a0"}\n'
        '{"audio": {"duration": 259, "mime_type": "audio/mpeg3", '
        '"file_id": "CQADAgADwAIAAjd9UUrBKqO8UaQsMgI", "file_size": 10363298}}\n'
    )
    assert "2811212257810187875" not in out and "CQADAgADwAIAAjd9UUrBKqO8UaQsMgI" not in out
    for kept in (
        '"connection_codecs": "PCMA,PCMU"',
        "b0e6224c-c81c-11f0-afbb-02420aef93a0",
        '"duration": 259',
    ):
        assert kept in out


def test_short_connection_and_file_ids_stay() -> None:
    text = "pool connection_id=12 released\nfile_id: 1\n"
    assert scrub(text) == text


# --- a message text logged after its variable's name ------------------------------


def test_logged_message_variable() -> None:
    line = (
        " 2023-11-27 00:05:16 [Telegram Executor] INFO  "
        "bot.telegramm.config.TelegramBot - messageText 435ваыпп\n"
        " 2023-11-27 00:06:04 [restartedMain] INFO  bot.telegramm.TelegrammApplication - Started "
        "TelegrammApplication in 5.789 seconds (process running for 6.466)\n"
    )
    out = scrub(line)
    assert "435ваыпп" not in out
    assert "bot.telegramm.config.TelegramBot - messageText " in out
    assert "Started TelegrammApplication in 5.789 seconds (process running for 6.466)" in out


def test_logged_message_variable_not_a_sentence() -> None:
    text = "WARN Handler - messageText is null\nthe message text was empty\n"
    assert scrub(text) == text


# --- a group's name in a phonebook -------------------------------------------------

PHONEBOOK = (
    "<AddressBook>\n  <pbgroup>\n    <id>1</id>\n    <name>Blacklist</name>\n  </pbgroup>\n"
    "  <pbgroup>\n    <id>5</id>\n    <name>Default</name>\n    <ringtones>system</ringtones>\n  </pbgroup>\n"
    "  <Contact>\n    <id>1</id>\n    <FirstName>Janhavi</FirstName>\n    <name>Maulvi Geetha</name>\n"
    "  </Contact>\n</AddressBook>\n"
)


def test_group_names_stay_contact_names_go() -> None:
    out = scrub(PHONEBOOK)
    assert "<name>Blacklist</name>" in out and "<name>Default</name>" in out
    assert "Janhavi" not in out and "Maulvi Geetha" not in out


# --- chan_sip's register notices, display names without their address ------------


def test_chan_sip_register_notices() -> None:
    out = scrub(
        "[Feb 4 23:23:35] NOTICE[24864]: chan_sip.c:13016 register_verify: Trying athenticate peer "
        "'alice7' using authuser: 'MyUser'\n-- Registered SIP 'bob_desk' at 88.149.226.66 port 10458\n"
    )
    assert "alice7" not in out and "bob_desk" not in out
    assert "chan_sip.c:13016 register_verify" in out


def test_display_name_with_lost_address() -> None:
    out = scrub(
        'REGISTER sip:example.org SIP/2.0\nTo: "Pietro"\nFrom: "Pietro" ;tag=ntlug\nCSeq: 681 REGISTER\n'
    )
    assert "Pietro" not in out
    assert ";tag=ntlug" in out and "CSeq: 681 REGISTER" in out


def test_display_name_placeholder_stays() -> None:
    text = 'From: "Anonymous" ;tag=1\nCSeq: 1 REGISTER\n'
    assert scrub(text) == text


# --- a caller ID that is an extension ----------------------------------------------


def test_callerid_extension() -> None:
    out = scrub("[IMSI40427730494XXXX]\ncallerid=1000\ncontext=from-openBTS\n")
    assert "callerid=1000" not in out and "context=from-openBTS" in out
    assert scrub("callerid=0\n") == "callerid=0\n"


# --- Markdown field/value tables: a settings sheet ----------------------------------

# samples/blind-17/14: a softphone setup sheet in a repository's docs.
SETTINGS_SHEET = (
    "| Field | Value |\n"
    "|-------|-------|\n"
    "| **Domain** | `203.0.113.114` |\n"
    "| **Username** | `sipapp7` |\n"
    "| **Password** | `xCOYbVuCe9vR3+oS` |\n"
    "| **Port** | `5060` |\n"
    "| **Transport** | UDP |\n"
    "\n"
    "Should show `sipapp7` with status `OK`\n"
)


def test_a_field_value_table_judges_each_value_by_its_row_key() -> None:
    out = scrub(SETTINGS_SHEET)
    for secret in ("203.0.113.114", "sipapp7", "xCOYbVuCe9vR3+oS"):
        assert secret not in out
    assert "| **Port** | `5060` |" in out and "| **Transport** | UDP |" in out
    assert "| Field | Value |" in out and out.count("\n") == SETTINGS_SHEET.count("\n")


def test_a_table_of_other_columns_is_not_read_as_field_and_value() -> None:
    """Two columns whose headers are no field / value pair keep their column rules: the
    first cell is not a key of the second."""
    table = "| Password | Notes |\n|---|---|\n| `hunter2secret` | rotate monthly |\n"
    out = scrub(table)
    assert "hunter2secret" not in out and "rotate monthly" in out
    notes = "| Step | Description |\n|---|---|\n| **Password** | type it twice |\n"
    assert scrub(notes) == notes
