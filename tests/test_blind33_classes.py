"""The structures the small blind round samples/blind-33 found leaks or losses in, as
classes: an IRC client's registration and the server's WHO / WHOIS replies, chan_sip's
`Found user ... for ...`, a directory entry's extension beside its name (replaced as the
same extension alone), a department entry (`YUL ops`), OpenVPN's server log (the client's
certificate name, its `name/address:port` prefix, an X.509 subject's locality, control
messages), coordinates in degrees, minutes and seconds, a key in a URL's first path
segment, a handle's `@` under a user-name key, a Matrix bot's notice, a MacBook Air's
host name and RFC 8599's pn-param (the app's, kept). Values are invented; the shapes are
the real excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_irc_registration_and_who_replies() -> None:
    text = (
        "<< PASS s3cr3t-chan\n"
        "<< NICK mireille\n"
        "<< USER mireille mireille localhost :Mireille Dubreuil\n"
        ">> :irc 001 mireille :Welcome to the Internet Relay Network mireille!mireille@localhost\n"
        ">> :irc 352 mireille #chan mireille localhost irc mireille  H@ :0 Mireille Dubreuil\n"
        ">> :irc 311 mireille bertrand ~bert 203.0.113.9 * :Bertrand Aubry\n"
        "--- PASS: TestParse (0.00s)\n"
        "USER root\n"
    )
    out = scrub(text)
    for leaked in ("s3cr3t-chan", "mireille", "Mireille", "Dubreuil", "bertrand", "Bertrand", "Aubry"):
        assert leaked not in out, leaked
    assert "--- PASS: TestParse (0.00s)\nUSER root\n" in out and "<< PASS " in out and " 352 " in out


def test_chan_sip_found_user_for() -> None:
    out = scrub("[Oct 21 21:04:11] VERBOSE[11971] logger.c: Found user '214' for '214'\n")
    assert "'214'" not in out and "Found user '" in out


def test_a_directory_extension_beside_its_name_is_replaced_as_alone() -> None:
    text = "".join(
        f"<Contact><FirstName>{n} {name}</FirstName><Phone><phonenumber>{n}</phonenumber></Phone></Contact>\n"
        for n, name in (("104", "Jamal"), ("105", "Charlize"), ("103", "Kenji"))
    )
    out = scrub(text)
    for ext in ("104", "105", "103"):
        assert f">{ext}<" not in out and f">{ext} " not in out, ext
    # The same extension has the same pseudonym in the name and in the number.
    first = out.split("\n")[0]
    name_part = first.split("<FirstName>")[1].split(" ")[0]
    assert f"<phonenumber>{name_part}</phonenumber>" in first


def test_a_department_entry_keeps_its_name() -> None:
    out = scrub("<Contact><FirstName>YUL ops</FirstName><Phone><phonenumber>+15145550111</phonenumber>\n")
    assert "<FirstName>YUL ops</FirstName>" in out


def test_openvpn_server_log() -> None:
    stamp = "Wed Dec 27 01:48:25 2017 us=715075"
    text = (
        f"{stamp} 203.0.113.77:49796 VERIFY OK: depth=1, C=DE, ST=NRW, L=Duisburg, O=Home, CN=Home-CA\n"
        f"{stamp} 203.0.113.77:49796 VERIFY OK: depth=0, C=DE, ST=NRW, L=Duisburg, O=Home, CN=hanna07\n"
        f"{stamp} 203.0.113.77:49796 [hanna07] Peer Connection Initiated with [AF_INET]203.0.113.77:49796\n"
        f"{stamp} hanna07/203.0.113.77:49796 MULTI_sva: pool returned IPv4=10.8.0.6, IPv6=(Not enabled)\n"
        f"{stamp} hanna07/203.0.113.77:49796 PUSH: Received control message: 'PUSH_REQUEST'\n"
        f"{stamp} ifconfig_pool_read(), in='hanna07,10.8.0.6', TODO: IPv6\n"
    )
    out = scrub(text)
    for leaked in ("hanna07", "Duisburg", "203.0.113.77"):
        assert leaked not in out, leaked
    assert "CN=Home-CA\n" in out and "PUSH: Received control message: 'PUSH_REQUEST'\n" in out


def test_coordinates_in_degrees_minutes_seconds() -> None:
    out = scrub('"address": "18°12\'57.9\\"S 7°32\'47.4\\"E", "rotation": "turn 90° then 45°"\n')
    assert "18°12" not in out and "7°32" not in out and "turn 90° then 45°" in out


def test_a_key_in_a_urls_first_path_segment() -> None:
    key = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    out = scrub(
        "ERROR (Thread-2) [homeassistant.components.camera.netatmo] Welcome URL changed: "
        "HTTPConnectionPool(host='192.168.136.19', port=80): Max retries exceeded with url: "
        f"/{key}/live/snapshot_720.jpg\n"
    )
    assert key not in out and "/live/snapshot_720.jpg" in out


def test_a_handle_under_a_user_name_key_is_learned_without_its_sigil() -> None:
    text = (
        "2016-06-14 20:42:52,654 DEBUG    errbot.core               *** username = @brennax\n"
        "2016-06-14 20:42:52,658 INFO     errbot.core               "
        "Processing command 'tyler' from #general/brennax\n"
    )
    out = scrub(text)
    assert "brennax" not in out and "*** username = @" in out and "from #general/" in out


def test_a_matrix_bots_notice_keeps_its_words() -> None:
    line = '{"req_body":{"msgtype":"m.notice","body":"Successfully logged in as @ivo2874"},"message":"ok"}\n'
    out = scrub(line)
    assert "ivo2874" not in out and '"body":"Successfully logged in as @' in out
    assert "a real secret plan" not in scrub('{"msgtype":"m.text","body":"a real secret plan"}\n')


def test_a_macbook_airs_host_name() -> None:
    out = scrub("18:04:12:INFO:Torvik-Air.local - 192.168.1.194:5060\nblowing Hot-Air today\n")
    assert "Torvik" not in out and "blowing Hot-Air today" in out


def test_pn_param_names_the_app_and_stays() -> None:
    line = (
        "ACK sip:ifu@192.168.1.156:60744;"
        "pn-prid=6BADCD875220C1CE42AEEDE7E59E2BAEAC5C9BAC16E20102DFD78BAD8F895458"
        ":voip;pn-provider=apns;pn-param=ABCD1234.org.linphone.phone.voip&remote;pn-silent=1\n"
    )
    out = scrub(line)
    assert "6BADCD875220C1CE42AEEDE7E59E2BAEAC5C9BAC16E20102DFD78BAD8F895458" not in out
    assert "pn-param=ABCD1234.org.linphone.phone.voip&remote" in out


def test_a_base64_url_parameter_that_decodes_to_personal_fields() -> None:
    """Zoom's join URLs (samples/blind-20 10, samples/blind-22 13): `confid=` is base64 of
    `email=...&uss=...&tid=...`; a base64 value that decodes to anything else stays."""
    import base64

    blob = base64.b64encode(b"email=nadia.k%40example.org&uss=Zq81mP0x&tid=9f8e7d6c5b4a").decode()
    blob = blob.replace("=", "%3D")
    other = base64.b64encode(b"All your base are belong to us and more of it").decode().rstrip("=")
    text = (
        f"zoommtg://zoom.us/join?action=join&confno=94033300147&confid={blob}&browser=chrome\n"
        f"GET /static/app.js?v={other} HTTP/1.1\n"
    )
    out = scrub(text)
    assert blob not in out and "&browser=chrome\n" in out
    assert f"?v={other} HTTP/1.1\n" in out


def test_usb_serials_in_audio_and_camera_names() -> None:
    """A softphone's device list (samples/blind-20 17, Jami's dring.yml): the serial in a
    PulseAudio device name and in a camera id goes; vendor and model stay."""
    text = (
        "    deviceRecord: alsa_output.usb-Focusrite_Scarlett_Solo_USB_Q81234567B90CD-00"
        ".analog-stereo.monitor\n"
        "      id: 046d_HD_Pro_Webcam_C920_1A2B3C4D\n"
        "sink alsa_output.usb-Logitech_Logitech_USB_Headset-00.analog-stereo\n"
    )
    out = scrub(text)
    assert "Q81234567B90CD" not in out and "1A2B3C4D" not in out
    assert "usb-Focusrite_Scarlett_Solo_USB_" in out and "046d_HD_Pro_Webcam_C920_" in out
    assert "sink alsa_output.usb-Logitech_Logitech_USB_Headset-00.analog-stereo\n" in out


def test_a_chat_exports_records_without_their_header() -> None:
    """A Discord channel's CSV cut out of its table (samples/blind-25 17,
    DiscordChatExporter's `AuthorID,Author,Date,Content` without the header line): the
    author and the text of each record go, the ids and times stay."""
    text = (
        "1189009988505583659,m.kwan,2023-12-26 01:01:11 +0000,back in five, restarting the pc\n"
        "1189009607859896350,frostbyte77,2023-12-26 00:59:41 +0000,https://friend.chess.com/Zq8Lk\n"
        "1189009607859896351,frostbyte77,2023-12-26 00:59:42 +0000,@everyone\n"
        "2023-12-26 01:01:11,123 INFO worker started\n"
    )
    out = scrub(text)
    for leaked in ("m.kwan", "restarting the pc", "frostbyte77", "Zq8Lk"):
        assert leaked not in out, leaked
    assert "1189009988505583659," in out and ",2023-12-26 01:01:11 +0000," in out
    assert out.endswith(",@everyone\n2023-12-26 01:01:11,123 INFO worker started\n")


def test_mail_addresses_written_as_identifiers() -> None:
    """vdirsyncer's configuration (samples/blind-12 14): storages and token files named after
    the account, `@` and dots as underscores; each address keeps a pseudonym of its own."""
    text = (
        "[storage jo_at_example_org_remote_contacts]\n"
        'token_file = "~/.config/vdirsyncer/tokens/google_jo_at_example_org"\n'
        "[storage ravi99_gmail_com_remote_contacts]\n"
        'collections = ["from a", "from b"]\n'
    )
    out = scrub(text)
    assert "jo_at_example_org" not in out and "ravi99_gmail_com" not in out
    assert '_remote_contacts]\ncollections = ["from a", "from b"]\n' in out
    assert out.split("\n")[0] != out.split("\n")[2]
