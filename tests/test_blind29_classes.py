"""The structures the blind round samples/blind-29 found leaks in, as classes: WhatsApp's
iOS export in locales that write no comma in its stamp, Zoom's saved meeting chat, an
Avaya phone's `SET NAME value` settings, ISC dhcpd's lease file, Slack member ids and
Messenger's thread folders. Values are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_a_whatsapp_export_without_the_comma_and_a_log_that_looks_like_one() -> None:
    out = scrub(
        "[19/06/2024 15:37:24] Tadeu Vasconcelos: 19/06 Itaim - Vasconcelos \n"
        "saída 15:37\n"
        "[19/06/2024 15:47:24] +55 11 97301-0000: vou chegar tarde\n"
    )
    for leaked in ("Tadeu", "Vasconcelos", "Itaim", "97301-0000", "vou chegar tarde"):
        assert leaked not in out
    log = (
        "[25.02.2022 10:48:34] Hovor: ag6CL~ZY1N , <phone@pbx.example> volá účastníka <pc@pbx.example>\n"
        "[25.02.2022 10:48:35] Call Manager: dialog ag6CL~ZY1N confirmed\n"
    )
    assert "ag6CL~ZY1N , <" in scrub(log) and "Call Manager: dialog ag6CL~ZY1N confirmed" in scrub(log)


def test_zooms_saved_meeting_chat() -> None:
    out = scrub(
        "09:03:42\t From  Odalys Brennan : is it only patch applier? or are there more terms?\n"
        "09:04:41\t From  Teodor Vasquez : https://github.com/example/repo/pull/37\n"
        "10:05:11 From Odalys Brennan to Everyone: can you call in via phone?\n"
        "10:05:12 From  Odalys Brennan  to  Teodor Vasquez(Direct Message) : call me after\n"
    )
    for leaked in ("Odalys", "Brennan", "Teodor", "Vasquez", "patch applier", "call in via phone", "call me"):
        assert leaked not in out
    assert " : https://github.com/example/repo/pull/37\n" in out and " to Everyone: " in out


def test_an_avaya_phones_settings_file() -> None:
    out = scrub(
        "SET FORCE_SIP_USERNAME 553133070954\nSET FORCE_SIP_PASSWORD Q7734@0915\n"
        'SET ADMIN_PASSWORD "31337"\nSET PIN_CHECKSUM_ENABLED 1\nSET ENABLE_SIP_USER_ID 1\n'
    )
    for leaked in ("553133070954", "Q7734@0915", "31337"):
        assert leaked not in out
    assert "SET PIN_CHECKSUM_ENABLED 1\nSET ENABLE_SIP_USER_ID 1\n" in out


def test_a_dhcpd_lease_file() -> None:
    out = scrub(
        'server-duid "\\000\\001\\000\\001&\\032Z\\317\\334\\2462-\\266\\177";\n'
        "lease 10.0.2.15 {\n  hardware ethernet 08:00:27:1a:2b:3c;\n"
        '  uid "\\001\\010\\000\\047\\032\\053\\074";\n  client-hostname "Ilses-Laptop";\n}\n'
        'lease 10.0.2.16 {\n  client-hostname "kali";\n}\n'
    )
    for leaked in ("Ilses-Laptop", "\\032Z\\317", "\\047\\032", "08:00:27:1a:2b:3c"):
        assert leaked not in out
    assert 'client-hostname "kali";' in out


def test_slack_member_ids_and_messenger_threads() -> None:
    out = scrub(
        '[\n    {\n        "id": "U07XQ3RPD",\n        "team_id": "T05H0KJ1Y",\n        "name": "mbrennan",\n'
        '        "deleted": false\n    }\n]\n'
        '  "thread_path": "inbox/OdalysBrennan_QwErTy1234"\n'
    )
    for leaked in ("U07XQ3RPD", "OdalysBrennan", "QwErTy1234"):
        assert leaked not in out
    assert '"thread_path": "inbox/' in out
