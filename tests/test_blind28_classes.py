"""The structures the partial blind round samples/blind-28 found leaks or losses in, as
classes: a handle in a directory's name field (a call sign as a surname), Grandstream UCM's
call-record fields and the PBXs' recording file names, and a calendar export's event ids,
plain titles and Google account ids (LINE exports: tests/test_lineexport.py). Values are
invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_a_call_sign_in_a_directory_name_field() -> None:
    out = scrub(
        "<directory>\n  <item_list>\n    <item>\n      <ln>KC3QZW</ln>\n      <fn>Odile</fn>\n"
        "      <ct>104417</ct>\n      </item>\n    <item>\n      <fn>.Billing</fn>\n      <ln></ln>\n"
        "      <ct>+19901720005</ct>\n    </item>\n"
    )
    for leaked in ("KC3QZW", "Odile", "104417", "9901720005"):
        assert leaked not in out
    assert "<fn>.Billing</fn>" in out


def test_grandstream_cdr_fields_and_recording_file_names() -> None:
    out = scrub(
        '    src: "231",\n    dst: "01186730000",\n    channel: "PJSIP/231-000004ec",\n'
        '    channel_ext: "231",\n    dstchannel_ext: "trunk_2",\n'
        '    recordfiles: "2022-08/auto-1661157839-231-01186730000.wav@",\n'
        '    action_owner: "231",\n    dstanswer: "207",\n'
        "recordingfile=out-07700900555-1044-20240101-101010-1704103810.12.wav\n"
    )
    for leaked in ('"231"', "-231-", "/231-", '"207"', "07700900555", "-1044-", "01186730000"):
        assert leaked not in out
    assert 'dstchannel_ext: "trunk_2"' in out and "-20240101-101010-1704103810.12.wav" in out


def test_a_calendar_exports_event_ids_titles_and_account_ids() -> None:
    out = scrub(
        "BEGIN:VEVENT\n"
        "UID:7kq21hzp0w9c4mrt5vbn3xyl8a@google.com\n"
        "SUMMARY:Donate Blood\n"
        "SUMMARY:Lunch with Jane Okafor\n"
        "ORGANIZER;CN=104477212399888123456@profile.calendar.google.com:https://plus\n"
        " .google.com/104477212399888123456\n"
        "UID:jane.okafor@example.org\n"
        "END:VEVENT\n"
    )
    assert "UID:7kq21hzp0w9c4mrt5vbn3xyl8a@google.com\n" in out and "SUMMARY:Donate Blood\n" in out
    for leaked in ("Okafor", "104477212399888123456", "jane.okafor"):
        assert leaked not in out
