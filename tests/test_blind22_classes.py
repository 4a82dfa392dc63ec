"""The structures the blind round samples/blind-22 found leaks or losses in, as classes:
Pidgin's plain-text conversation logs, CSV exports whose records carry more fields than
their header names, pipe-delimited tables with a commented header (Twinkle), SIP in
JSON-escaped strings, YateBTS's TMSIs, a home directory at the end of a path, cloud
drive file ids, Wireshark's vendor-resolved MACs and `User Part` fields, Telepathy's
`param-` keys; kept: online-meeting locations, status texts of a call table, SIPREC and
SDP media labels. Values are invented; the shapes are the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed

PIDGIN = """\
Conversation with arjun.mehta@example.com at Sun 04 Jan 2009 08:50:02 PM on neeraj@example.org/H (jabber)
(08:50:02 PM) Arjun Mehta: u there
(08:55:40 PM) neeraj@example: haan, kal raat ko
bahut der se aye
(08:56:13 PM) Arjun Mehta: ok
(08:57:20 PM) Arjun Mehta has signed off.
(01/05/2009 12:01:10 AM) The following message received from arjun.mehta@example.com was not encrypted
"""


def test_pidgin_text_logs() -> None:
    out = scrub(PIDGIN)
    for leaked in ("Arjun Mehta", "neeraj@example", "u there", "haan, kal", "bahut der se", "arjun.mehta@"):
        assert leaked not in out
    assert out.count(" has signed off.") == 1 and "(08:50:02 PM) " in out
    assert "The following message received from" in out
    assert len(out.splitlines()) == len(PIDGIN.splitlines())
    # A line of the same shape outside such a log is no chat message.
    assert scrub("(08:50:02 PM) worker: started\n") == "(08:50:02 PM) worker: started\n"


DIALLER = """\
line, peername,caller, called,peeraddress,connecttime,duration,discparty,reasontext
2,5585986101250,55111185744187,5585986101250,177.53.17.120:5060,2822,0,2,Temporarily Unavailable,[10e4k2],NEOL
7,5524997032955,55111185744187,5524997032955,177.53.17.120:5060,1886,0,2,Not Found,[34e6k2],NEOL
"""


def test_records_with_more_fields_than_their_header() -> None:
    out = scrub(DIALLER)
    for leaked in ("55111185744187", "5585986101250", "5524997032955"):
        assert leaked not in out
    for kept in ("Temporarily Unavailable", "Not Found", ",2822,0,2,", "[10e4k2],NEOL"):
        assert kept in out


TWINKLE = (
    "# time_start|time_answer|time_end|direction|from_display|from_uri|from_organization|to_display|"
    "to_uri|to_organization|reply_to_display|reply_to_uri|referred_by_display|referred_by_uri|subject|"
    "rel_cause|invite_resp_code|invite_resp_reason|far_end_device|user_profile\n"
    "1370539550|1370539551|1370539854|out|Marisa Quiroga|sip:16292@sip.example.com|||"
    "sip:915083@sip.example.com|||||||remote user|200|OK|OSS Karoo Bridge|acme\n"
)


def test_pipe_table_with_a_commented_header() -> None:
    out = scrub(TWINKLE)
    for leaked in ("Marisa Quiroga", "16292", "915083"):
        assert leaked not in out
    assert "|remote user|200|OK|OSS Karoo Bridge|" in out and "1370539550|1370539551|1370539854|out|" in out


def test_digest_response_in_a_json_escaped_sip_message() -> None:
    line = (
        '"event.original": "REGISTER sip:sip.example.dk SIP/2.0\\r\\nAuthorization: Digest '
        'username=\\"voi18062\\",realm=\\"sip.example.dk\\",response=\\"79a0543188495d288c9ebbe0c881abdc\\"\\r\\n"\n'
    )
    out = scrub(line)
    assert "79a0543188495d288c9ebbe0c881abdc" not in out and "voi18062" not in out
    assert 'realm=\\"sip.example.dk\\"' in out


def test_yatebts_tmsi() -> None:
    out = scrub(
        "<ybts-mm:ALL> UE (0x7f8f2c0049a0) registered TMSI '' -> '007b0002', IMSI '001010000000001' conn=1\n"
        "<ybts-mm:ALL> UE (0x7f8f2c0049a0) TMSI=007b0002 IMSI=001010000000001 register succeeded\n"
        "      <TMSI>007b0002</TMSI>\n"
    )
    assert "007b0002" not in out and "001010000000001" not in out
    assert "UE (0x7f8f2c0049a0)" in out and "register succeeded" in out


def test_home_directory_at_the_end_of_a_path() -> None:
    out = scrub("[warn] Current working directory is /home/mkowalczyk, changing into /opt/Mattermost\n")
    assert "mkowalczyk" not in out and "/opt/Mattermost" in out
    assert "/home/ubuntu," in scrub("cwd /home/ubuntu, ok\n")  # a generic account
    url = "GET https://intranet.example.com/home/index HTTP/1.1\n"
    assert scrub(url) == url


def test_cloud_drive_file_ids() -> None:
    out = scrub(
        "Untrusted popup window blocked: https://docs.google.com/document/d/1ztT9vbS1dUjmpS3l_zF1kA2LTnaEsrT-D9z/edit#\n"
        "open https://drive.google.com/file/d/1FU4FVQNsjhlx_AMO8X4kINu06Mo3vtnl/view\n"
    )
    assert "1ztT9vbS1dUjmpS3l_zF1kA2LTnaEsrT-D9z" not in out
    assert "1FU4FVQNsjhlx_AMO8X4kINu06Mo3vtnl" not in out
    assert "https://docs.google.com/document/d/" in out and "/edit#" in out


def test_tshark_verbose_fields() -> None:
    out = scrub(
        "Ethernet II, Src: HewlettP_76:db:49 (34:64:a9:76:db:49), Dst: Cisco_2d:df:4c (d0:7e:28:2d:df:4c)\n"
        "                Contact URI User Part: nlys\n"
    )
    assert "76:db:49" not in out and "2d:df:4c" not in out and "nlys" not in out
    assert "Src: HewlettP_" in out and "Dst: Cisco_" in out and "Contact URI User Part: " in out


def test_telepathy_account_parameters() -> None:
    out = scrub("[salut/local_xmpp/account0]\nparam-first-name=Scott\nparam-last-name=Cabrinha\nmanager=x\n")
    assert "Scott" not in out and "Cabrinha" not in out and "manager=x" in out


def test_kept_online_meeting_locations_status_texts_and_media_labels() -> None:
    ics = (
        "BEGIN:VEVENT\nLOCATION:Reuniões do Microsoft Teams\nEND:VEVENT\n"
        "BEGIN:VEVENT\nLOCATION:12 Rue Oberkampf\nEND:VEVENT\n"
    )
    out = scrub(ics)
    assert "LOCATION:Reuniões do Microsoft Teams" in out and "Oberkampf" not in out
    siprec = 'a=label:201835599\n<stream id="0CWQ" session="0rBX">\n\t\t<label>201835599</label>\n</stream>\n'
    assert scrub(siprec).count("201835599") == 2
