"""The structures the blind round samples/blind-31 found leaks or losses in, as classes:
Cisco CUCM's headerless call records, a softphone's contact list as XML attributes,
flattened JSON paths as CSV headers, Discord mentions and display names, an MMS's
transaction id, a carrier's service card in a contact export, calendar titles with an
ampersand and room codes, keys with an index before their separator, browsers' mDNS ICE
names, AppRTC's signalling URLs, pppd's command line, OpenVPN's status file, Home
Assistant's MAC spellings, and a token key inside an API's error sentence. Values are
invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def _cucm_row(calling: str, login: str, original: str, final: str, hunt: str, pattern: str) -> str:
    """A CUCM CDR of 129 fields, without a header, as CDR Repository writes it."""
    fields = ["0"] * 129
    fields[0], fields[1], fields[2], fields[3], fields[4] = "1", "1", "12280399", "29444599", "1541451924"
    fields[7] = fields[13] = "-1006517734"  # the calling phone's address as an integer
    fields[28] = fields[35] = "1208008458"
    fields[8], fields[9] = f'"{calling}"', f'"{login}"'
    fields[29], fields[30], fields[31] = f'"{original}"', f'"{final}"', '"unspecified"'
    fields[49] = f'"{original}"'
    fields[50] = '"2c0ef588-9a0f-4194-b8b7-02a31d72d1ea"'
    fields[51:55] = ['"internal-pt"'] * 4
    fields[56], fields[57] = '"SEPBC16F516D7AA"', '"SEP34A84EA6A7BB"'
    fields[65] = '"StandAloneCluster"'
    fields[80], fields[81] = '"10.191.0.112"', '"10.191.0.72"'
    fields[102] = f'"{hunt}"'
    fields[125:129] = [f'"{pattern}"'] * 4
    return ",".join(fields) + "\n"


def test_cucm_headerless_call_records() -> None:
    text = _cucm_row("3996", "jroe01", "3333", "3333", "3333", "3333") + _cucm_row(
        "4280", "unspecified", "3333", "3686", "", "3333"
    )
    out = scrub(text)
    for leaked in ('"3996"', "jroe01", '"4280"', '"3686"', "-1006517734", "1208008458", "BC16F516D7AA"):
        assert leaked not in out
    # The hunt pilot, told by its own column, stays in every column and row; so do the
    # record's ids, times, partitions and the placeholder login.
    assert out.count('"3333"') == text.count('"3333"')
    for kept in ("12280399,29444599,1541451924", "2c0ef588-9a0f-4194-b8b7-02a31d72d1ea", '"internal-pt"',
                 '"unspecified"', '"StandAloneCluster"'):  # fmt: skip
        assert out.count(kept) == text.count(kept)
    assert out.count("\n") == 2


def test_a_softphones_contact_list_as_attributes() -> None:
    out = scrub(
        "<contacts>\n"
        '<contact name="Geraldo Pires" number="5901" firstname="" info="Diretoria"/>\n'
        '<contact name="Cozinha" number="5915" firstname="" info="Cozinha"/>\n'
        '<contact name="Ouvidoria" number="5909" firstname="" info="Jurídico"/>\n'
        "</contacts>\n"
    )
    assert "Geraldo" not in out and '"5901"' not in out
    assert 'name="Cozinha" number="5915"' in out and 'name="Ouvidoria" number="5909"' in out


def test_a_flattened_json_path_names_its_nested_field() -> None:
    out = scrub(
        "id,channel_id,author.id,author.username,author.global_name,content\n"
        "817263209429729291,336579139517546497,257997656788434946,qarvo,Qarvo Lindt,meet you at the gate\n"
    )
    for leaked in ("257997656788434946", "qarvo", "Qarvo Lindt", "meet you at the gate"):
        assert leaked not in out
    assert "817263209429729291,336579139517546497," in out


def test_discord_mentions_and_display_names() -> None:
    out = scrub(
        "<@!205147448019124226> come back\n"
        "{'user': {'username': 'the_beep7', 'id': '399420739985604608', 'global_name': 'The_Bop'}}\n"
        "role <@&336579139517546496> in <#336579139517546495>\n"
    )
    for leaked in ("205147448019124226", "the_beep7", "399420739985604608", "The_Bop"):
        assert leaked not in out
    assert "role <@&336579139517546496> in <#336579139517546495>\n" in out


def test_an_mms_transaction_id() -> None:
    out = scrub(
        '<mms ct_l="http://10.176.56.214:8000/mmsc/1_2?Q7wz159sexOfMlb3e&amp;m=4741421501" '
        'tr_id="Q7wz159sexOfMlb3e" m_type="132"/>\n'
    )
    assert "Q7wz159sexOfMlb3e" not in out and 'm_type="132"' in out


def test_a_carriers_service_card_keeps_its_name() -> None:
    out = scrub(
        "BEGIN:VCARD\nVERSION:2.1\nN:;Dialog Hotline;;;\nFN:Dialog Hotline\n"
        "TEL;CELL:+94777123456\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nN:Perera;Nimal;;;\nFN:Nimal Perera\nTEL;CELL:+94771234567\nEND:VCARD\n"
    )
    assert "FN:Dialog Hotline\n" in out and "N:;Dialog Hotline;;;\n" in out
    assert "Nimal" not in out and "Perera" not in out


def test_calendar_titles_with_an_ampersand_and_room_codes() -> None:
    out = scrub(
        "BEGIN:VEVENT\nSUMMARY:P&P evaluaren karin de vries\nLOCATION:ON_2.22\nEND:VEVENT\n"
        "BEGIN:VEVENT\nSUMMARY:Lunch\nLOCATION:Keizersgracht 12\\, Amsterdam\nEND:VEVENT\n"
    )
    assert "karin de vries" not in out and "Keizersgracht" not in out
    assert "LOCATION:ON_2.22\n" in out


def test_a_form_encoded_value_still_ends_at_its_next_field() -> None:
    out = scrub("Body=Hi%2C+call+me&From=%2B14155550123&To=%2B14155550188\n")
    assert "call+me" not in out and "&From=" in out and "&To=" in out


def test_a_key_with_an_index_before_its_separator() -> None:
    out = scrub("E/use-Rlog/RLOG-RIL( 1715): Dev MAC(02): B0D09CC7C9A1\nprint(name(x))\n")
    assert "B0D09CC7C9A1" not in out and "print(name(x))\n" in out


def test_a_browsers_mdns_name_in_an_ice_candidate() -> None:
    out = scrub(
        '"candidate":"candidate:3951517770 1 udp 2113937151 1e749415-770f-4a50-9874-eac054e2c92e.local 51846'
        ' typ host generation 0"\n'
    )
    assert "1e749415-770f-4a50-9874-eac054e2c92e" not in out and "typ host generation 0" in out


def test_apprtc_signalling_urls() -> None:
    out = scrub("url = https://apprtc.appspot.com/message/42000042/54725996\n")
    assert "54725996" not in out and "https://apprtc.appspot.com/message/" in out


def test_pppds_command_line() -> None:
    out = scrub(
        "/usr/sbin/pppd user jroe@isp.example password Wq83lk debug maxfail 0 plugin pppoe.so eth0\n"
        "pppd: password authentication failed\n"
    )
    assert "Wq83lk" not in out and "jroe@isp.example" not in out
    assert "pppd: password authentication failed\n" in out


def test_openvpns_status_file() -> None:
    out = scrub(
        "OpenVPN CLIENT LIST\nUpdated,Mon May 22 01:28:31 2017\n"
        "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since\n"
        " okarpov,83.220.41.125:50254,528824245,4518126108,Thu May 11 10:31:27 2017\n"
        "ROUTING TABLE\nVirtual Address,Common Name,Real Address,Last Ref\n"
        "10.8.0.10,mlebed,78.107.162.6:8233,Mon May 22 01:28:30 2017\n"
        "CLIENT_LIST\ttkovac\t203.0.113.77:1194\t10.8.0.6\t\t1234\t5678\n"
    )
    for leaked in ("okarpov", "mlebed", "tkovac", "83.220.41.125", "78.107.162.6"):
        assert leaked not in out
    assert "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since\n" in out


def test_home_assistants_mac_spellings() -> None:
    out = scrub(
        "00_50_41_75_f5_6a:\n  hide_if_away: false\n  mac: 00:50:41:75:F5:6A\n  name: 00 50 41 75 f5 6a\n"
        "device_tracker.d0_e1_40_af_89_4b:\n"
    )
    for leaked in ("75_f5_6a", "75:F5:6A", "75 f5 6a", "af_89_4b"):
        assert leaked not in out
    assert "  hide_if_away: false\n" in out


def test_a_token_key_inside_an_error_sentence() -> None:
    line = '{"error":{"message":"Error validating access token: Session has expired on Wednesday."}}\n'
    assert scrub(line) == line
    assert "ya29" not in scrub("access token: ya29.a0AfH6SMBx3ogk\n")


def test_home_assistant_person_trackers() -> None:
    """samples/blind-31 36 (a `known_devices.yaml`): the people a location integration
    tracks, in the tracker's key, its name and Life360's picture URL; an integration's own
    setting stays. Built in the session after the round."""
    text = (
        "life360_ines_falk:\n  hide_if_away: false\n  icon:\n  mac:\n  name: life360 ines falk\n"
        "  picture: https://www.life360.com/img/user_images/1a2b3c4d-0000-4187-8cec-97d1a11bd552/"
        "6204d184-8f59-4b32-929f-bc50f86a63f4.jpg?fd=2\n  track: true\n\n"
        "owntracks_bo:\n  name: owntracks bo\n  track: true\nlife360_update: 30\n"
    )
    out = scrub(text)
    for leaked in ("ines", "falk", "1a2b3c4d-0000-4187-8cec-97d1a11bd552", "owntracks_bo", "owntracks bo"):
        assert leaked not in out, leaked
    assert "life360_update: 30\n" in out and "  hide_if_away: false\n" in out
